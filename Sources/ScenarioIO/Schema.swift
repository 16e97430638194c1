import CloudMarket

/// The keys a scenario file may use at each place (DESIGN §2).
enum Schema {
    static let top = [
        "name", "description", "extends", "remove", "horizon", "solver", "model", "segments", "regions", "groups", "classes", "levers",
        "targets",
    ]
    static let topRequired = ["name", "horizon", "segments", "regions", "groups", "classes"]
    static let horizon = ["start", "end", "steps_per_year"]
    static let solver = ["method", "abs_tol", "rel_tol", "initial_step"]
    static let model = ["price_sensitivity", "capability_elasticity", "depreciation", "network_effect", "share_floor"]
    static let region = ["name", "segments", "classes", "shares", "adoption"]
    static let market = ["size", "growth"]
    static let growth = ["rate", "long_run", "half_life"]
    static let adoption = ["initial", "ceiling", "p", "q"]
    static let group = ["name", "origin", "sovereignty", "appeal", "price", "qualified", "investment", "available_from"]
    static let investment = ["level", "growth"]
    static let customerClass = ["name", "sensitive", "sovereignty_pref", "sensitive_pref", "mandate", "churn"]
    static let classRequired = ["sensitive", "sovereignty_pref", "sensitive_pref", "mandate", "churn"]
    static let leverCommon = ["id", "type", "label", "source", "start"]
    static let target = ["id", "label", "variable", "region", "segment", "group", "year", "relative_to", "at_least", "at_most"]

    /// The fields of each lever type, beyond the common ones, filters, `ramp` and `end`.
    static func leverFields(_ type: String) -> [String] {
        switch type {
        case "mandate", "qualification", "sensitive_scope": ["level"]
        case "portability": ["churn_multiplier"]
        case "procurement": ["bonus"]
        case "trust_shock": ["magnitude", "half_life"]
        case "demand": ["extra_growth"]
        case "price": ["factor"]
        case "appeal": ["delta"]
        case "funding": ["amount", "years", "leverage", "split"]
        case "adoption": ["p_factor", "q_factor"]
        default: []
        }
    }

    /// A lever kind with placeholder values, to ask it about its filters and time shape.
    static func sampleKind(_ type: String) -> Lever.Kind? {
        switch type {
        case "mandate": .mandate(level: 0)
        case "qualification": .qualification(level: 0)
        case "sensitive_scope": .sensitiveScope(level: 0)
        case "portability": .portability(churnMultiplier: 1)
        case "procurement": .procurement(bonus: 0)
        case "trust_shock": .trustShock(magnitude: 0, halfLife: 1)
        case "demand": .demand(extraGrowth: 0)
        case "price": .price(factor: 1)
        case "appeal": .appeal(delta: 0)
        case "funding": .funding(amount: 0, years: 1, leverage: 0, split: nil)
        case "adoption": .adoption(pFactor: 1, qFactor: 1)
        default: nil
        }
    }

    /// Every key a lever of this type may have, in the canonical order.
    static func leverKeys(_ type: String) -> [String] {
        guard let kind = sampleKind(type) else { return leverCommon }
        let filters = Lever.Filter.Dimension.allCases.filter { kind.allowedFilters.contains($0) }.map(\.rawValue)
        return leverCommon + (kind.takesRampAndEnd ? ["ramp", "end"] : []) + filters + leverFields(type)
    }

    // MARK: overrides

    /// The keys that may be created at `path` (mapping keys from the root; levers and targets by id), or nil when
    /// only existing keys may be addressed.
    static func keys(at path: [String], in root: YNode) -> [String]? {
        switch path.count {
        case 0: return top.filter { $0 != "extends" && $0 != "remove" }
        case 1:
            switch path[0] {
            case "horizon": return horizon
            case "solver": return solver
            case "model": return model
            default: return nil
            }
        default: break
        }
        switch (path[0], path.count) {
        case ("regions", 2): return region
        case ("regions", 3):
            switch path[2] {
            case "segments", "shares": return segments(root)
            case "classes": return mapKeys(root, "classes")
            case "adoption": return adoption
            default: return nil
            }
        case ("regions", 4) where path[2] == "segments": return market
        case ("regions", 4) where path[2] == "shares": return mapKeys(root, "groups")
        case ("regions", 5) where path[2] == "segments" && path[4] == "growth": return growth
        case ("groups", 2): return group
        case ("groups", 3) where path[2] == "appeal" || path[2] == "price": return segments(root)
        case ("groups", 3) where path[2] == "investment": return investment
        case ("classes", 2): return customerClass
        case ("levers", 2):
            let type = leverItem(root, "levers", path[1])?["type"]?.value.text ?? ""
            if sampleKind(type) == nil {
                return leverCommon + ["ramp", "end"] + Lever.Filter.Dimension.allCases.map(\.rawValue)
                    + Lever.Kind.typeNames.flatMap(leverFields)
            }
            return leverKeys(type)
        case ("levers", 3) where path[2] == "split": return mapKeys(root, "groups")
        case ("targets", 2): return target
        default: return nil
        }
    }

    /// True at `groups.<g>.appeal` and `groups.<g>.price`, which may be one number for all segments.
    static func isPerSegment(_ path: [String]) -> Bool {
        path.count == 3 && path[0] == "groups" && (path[2] == "appeal" || path[2] == "price")
    }

    /// True at `regions.<r>.segments.<s>.growth`, which may be a plain rate.
    static func isGrowth(_ path: [String]) -> Bool {
        path.count == 5 && path[0] == "regions" && path[2] == "segments" && path[4] == "growth"
    }

    static func segments(_ root: YNode) -> [String] {
        root.mapValue?["segments"]?.value.seqValue?.items.compactMap(\.text) ?? []
    }

    static func mapKeys(_ root: YNode, _ key: String) -> [String] {
        root.mapValue?[key]?.value.mapValue?.keys ?? []
    }

    static func leverItem(_ root: YNode, _ list: String, _ id: String) -> YMap? {
        root.mapValue?[list]?.value.seqValue?.items.lazy.compactMap(\.mapValue).first { $0["id"]?.value.text == id }
    }
}
