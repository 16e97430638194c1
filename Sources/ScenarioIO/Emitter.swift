import CloudMarket

/// Writes a typed scenario back as YAML, every default spelled out, so that loading the text again gives an equal `Scenario`.
enum Emitter {
    static func yaml(_ s: Scenario) -> String {
        var out: [String] = []
        out.append("name: \(str(s.name))")
        out.append("description: \(str(s.description))")
        out.append(
            "horizon: {start: \(num(s.horizon.start)), end: \(num(s.horizon.end)), steps_per_year: \(s.horizon.stepsPerYear)}")
        out.append(
            "solver: {method: \(s.solver.method.rawValue), abs_tol: \(num(s.solver.absoluteTolerance)), "
                + "rel_tol: \(num(s.solver.relativeTolerance)), initial_step: \(num(s.solver.initialStep))}")
        out.append("model:")
        out.append("  price_sensitivity: \(num(s.model.priceSensitivity))")
        out.append("  capability_elasticity: \(num(s.model.capabilityElasticity))")
        out.append("  depreciation: \(num(s.model.depreciation))")
        out.append("  network_effect: \(num(s.model.networkEffect))")
        out.append("  share_floor: \(num(s.model.shareFloor))")
        out.append("segments: " + list(s.segments.map(str)))
        out.append("regions:")
        for r in s.regions {
            out.append("  \(str(r.id)):")
            out.append("    name: \(str(r.name))")
            out.append("    segments:")
            for (segment, market) in zip(s.segments, r.markets) {
                let g = market.growth
                var growth = num(g.rate)
                if let longRun = g.longRun, let halfLife = g.halfLife {
                    growth = "{rate: \(num(g.rate)), long_run: \(num(longRun)), half_life: \(num(halfLife))}"
                }
                out.append("      \(str(segment)): {size: \(num(market.size)), growth: \(growth)}")
            }
            out.append("    classes: " + flowMap(zip(s.classes.map(\.id), r.classMix.map(num))))
            out.append("    shares:")
            for (segment, row) in zip(s.segments, r.initialShares) {
                out.append("      \(str(segment)): " + flowMap(zip(s.groups.map(\.id), row.map(num))))
            }
            if let a = r.adoption {
                out.append("    adoption: {initial: \(num(a.initial)), ceiling: \(num(a.ceiling)), p: \(num(a.p)), q: \(num(a.q))}")
            }
        }
        out.append("groups:")
        for g in s.groups {
            out.append("  \(str(g.id)):")
            out.append("    name: \(str(g.name))")
            out.append("    origin: \(g.origin.rawValue)")
            out.append("    sovereignty: \(num(g.sovereignty))")
            out.append("    appeal: " + flowMap(zip(s.segments, g.appeal.map(num))))
            out.append("    price: " + flowMap(zip(s.segments, g.price.map(num))))
            out.append("    qualified: \(num(g.qualified))")
            if let i = g.investment { out.append("    investment: {level: \(num(i.level)), growth: \(num(i.growth))}") }
            if let from = g.availableFrom { out.append("    available_from: \(num(from))") }
        }
        out.append("classes:")
        for c in s.classes {
            out.append("  \(str(c.id)):")
            out.append("    name: \(str(c.name))")
            out.append("    sensitive: \(num(c.sensitive))")
            out.append("    sovereignty_pref: \(num(c.sovereigntyPreference))")
            out.append("    sensitive_pref: \(num(c.sensitivePreference))")
            out.append("    mandate: \(num(c.mandate))")
            out.append("    churn: \(num(c.churn))")
        }
        out.append(s.levers.isEmpty ? "levers: []" : "levers:")
        for l in s.levers {
            out.append("  - id: \(str(l.id))")
            out.append("    type: \(l.kind.typeName)")
            out.append("    label: \(str(l.label))")
            out.append("    source: \(str(l.source))")
            let f = l.filter
            if let v = f.regions { out.append("    regions: " + list(v.map(str))) }
            if let v = f.segments { out.append("    segments: " + list(v.map(str))) }
            if let v = f.groups { out.append("    groups: " + list(v.map(str))) }
            if let v = f.origins { out.append("    origins: " + list(v.map(\.rawValue))) }
            if let v = f.classes { out.append("    classes: " + list(v.map(str))) }
            out.append("    start: \(num(l.start))")
            if l.kind.takesRampAndEnd {
                out.append("    ramp: \(num(l.ramp))")
                if let end = l.end { out.append("    end: \(num(end))") }
            }
            for (key, value) in ParameterCatalog.fields(of: l.kind) { out.append("    \(key): \(num(value))") }
            if case .funding(_, _, _, let split?) = l.kind {
                out.append("    split: " + flowMap(orderedSplit(split, s).map { (str($0.0), num($0.1)) }))
            }
        }
        out.append(s.targets.isEmpty ? "targets: []" : "targets:")
        for t in s.targets {
            out.append("  - id: \(str(t.id))")
            out.append("    label: \(str(t.label))")
            out.append("    variable: \(t.variable.rawValue)")
            switch t.variable.keys {
            case .regionSegmentGroup, .regionSegment:
                out.append("    region: \(str(t.region))")
                out.append("    segment: \(str(t.segment))")
            case .region:
                out.append("    region: \(str(t.region))")
            case .group:
                break
            }
            if let g = t.group { out.append("    group: \(str(g))") }
            out.append("    year: \(num(t.year))")
            if let r = t.relativeTo { out.append("    relative_to: \(num(r))") }
            switch t.bound {
            case .atLeast(let x): out.append("    at_least: \(num(x))")
            case .atMost(let x): out.append("    at_most: \(num(x))")
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// Split weights in group order (the dictionary has none).
    static func orderedSplit(_ split: [String: Double], _ s: Scenario) -> [(String, Double)] {
        let order = s.groups.map(\.id)
        return split.sorted { a, b in
            (order.firstIndex(of: a.key) ?? .max, a.key) < (order.firstIndex(of: b.key) ?? .max, b.key)
        }.map { ($0.key, $0.value) }
    }

    private static func flowMap<S: Sequence>(_ pairs: S) -> String where S.Element == (String, String) {
        "{" + pairs.map { "\(str($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
    }

    private static func list(_ items: [String]) -> String { "[" + items.joined(separator: ", ") + "]" }

    /// A number YAML 1.1 and 1.2 readers both take as a float or integer, in shortest round-trip form.
    static func num(_ x: Double) -> String {
        var text = formatNumber(x)
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }), !text[..<e].contains(".") {
            text.insert(contentsOf: ".0", at: e)
        }
        return text
    }

    private static let reserved: Set<String> = [
        "null", "true", "false", "yes", "no", "on", "off", "y", "n", "~",
    ]

    /// A string, plain when that is unambiguous, else double-quoted.
    static func str(_ s: String) -> String {
        let safe =
            !s.isEmpty && !reserved.contains(s.lowercased())
            && s.unicodeScalars.first.map { ($0 >= "A" && $0 <= "Z") || ($0 >= "a" && $0 <= "z") || $0 == "_" } == true
            && s.unicodeScalars.allSatisfy { c in
                (c >= "A" && c <= "Z") || (c >= "a" && c <= "z") || (c >= "0" && c <= "9") || c == "_" || c == "-"
            }
        if safe { return s }
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if c.value < 0x20 || c.value == 0x7F {
                    let hex = String(c.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        return out + "\""
    }
}
