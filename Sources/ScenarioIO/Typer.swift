import CloudMarket
import Foundation

/// The range a number must lie in, with the words for "expected …".
enum Rule: Sendable {
    case any, positive, nonNegative, unit, openUnit, aboveMinusOne

    func holds(_ x: Double) -> Bool {
        switch self {
        case .any: true
        case .positive: x > 0
        case .nonNegative: x >= 0
        case .unit: x >= 0 && x <= 1
        case .openUnit: x > 0 && x < 1
        case .aboveMinusOne: x > -1
        }
    }

    var expected: String {
        switch self {
        case .any: "a number"
        case .positive: "a number > 0"
        case .nonNegative: "a number ≥ 0"
        case .unit: "a number in [0, 1]"
        case .openUnit: "a number in (0, 1), exclusive"
        case .aboveMinusOne: "a number > −1"
        }
    }
}

func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }

/// Turns the resolved tree into a typed `Scenario`, collecting every problem on the way.
final class Typer {
    let diagnostics: Diagnostics

    init(diagnostics: Diagnostics) {
        self.diagnostics = diagnostics
    }

    func report(_ loc: Loc, _ path: String, _ message: String, suggestion: String? = nil) {
        diagnostics.report(loc, path, message, suggestion: suggestion)
    }

    // MARK: scalars

    func number(_ node: YNode, _ path: String, _ rule: Rule = .any) -> Double? {
        guard case .scalar(let s) = node, s.plain, !s.isNull, let x = parseNumber(s.text) else {
            report(node.loc, path, "expected \(rule.expected), found \(describe(node))")
            return nil
        }
        guard x.isFinite else {
            report(node.loc, path, "expected a finite number, found \(s.text)")
            return nil
        }
        guard rule.holds(x) else {
            report(node.loc, path, "expected \(rule.expected), found \(s.text)")
            return nil
        }
        return x
    }

    /// The number under `key` in `m` (path `path.key`), checked against its rule in `place`; nil when it is absent or
    /// invalid (a required key's absence is reported by `checkKeys`).
    func number(_ key: String, in m: YMap, at path: String, of place: Place) -> Double? {
        m[key].flatMap { number($0.value, join(path, key), place.rule(key)) }
    }

    func string(_ node: YNode, _ path: String, what: String = "a string") -> String? {
        guard case .scalar(let s) = node, !s.isNull else {
            report(node.loc, path, "expected \(what), found \(describe(node))")
            return nil
        }
        return s.text
    }

    /// A word from a fixed list, with a did-you-mean when it is close to one.
    func choice(_ node: YNode, _ path: String, _ allowed: [String]) -> String? {
        let what = "one of " + allowed.joined(separator: ", ")
        guard let word = string(node, path, what: what) else { return nil }
        guard allowed.contains(word) else {
            report(node.loc, path, "expected \(what), found \"\(word)\"", suggestion: nearest(word, in: allowed))
            return nil
        }
        return word
    }

    /// A non-empty list of known ids.
    func idList(_ node: YNode, _ path: String, known: [String], kind: String) -> [String]? {
        guard case .seq(let seq) = node else {
            report(node.loc, path, "expected a list of \(kind) ids, found \(describe(node))")
            return nil
        }
        guard !seq.items.isEmpty else {
            report(node.loc, path, "expected a non-empty list of \(kind) ids (omit the key to match every \(kind))")
            return nil
        }
        var out: [String] = []
        var ok = true
        for (i, item) in seq.items.enumerated() {
            guard let id = string(item, "\(path)[\(i)]", what: "a \(kind) id") else {
                ok = false
                continue
            }
            guard known.contains(id) else {
                report(
                    item.loc, "\(path)[\(i)]", "unknown \(kind) '\(id)' (known: \(known.joined(separator: ", ")))",
                    suggestion: nearest(id, in: known))
                ok = false
                continue
            }
            out.append(id)
        }
        return ok ? out : nil
    }

    // MARK: mappings

    func mapping(_ node: YNode, _ path: String, what: String) -> YMap? {
        guard case .map(let m) = node else {
            report(node.loc, path, "expected \(what), found \(describe(node))")
            return nil
        }
        return m
    }

    /// Reports keys `place` does not have and required keys that are missing.
    func checkKeys(_ m: YMap, _ path: String, _ place: Place, anchor: Loc) {
        checkKeys(m, path, allowed: place.keys, required: place.required, anchor: anchor)
    }

    /// Reports unknown and missing keys. `anchor` is where a missing key is reported (the key that holds the mapping).
    func checkKeys(_ m: YMap, _ path: String, allowed: [String], required: [String], anchor: Loc, unknown: ((YEntry) -> Void)? = nil) {
        for entry in m.entries where !allowed.contains(entry.key) {
            if let unknown {
                unknown(entry)
            } else {
                report(entry.keyLoc, join(path, entry.key), "unknown key", suggestion: nearest(entry.key, in: allowed))
            }
        }
        // A misspelt required key is reported once, as the unknown key with its did-you-mean.
        let misspelt = Set(m.entries.filter { !allowed.contains($0.key) }.compactMap { nearest($0.key, in: allowed) })
        for key in required where m[key] == nil && !misspelt.contains(key) {
            report(anchor, join(path, key), "missing required key '\(key)'")
        }
    }

    /// The value of an optional key, nil when absent or null.
    func optional(_ m: YMap, _ key: String) -> YNode? {
        guard let value = m[key]?.value, !value.isNull else { return nil }
        return value
    }

    /// A mapping keyed by every id of a dimension (`ids`), in `ids` order; unknown and missing ids are reported.
    func keyed<T>(
        _ node: YNode, _ path: String, anchor: Loc, ids: [String], kind: String, reason: String,
        _ element: (YNode, String, Loc) -> T?
    ) -> [T]? {
        guard let m = mapping(node, path, what: "a mapping of \(kind) → value") else { return nil }
        var values: [String: T] = [:]
        var ok = true
        for entry in m.entries {
            guard ids.contains(entry.key) else {
                report(entry.keyLoc, join(path, entry.key), "unknown \(kind) '\(entry.key)'", suggestion: nearest(entry.key, in: ids))
                ok = false
                continue
            }
            if let value = element(entry.value, join(path, entry.key), entry.keyLoc) { values[entry.key] = value } else { ok = false }
        }
        for id in ids where m[id] == nil {
            report(anchor, join(path, id), "missing: \(reason)")
            ok = false
        }
        return ok ? ids.map { values[$0]! } : nil
    }

    /// One number for every segment, or a mapping of segment → number.
    func perSegment(_ node: YNode, _ path: String, anchor: Loc, segments: [String], _ rule: Rule) -> [Double]? {
        if case .scalar = node, !node.isNull {
            return number(node, path, rule).map { x in segments.map { _ in x } }
        }
        guard case .map = node else {
            report(node.loc, path, "expected \(rule.expected) or a mapping of segment → number, found \(describe(node))")
            return nil
        }
        return keyed(node, path, anchor: anchor, ids: segments, kind: "segment", reason: "give every segment or one number for all") {
            value, p, _ in number(value, p, rule)
        }
    }

    func checkSum(_ values: [Double], _ node: YNode, _ path: String, what: String) {
        let sum = values.reduce(0, +)
        if abs(sum - 1) > 1e-6 {
            report(node.loc, path, "\(what) must sum to 1, found \(formatNumber((sum * 1e12).rounded() / 1e12))")
        }
    }

    // MARK: scenario

    func scenario(_ root: YNode) -> Scenario? {
        guard let top = mapping(root, "", what: "a scenario (a mapping with name, horizon, segments, regions, groups, classes)") else {
            return nil
        }
        let anchor = top.loc
        checkKeys(
            top, "", allowed: Schema.top.keys.filter { $0 != "extends" && $0 != "remove" }, required: Schema.top.required, anchor: anchor)

        let name = top["name"].flatMap { string($0.value, "name") }
        let description = optional(top, "description").map { string($0, "description") } ?? ""
        let horizon = top["horizon"].flatMap { readHorizon($0) }
        let solver = optional(top, "solver").map { readSolver($0) } ?? SolverSettings()
        let model = optional(top, "model").map { readModel($0) } ?? ModelParameters()
        let segments = top["segments"].flatMap { readSegmentList($0.value) }
        let classes = top["classes"].flatMap {
            dimension($0, kind: "class", what: "a mapping of class id → customer class", readCustomerClass)
        }

        let segmentIDs = segments ?? []
        let classIDs = top["classes"]?.value.mapValue?.keys ?? []
        let groupIDs = top["groups"]?.value.mapValue?.keys ?? []
        let groups = top["groups"].flatMap { entry in
            dimension(entry, kind: "group", what: "a mapping of group id → provider group") { id, e in
                readGroup(id, e, segments: segmentIDs, depreciation: model?.depreciation)
            }
        }
        let availability = Dictionary(
            uniqueKeysWithValues: (top["groups"]?.value.mapValue?.entries ?? []).compactMap { e -> (String, Double)? in
                guard let node = e.value.mapValue?["available_from"]?.value, case .scalar(let s) = node, s.plain,
                    let x = parseNumber(s.text), x.isFinite
                else { return nil }
                return (e.key, x)
            })
        let regions = top["regions"].flatMap { entry in
            dimension(entry, kind: "region", what: "a mapping of region id → region") { id, e in
                readRegion(id, e, segments: segmentIDs, classes: classIDs, groups: groupIDs, availability: availability)
            }
        }
        let regionIDs = top["regions"]?.value.mapValue?.keys ?? []

        var levers: [Lever]? = []
        if let node = optional(top, "levers") {
            levers = leverList(
                node,
                context: LeverContext(
                    regions: regionIDs, segments: segmentIDs, groups: groupIDs, classes: classIDs, typedGroups: groups,
                    typedRegions: regions))
        }
        var targets: [Target]? = []
        if let node = optional(top, "targets") {
            targets = targetList(node, regions: regionIDs, segments: segmentIDs, groups: groupIDs, typedRegions: regions, horizon: horizon)
        }

        guard diagnostics.problems.isEmpty, let name, let horizon, let solver, let model, let segments, let regions, let groups,
            let classes, let levers, let targets
        else {
            if diagnostics.problems.isEmpty { report(root.loc, "", "the scenario is invalid") }
            return nil
        }
        return Scenario(
            name: name, description: description ?? "", horizon: horizon, solver: solver, model: model, segments: segments,
            regions: regions, groups: groups, classes: classes, levers: levers, targets: targets)
    }

    /// A required, non-empty mapping of id → element, typed in file order.
    private func dimension<T>(_ entry: YEntry, kind: String, what: String, _ element: (String, YEntry) -> T?) -> [T]? {
        guard let m = mapping(entry.value, entry.key, what: what) else { return nil }
        guard !m.entries.isEmpty else {
            report(entry.value.loc, entry.key, "expected at least one \(kind)")
            return nil
        }
        var out: [T] = []
        var ok = true
        for e in m.entries {
            if let value = element(e.key, e) { out.append(value) } else { ok = false }
        }
        return ok ? out : nil
    }

    private func readHorizon(_ entry: YEntry) -> Horizon? {
        guard let m = mapping(entry.value, "horizon", what: "a mapping {start, end, steps_per_year}") else { return nil }
        checkKeys(m, "horizon", Schema.horizon, anchor: entry.keyLoc)
        let start = number("start", in: m, at: "horizon", of: Schema.horizon)
        var end = number("end", in: m, at: "horizon", of: Schema.horizon)
        if let start, let e = end, e <= start, let node = m["end"]?.value {
            report(node.loc, "horizon.end", "expected end > start (\(formatNumber(start))), found \(formatNumber(e))")
            end = nil
        }
        var steps: Int? = 1
        if let node = optional(m, "steps_per_year") {
            steps = nil
            if let x = number(node, "horizon.steps_per_year") {
                if x >= 1, x == x.rounded(), x < 1e6 {
                    steps = Int(x)
                } else {
                    report(node.loc, "horizon.steps_per_year", "expected a whole number ≥ 1, found \(formatNumber(x))")
                }
            }
        }
        guard let start, let end, let steps else { return nil }
        let horizon = Horizon(start: start, end: end, stepsPerYear: steps)
        // The end must be a reporting time itself, not cut silently to the last one before it.
        if horizon.reportingIndex(of: end) == nil, let node = m["end"]?.value {
            report(
                node.loc, "horizon.end",
                "expected a reporting time (start + k/steps_per_year), found \(formatNumber(end)): "
                    + "\(formatNumber(end - start)) years is not a whole number of 1/\(steps)-year steps")
            return nil
        }
        return horizon
    }

    private func readSolver(_ node: YNode) -> SolverSettings? {
        guard let m = mapping(node, "solver", what: "a mapping {method, abs_tol, rel_tol, initial_step}") else { return nil }
        checkKeys(m, "solver", Schema.solver, anchor: node.loc)
        var settings = SolverSettings()
        var ok = true
        if let node = optional(m, "method") {
            if let word = choice(node, "solver.method", SolverMethod.allCases.map(\.rawValue)), let method = SolverMethod(rawValue: word) {
                settings.method = method
            } else {
                ok = false
            }
        }
        func positive(_ key: String, _ into: WritableKeyPath<SolverSettings, Double>) {
            guard let node = optional(m, key) else { return }
            if let x = number(node, "solver." + key, Schema.solver.rule(key)) { settings[keyPath: into] = x } else { ok = false }
        }
        positive("abs_tol", \.absoluteTolerance)
        positive("rel_tol", \.relativeTolerance)
        positive("initial_step", \.initialStep)
        return ok ? settings : nil
    }

    private func readModel(_ node: YNode) -> ModelParameters? {
        guard let m = mapping(node, "model", what: "a mapping of model constants") else { return nil }
        checkKeys(m, "model", Schema.model, anchor: node.loc)
        var params = ModelParameters()
        var ok = true
        let fields: [(String, WritableKeyPath<ModelParameters, Double>)] = [
            ("price_sensitivity", \.priceSensitivity), ("capability_elasticity", \.capabilityElasticity),
            ("depreciation", \.depreciation), ("network_effect", \.networkEffect), ("share_floor", \.shareFloor),
        ]
        for (key, path) in fields {
            guard let node = optional(m, key) else { continue }
            if let x = number(node, "model." + key, Schema.model.rule(key)) { params[keyPath: path] = x } else { ok = false }
        }
        return ok ? params : nil
    }

    private func readSegmentList(_ node: YNode) -> [String]? {
        guard case .seq(let seq) = node, !seq.items.isEmpty else {
            report(node.loc, "segments", "expected a non-empty list of segment ids, found \(describe(node))")
            return nil
        }
        var out: [String] = []
        for (i, item) in seq.items.enumerated() {
            guard let id = string(item, "segments[\(i)]", what: "a segment id") else { return nil }
            if out.contains(id) {
                report(item.loc, "segments[\(i)]", "duplicate segment '\(id)'")
                return nil
            }
            out.append(id)
        }
        return out
    }

    // MARK: classes, groups, regions

    private func readCustomerClass(_ id: String, _ entry: YEntry) -> CustomerClass? {
        let path = "classes." + id
        guard let m = mapping(entry.value, path, what: "a customer class (a mapping)") else { return nil }
        checkKeys(m, path, Schema.customerClass, anchor: entry.keyLoc)
        let name = optional(m, "name").map { string($0, path + ".name") } ?? id
        let place = Schema.customerClass
        guard let name, let sensitive = number("sensitive", in: m, at: path, of: place),
            let wa = number("sovereignty_pref", in: m, at: path, of: place),
            let ws = number("sensitive_pref", in: m, at: path, of: place), let mandate = number("mandate", in: m, at: path, of: place),
            let churn = number("churn", in: m, at: path, of: place)
        else { return nil }
        return CustomerClass(
            id: id, name: name, sensitive: sensitive, sovereigntyPreference: wa, sensitivePreference: ws, mandate: mandate, churn: churn)
    }

    private func readGroup(_ id: String, _ entry: YEntry, segments: [String], depreciation: Double?) -> Group? {
        let path = "groups." + id
        guard let m = mapping(entry.value, path, what: "a provider group (a mapping)") else { return nil }
        checkKeys(m, path, Schema.group, anchor: entry.keyLoc)
        let name = optional(m, "name").map { string($0, path + ".name") } ?? id
        let origin = m["origin"].flatMap { choice($0.value, path + ".origin", Origin.allCases.map(\.rawValue)) }.flatMap(Origin.init)
        let sovereignty =
            optional(m, "sovereignty").map { number($0, path + ".sovereignty", Schema.group.rule("sovereignty")) }
            ?? origin?.defaultSovereignty
        let appeal = m["appeal"].flatMap {
            perSegment($0.value, path + ".appeal", anchor: $0.keyLoc, segments: segments, Schema.group.rule("appeal"))
        }
        var price: [Double]? = segments.map { _ in 1.0 }
        if let e = m["price"], !e.value.isNull {
            price = perSegment(e.value, path + ".price", anchor: e.keyLoc, segments: segments, Schema.group.rule("price"))
        }
        let qualified = optional(m, "qualified").map { number($0, path + ".qualified", Schema.group.rule("qualified")) } ?? 0
        var investment: Investment?? = .some(nil)
        if let node = optional(m, "investment") {
            investment = readInvestment(node, path + ".investment", anchor: m["investment"]!.keyLoc, depreciation: depreciation).map {
                .some($0)
            }
        }
        let availableFrom: Double?? =
            optional(m, "available_from").map { number($0, path + ".available_from", Schema.group.rule("available_from")) } ?? .some(nil)
        guard let name, let origin, let sovereignty, let appeal, let price, let qualified, let investment, let availableFrom else {
            return nil
        }
        return Group(
            id: id, name: name, origin: origin, sovereignty: sovereignty, appeal: appeal, price: price, qualified: qualified,
            investment: investment, availableFrom: availableFrom)
    }

    private func readInvestment(_ node: YNode, _ path: String, anchor: Loc, depreciation: Double?) -> Investment? {
        guard let m = mapping(node, path, what: "a mapping {level, growth}") else { return nil }
        checkKeys(m, path, Schema.investment, anchor: anchor)
        let level = number("level", in: m, at: path, of: Schema.investment)
        guard let growthNode = m["growth"]?.value, let growth = number(growthNode, path + ".growth", Schema.investment.rule("growth")),
            let level
        else {
            return nil
        }
        if let delta = depreciation, delta + log(1 + growth) <= 0 {
            report(
                growthNode.loc, path + ".growth",
                "expected depreciation + ln(1+growth) > 0 (a positive initial knowledge stock); found \(formatNumber(delta)) + ln(1+\(formatNumber(growth))) = \(formatNumber(delta + log(1 + growth)))"
            )
            return nil
        }
        return Investment(level: level, growth: growth)
    }

    private func readRegion(
        _ id: String, _ entry: YEntry, segments: [String], classes: [String], groups: [String], availability: [String: Double]
    ) -> Region? {
        let path = "regions." + id
        guard let m = mapping(entry.value, path, what: "a region (a mapping)") else { return nil }
        checkKeys(m, path, Schema.region, anchor: entry.keyLoc)
        let name = optional(m, "name").map { string($0, path + ".name") } ?? id
        let markets = m["segments"].flatMap { e in
            keyed(e.value, path + ".segments", anchor: e.keyLoc, ids: segments, kind: "segment", reason: "every region lists every segment")
            {
                node, p, keyLoc in readMarket(node, p, anchor: keyLoc)
            }
        }
        let mix = m["classes"].flatMap { e -> [Double]? in
            let values = keyed(
                e.value, path + ".classes", anchor: e.keyLoc, ids: classes, kind: "class", reason: "the class mix lists every class"
            ) {
                node, p, _ in number(node, p, Schema.region.rule("classes"))
            }
            if let values { checkSum(values, e.value, path + ".classes", what: "the class mix") }
            return values
        }
        let shares = m["shares"].flatMap { e in
            keyed(e.value, path + ".shares", anchor: e.keyLoc, ids: segments, kind: "segment", reason: "every region lists every segment") {
                rowNode, rowPath, rowKey -> [Double]? in
                let row = keyed(rowNode, rowPath, anchor: rowKey, ids: groups, kind: "group", reason: "every share row lists every group") {
                    node, p, _ in number(node, p, Schema.region.rule("shares"))
                }
                guard let row else { return nil }
                checkSum(row, rowNode, rowPath, what: "the shares")
                var ok = true
                for (g, share) in zip(groups, row) where share > 0 {
                    if let from = availability[g], let node = rowNode.mapValue?[g]?.value {
                        report(
                            node.loc, join(rowPath, g),
                            "group '\(g)' is available only from \(formatNumber(from)) (available_from), so its initial share must be 0; found \(formatNumber(share))"
                        )
                        ok = false
                    }
                }
                return ok ? row : nil
            }
        }
        var adoption: Adoption?? = .some(nil)
        if let node = optional(m, "adoption") {
            adoption = readAdoption(node, path + ".adoption", anchor: m["adoption"]!.keyLoc).map { .some($0) }
        }
        guard let name, let markets, let mix, let shares, let adoption else { return nil }
        return Region(id: id, name: name, markets: markets, classMix: mix, initialShares: shares, adoption: adoption)
    }

    private func readMarket(_ node: YNode, _ path: String, anchor: Loc) -> SegmentMarket? {
        guard let m = mapping(node, path, what: "a mapping {size, growth}") else { return nil }
        checkKeys(m, path, Schema.market, anchor: anchor)
        let size = number("size", in: m, at: path, of: Schema.market)
        let growth = m["growth"].flatMap { readGrowth($0.value, path + ".growth", anchor: $0.keyLoc) }
        guard let size, let growth else { return nil }
        return SegmentMarket(size: size, growth: growth)
    }

    private func readGrowth(_ node: YNode, _ path: String, anchor: Loc) -> Growth? {
        if case .scalar = node {
            return number(node, path, Schema.growth.rule("rate")).map { Growth(rate: $0) }
        }
        guard let m = mapping(node, path, what: "a growth rate or a mapping {rate, long_run, half_life}") else { return nil }
        checkKeys(m, path, Schema.growth, anchor: anchor)
        let rate = number("rate", in: m, at: path, of: Schema.growth)
        let longRunNode = optional(m, "long_run")
        let halfLifeNode = optional(m, "half_life")
        let longRun: Double?? = longRunNode.map { number($0, path + ".long_run", Schema.growth.rule("long_run")) } ?? .some(nil)
        let halfLife: Double?? = halfLifeNode.map { number($0, path + ".half_life", Schema.growth.rule("half_life")) } ?? .some(nil)
        if (longRunNode == nil) != (halfLifeNode == nil) {
            let (given, missing) = longRunNode == nil ? ("half_life", "long_run") : ("long_run", "half_life")
            report((longRunNode ?? halfLifeNode)!.loc, join(path, given), "long_run and half_life come together: add \(missing)")
            return nil
        }
        guard let rate, let longRun, let halfLife else { return nil }
        return Growth(rate: rate, longRun: longRun, halfLife: halfLife)
    }

    private func readAdoption(_ node: YNode, _ path: String, anchor: Loc) -> Adoption? {
        guard let m = mapping(node, path, what: "a mapping {initial, ceiling, p, q}") else { return nil }
        checkKeys(m, path, Schema.adoption, anchor: anchor)
        let initial = number("initial", in: m, at: path, of: Schema.adoption)
        let ceiling = number("ceiling", in: m, at: path, of: Schema.adoption)
        let p = number("p", in: m, at: path, of: Schema.adoption)
        let q = number("q", in: m, at: path, of: Schema.adoption)
        guard let initial, let ceiling, let p, let q else { return nil }
        if initial > ceiling {
            report(
                m["initial"]!.value.loc, path + ".initial",
                "expected initial ≤ ceiling (\(formatNumber(ceiling))), found \(formatNumber(initial))")
            return nil
        }
        return Adoption(initial: initial, ceiling: ceiling, p: p, q: q)
    }
}
