import CloudMarket

/// What lever validation needs to know about the rest of the scenario.
struct LeverContext {
    var regions: [String]
    var segments: [String]
    var groups: [String]
    var classes: [String]
    /// Nil when some group or region is itself invalid (cross-checks are then skipped).
    var typedGroups: [Group]?
    var typedRegions: [Region]?
}

extension Typer {
    // MARK: levers

    func leverList(_ node: YNode, context: LeverContext) -> [Lever]? {
        idList(node, list: "levers", noun: "lever") { item, path in readLever(item, path: path, context: context) }
    }

    /// Reads a list of entries keyed by `id` (levers, targets): each typed by `read` at `list.<id>`, each id once.
    private func idList<Entry>(_ node: YNode, list: String, noun: String, read: (YNode, String) -> Entry?) -> [Entry]? {
        guard case .seq(let seq) = node else {
            report(node.loc, list, "expected a list of \(list), found \(describe(node))")
            return nil
        }
        var entries: [Entry] = []
        var seen: [String: Loc] = [:]
        var ok = true
        for (i, item) in seq.items.enumerated() {
            let id = item.mapValue?["id"]?.value.text
            if let id, let idNode = item.mapValue?["id"]?.value {
                if let first = seen[id] {
                    report(idNode.loc, "\(list).\(id).id", "duplicate \(noun) id '\(id)' (first used at line \(first.line))")
                    ok = false
                } else {
                    seen[id] = idNode.loc
                }
            }
            if let entry = read(item, id.map { "\(list).\($0)" } ?? "\(list)[\(i)]") {
                entries.append(entry)
            } else {
                ok = false
            }
        }
        return ok ? entries : nil
    }

    private func readLever(_ node: YNode, path: String, context: LeverContext) -> Lever? {
        guard let m = mapping(node, path, what: "a lever (a mapping with id, type, start and the type's fields)") else { return nil }
        for key in Schema.lever("").required where m[key] == nil {
            diagnostics.report(m.loc, join(path, key), "missing required key '\(key)'")
        }
        let id = m["id"].flatMap { string($0.value, path + ".id", what: "a lever id") }
        guard let typeNode = m["type"]?.value else { return nil }
        guard let type = choice(typeNode, path + ".type", Lever.Kind.typeNames), let sample = Schema.sampleKind(type) else { return nil }
        let place = Schema.lever(type)
        let allowed = place.keys
        let allowedFilters = Lever.Filter.Dimension.allCases.filter { sample.allowedFilters.contains($0) }.map(\.rawValue)
        let fields = Schema.leverFields(type).map(\.key)
        checkKeys(m, path, allowed: allowed, required: place.required, anchor: m.loc) { entry in
            let keyPath = join(path, entry.key)
            if Lever.Filter.Dimension(rawValue: entry.key) != nil {
                self.diagnostics.report(
                    entry.keyLoc, keyPath,
                    "a \(type) lever takes no '\(entry.key)' filter; it takes: \(allowedFilters.joined(separator: ", "))")
            } else if entry.key == "ramp" || entry.key == "end" {
                let shape = type == "funding" ? "it acts from start for `years`" : "it decays with its half_life from start"
                self.diagnostics.report(entry.keyLoc, keyPath, "a \(type) lever takes no '\(entry.key)': \(shape)")
            } else {
                self.diagnostics.report(
                    entry.keyLoc, keyPath, "unknown key for a \(type) lever (its fields: \(fields.joined(separator: ", ")))",
                    suggestion: nearest(entry.key, in: allowed))
            }
        }
        let label = optional(m, "label").map { string($0, path + ".label") } ?? ""
        let source = optional(m, "source").map { string($0, path + ".source") } ?? ""
        let start = number("start", in: m, at: path, of: place)
        var ramp: Double? = 0
        if sample.takesRampAndEnd, let node = optional(m, "ramp") { ramp = number(node, path + ".ramp", place.rule("ramp")) }
        var end: Double?? = .some(nil)
        if sample.takesRampAndEnd, let node = optional(m, "end") {
            end = number(node, path + ".end", place.rule("end")).map { .some($0) }
            if let e = end ?? nil, let start, e <= start {
                report(node.loc, path + ".end", "expected end > start (\(formatNumber(start))), found \(formatNumber(e))")
                end = nil
            }
        }
        let filter = readFilter(m, path: path, allowed: sample.allowedFilters, context: context)
        let kind = filter.flatMap { readKind(type, m, path: path, filter: $0, context: context) }
        guard let id, let label, let source, let start, let ramp, let end, let filter, let kind else { return nil }
        return Lever(id: id, label: label, source: source, kind: kind, filter: filter, start: start, ramp: ramp, end: end)
    }

    private func readFilter(_ m: YMap, path: String, allowed: Set<Lever.Filter.Dimension>, context: LeverContext) -> Lever.Filter? {
        var filter = Lever.Filter()
        var ok = true
        func list(_ dimension: Lever.Filter.Dimension, known: [String], kind: String) -> [String]? {
            guard allowed.contains(dimension), let node = optional(m, dimension.rawValue) else { return nil }
            let ids = idList(node, join(path, dimension.rawValue), known: known, kind: kind)
            if ids == nil { ok = false }
            return ids
        }
        filter.regions = list(.regions, known: context.regions, kind: "region")
        filter.segments = list(.segments, known: context.segments, kind: "segment")
        filter.groups = list(.groups, known: context.groups, kind: "group")
        filter.classes = list(.classes, known: context.classes, kind: "class")
        filter.origins = list(.origins, known: Origin.allCases.map(\.rawValue), kind: "origin")?.compactMap(Origin.init)
        // A filter the type does not take was reported with the unknown keys.
        for dimension in Lever.Filter.Dimension.allCases where !allowed.contains(dimension) && m[dimension.rawValue] != nil {
            ok = false
        }
        return ok ? filter : nil
    }

    private func readKind(_ type: String, _ m: YMap, path: String, filter: Lever.Filter, context: LeverContext) -> Lever.Kind? {
        let place = Schema.lever(type)
        switch type {
        case "mandate": return number("level", in: m, at: path, of: place).map { .mandate(level: $0) }
        case "qualification": return number("level", in: m, at: path, of: place).map { .qualification(level: $0) }
        case "sensitive_scope": return number("level", in: m, at: path, of: place).map { .sensitiveScope(level: $0) }
        case "portability": return number("churn_multiplier", in: m, at: path, of: place).map { .portability(churnMultiplier: $0) }
        case "procurement": return number("bonus", in: m, at: path, of: place).map { .procurement(bonus: $0) }
        case "trust_shock":
            let magnitude = number("magnitude", in: m, at: path, of: place)
            let halfLife = number("half_life", in: m, at: path, of: place)
            guard let magnitude, let halfLife else { return nil }
            return .trustShock(magnitude: magnitude, halfLife: halfLife)
        case "demand": return number("extra_growth", in: m, at: path, of: place).map { .demand(extraGrowth: $0) }
        case "price": return number("factor", in: m, at: path, of: place).map { .price(factor: $0) }
        case "appeal": return number("delta", in: m, at: path, of: place).map { .appeal(delta: $0) }
        case "adoption":
            let p = number("p_factor", in: m, at: path, of: place)
            let q = number("q_factor", in: m, at: path, of: place)
            guard let p, let q else { return nil }
            if let regions = context.typedRegions {
                let matched = regions.filter { filter.regions?.contains($0.id) ?? true }
                if !matched.contains(where: { $0.adoption != nil }) {
                    let at = m["regions"] ?? m["type"]!
                    report(
                        at.value.loc, join(path, m["regions"] != nil ? "regions" : "type"),
                        "an adoption lever must match at least one region with an adoption block; "
                            + "none of \(matched.map(\.id).joined(separator: ", ")) has one")
                    return nil
                }
            }
            return .adoption(pFactor: p, qFactor: q)
        case "funding":
            return readFunding(m, path: path, filter: filter, context: context)
        default:
            return nil
        }
    }

    private func readFunding(_ m: YMap, path: String, filter: Lever.Filter, context: LeverContext) -> Lever.Kind? {
        let place = Schema.lever("funding")
        let amount = number("amount", in: m, at: path, of: place)
        let years = number("years", in: m, at: path, of: place)
        let leverage = optional(m, "leverage").map { number($0, join(path, "leverage"), place.rule("leverage")) } ?? 0
        guard let groups = context.typedGroups else { return nil }
        let matched = groups.filter { g in
            (filter.groups?.contains(g.id) ?? true) && (filter.origins?.contains(g.origin) ?? true)
        }
        let filterEntry = m["groups"] ?? m["origins"]
        let filterPath = join(path, m["groups"] != nil ? "groups" : m["origins"] != nil ? "origins" : "type")
        let filterLoc = filterEntry?.value.loc ?? m["type"]!.value.loc
        if matched.isEmpty {
            report(filterLoc, filterPath, "this funding lever's filters match no group")
            return nil
        }
        var split: [String: Double]?? = .some(nil)
        // Groups the money goes to, with where to point at when one lacks an investment baseline.
        var targeted: [(String, Loc, String)] = matched.map { ($0.id, filterLoc, filterPath) }
        if let node = optional(m, "split") {
            let splitPath = join(path, "split")
            if let sm = mapping(node, splitPath, what: "a mapping of group id → weight") {
                var weights: [String: Double] = [:]
                var ok = true
                for entry in sm.entries {
                    let p = join(splitPath, entry.key)
                    guard context.groups.contains(entry.key) else {
                        report(entry.keyLoc, p, "unknown group '\(entry.key)'", suggestion: nearest(entry.key, in: context.groups))
                        ok = false
                        continue
                    }
                    guard matched.contains(where: { $0.id == entry.key }) else {
                        report(
                            entry.keyLoc, p,
                            "group '\(entry.key)' is not matched by this lever's filters (matched: \(matched.map(\.id).joined(separator: ", ")))"
                        )
                        ok = false
                        continue
                    }
                    if let w = number(entry.value, p, place.rule("split")) { weights[entry.key] = w } else { ok = false }
                }
                if ok, weights.values.reduce(0, +) <= 0 {
                    report(node.loc, splitPath, "split weights must have a positive sum")
                    ok = false
                }
                split = ok ? .some(weights) : nil
                if ok {
                    targeted = sm.entries.filter { (weights[$0.key] ?? 0) > 0 }.map { ($0.key, $0.keyLoc, join(splitPath, $0.key)) }
                }
            } else {
                split = nil
            }
        }
        var ok = true
        for (g, loc, p) in targeted where groups.first(where: { $0.id == g })?.investment == nil {
            report(loc, p, "a funding lever may only target groups that have an investment baseline; '\(g)' has none")
            ok = false
        }
        guard ok, let amount, let years, let leverage, let split else { return nil }
        return .funding(amount: amount, years: years, leverage: leverage, split: split)
    }

    // MARK: targets

    func targetList(
        _ node: YNode, regions: [String], segments: [String], groups: [String], typedRegions: [Region]?, horizon: Horizon?
    ) -> [Target]? {
        idList(node, list: "targets", noun: "target") { item, path in
            readTarget(item, path: path, regions: regions, segments: segments, groups: groups, typedRegions: typedRegions, horizon: horizon)
        }
    }

    private func readTarget(
        _ node: YNode, path: String, regions: [String], segments: [String], groups: [String], typedRegions: [Region]?,
        horizon: Horizon?
    ) -> Target? {
        guard let m = mapping(node, path, what: "a target (a mapping)") else { return nil }
        checkKeys(m, path, allowed: Schema.target.keys, required: Schema.target.required, anchor: m.loc)
        let id = m["id"].flatMap { string($0.value, path + ".id", what: "a target id") }
        let label = optional(m, "label").map { string($0, path + ".label") } ?? ""
        let variable = m["variable"].flatMap { choice($0.value, path + ".variable", Variable.allCases.map(\.rawValue)) }.flatMap(
            Variable.init)
        var ok = true

        var group: String?
        var region = allID
        var segment = allID
        if let variable {
            let name = variable.rawValue
            let groupNode = optional(m, "group")
            let regionNode = optional(m, "region")
            let segmentNode = optional(m, "segment")
            switch variable.keys {
            case .regionSegmentGroup, .group:
                if let groupNode {
                    if let g = choiceID(groupNode, path + ".group", groups, kind: "group") { group = g } else { ok = false }
                } else {
                    report(m.loc, path + ".group", "missing required key 'group': variable '\(name)' is reported per group")
                    ok = false
                }
            case .regionSegment, .region:
                if let groupNode {
                    report(groupNode.loc, path + ".group", "variable '\(name)' takes no group")
                    ok = false
                }
            }
            switch variable.keys {
            case .regionSegmentGroup, .regionSegment:
                if let regionNode {
                    if let r = choiceID(regionNode, path + ".region", regions + [allID], kind: "region") { region = r } else { ok = false }
                }
                if let segmentNode {
                    if let s = choiceID(segmentNode, path + ".segment", segments + [allID], kind: "segment") {
                        segment = s
                    } else {
                        ok = false
                    }
                }
                if variable == .growth, ok, segment == allID {
                    report(
                        (segmentNode ?? m["variable"]!.value).loc, path + ".segment",
                        "variable 'growth' needs a real segment (one of \(segments.joined(separator: ", ")))")
                    ok = false
                }
            case .group:
                for (key, n) in [("region", regionNode), ("segment", segmentNode)] {
                    if let n {
                        report(n.loc, join(path, key), "variable '\(name)' is reported per group and takes no \(key)")
                        ok = false
                    }
                }
            case .region:
                if let segmentNode {
                    report(segmentNode.loc, path + ".segment", "variable 'adoption' is reported per region and takes no segment")
                    ok = false
                }
                let withAdoption = typedRegions?.filter { $0.adoption != nil }.map(\.id) ?? regions
                if let regionNode {
                    if let r = choiceID(regionNode, path + ".region", regions, kind: "region") {
                        if withAdoption.contains(r) {
                            region = r
                        } else {
                            report(regionNode.loc, path + ".region", "region '\(r)' has no adoption block")
                            ok = false
                        }
                    } else {
                        ok = false
                    }
                } else {
                    report(
                        m.loc, path + ".region",
                        "missing required key 'region': variable 'adoption' needs a region with an adoption block (\(withAdoption.joined(separator: ", ")))"
                    )
                    ok = false
                }
            }
        }

        func time(_ key: String) -> Double?? {
            guard let node = optional(m, key) else { return .some(nil) }
            guard let x = number(node, join(path, key)) else { return nil }
            if let horizon, horizon.reportingIndex(of: x) == nil {
                let every = horizon.stepsPerYear == 1 ? "every year" : "\(horizon.stepsPerYear) times a year"
                report(
                    node.loc, join(path, key),
                    "expected a reporting time of the horizon (\(formatNumber(horizon.start)) to \(formatNumber(horizon.end)), \(every)), found \(formatNumber(x))"
                )
                return nil
            }
            return .some(x)
        }
        let year = m["year"] != nil ? time("year") : nil
        let relativeTo = time("relative_to")

        var bound: Target.Bound?
        let atLeast = optional(m, "at_least")
        let atMost = optional(m, "at_most")
        switch (atLeast, atMost) {
        case (let node?, nil): bound = number(node, path + ".at_least").map { .atLeast($0) }
        case (nil, let node?): bound = number(node, path + ".at_most").map { .atMost($0) }
        case (_?, let node?): report(node.loc, path + ".at_most", "give only one of at_least and at_most")
        case (nil, nil): report(m.loc, path + ".at_least", "missing: a target needs at_least or at_most")
        }
        guard ok, let id, let label, let variable, let year = year ?? nil, let relativeTo, let bound else { return nil }
        return Target(
            id: id, label: label, variable: variable, region: region, segment: segment, group: group, year: year, relativeTo: relativeTo,
            bound: bound)
    }

    /// An id from a known list, with a did-you-mean.
    private func choiceID(_ node: YNode, _ path: String, _ known: [String], kind: String) -> String? {
        guard let id = string(node, path, what: "a \(kind) id") else { return nil }
        guard known.contains(id) else {
            report(node.loc, path, "unknown \(kind) '\(id)' (known: \(known.joined(separator: ", ")))", suggestion: nearest(id, in: known))
            return nil
        }
        return id
    }
}
