import CloudMarket

/// A parameter path that names one plain number of a typed scenario, checked by its range alone (from `Schema`, as the
/// validator checks it): experiments set it
/// straight on the scenario they already have, where typing the whole file again would cost more than a short run.
///
/// Only numbers that no other check reads qualify: not `model.depreciation`, which bounds investment growth, nor the
/// class mix and shares, which must sum to 1. A value outside the range takes the file path instead, and so fails
/// with the usual message.
struct PlainNumber: Sendable {
    let rule: Rule
    let set: @Sendable (inout Scenario, Double) -> Void

    /// The number at `path` in `scenario`, or nil when the path is not one of these plain numbers.
    init?(path: String, in scenario: Scenario) {
        let parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let group = parts.count > 1 ? scenario.groups.firstIndex { $0.id == parts[1] } : nil
        let segment = parts.count > 3 ? scenario.segments.firstIndex(of: parts[3]) : nil
        switch parts.count {
        case 2 where parts[0] == "model":
            switch parts[1] {
            case "price_sensitivity": self.init(Schema.model.rule(parts[1])) { $0.model.priceSensitivity = $1 }
            case "capability_elasticity": self.init(Schema.model.rule(parts[1])) { $0.model.capabilityElasticity = $1 }
            case "network_effect": self.init(Schema.model.rule(parts[1])) { $0.model.networkEffect = $1 }
            case "share_floor": self.init(Schema.model.rule(parts[1])) { $0.model.shareFloor = $1 }
            default: return nil
            }
        case 3 where parts[0] == "classes":
            guard let c = scenario.classes.firstIndex(where: { $0.id == parts[1] }) else { return nil }
            switch parts[2] {
            case "sensitive": self.init(Schema.customerClass.rule(parts[2])) { $0.classes[c].sensitive = $1 }
            case "sovereignty_pref": self.init(Schema.customerClass.rule(parts[2])) { $0.classes[c].sovereigntyPreference = $1 }
            case "sensitive_pref": self.init(Schema.customerClass.rule(parts[2])) { $0.classes[c].sensitivePreference = $1 }
            case "mandate": self.init(Schema.customerClass.rule(parts[2])) { $0.classes[c].mandate = $1 }
            case "churn": self.init(Schema.customerClass.rule(parts[2])) { $0.classes[c].churn = $1 }
            default: return nil
            }
        case 3 where parts[0] == "groups":
            guard let g = group else { return nil }
            switch parts[2] {
            case "appeal": self.init(Schema.group.rule(parts[2])) { $0.groups[g].appeal = Array(repeating: $1, count: $0.segments.count) }
            case "qualified": self.init(Schema.group.rule(parts[2])) { $0.groups[g].qualified = $1 }
            case "sovereignty": self.init(Schema.group.rule(parts[2])) { $0.groups[g].sovereignty = $1 }
            default: return nil
            }
        case 4 where parts[0] == "groups" && parts[2] == "appeal":
            guard let g = group, let s = segment else { return nil }
            self.init(Schema.group.rule("appeal")) { $0.groups[g].appeal[s] = $1 }
        case 5 where parts[0] == "regions" && parts[2] == "segments" && parts[4] == "size":
            guard let r = scenario.regions.firstIndex(where: { $0.id == parts[1] }), let s = segment else { return nil }
            self.init(Schema.market.rule("size")) { $0.regions[r].markets[s].size = $1 }
        default:
            return nil
        }
    }

    private init(_ rule: Rule, set: @escaping @Sendable (inout Scenario, Double) -> Void) {
        self.rule = rule
        self.set = set
    }

    /// Whether the file path would accept `x` here, as it accepted the value the scenario already holds.
    func accepts(_ x: Double) -> Bool { x.isFinite && rule.holds(x) }
}
