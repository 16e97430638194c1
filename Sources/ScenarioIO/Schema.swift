import CloudMarket

/// What a key of a scenario file holds. The validator (`Typer`) reads each key by it, and `cloudmarket schema`
/// turns the same definitions into a JSON Schema for editors.
indirect enum Slot: Sendable {
    case number(Rule)
    /// A whole number ≥ 1.
    case count
    case text
    case choice([String])
    /// One number for every segment, or a mapping of segment → number.
    case perSegment(Rule)
    /// A rate, or a mapping {rate, long_run, half_life}.
    case growth
    /// A list of ids.
    case ids
    case mapping(Place)
    /// A mapping of id → value (segments, regions, groups, classes).
    case byID(Slot)
    /// A list of mappings, each named by its `id` (levers, targets).
    case list(Place)
    /// A list of levers, whose keys depend on their `type`.
    case levers
}

extension Slot {
    /// The range of the numbers the slot holds, directly or through id mappings.
    var rule: Rule? {
        switch self {
        case .number(let rule), .perSegment(let rule): rule
        case .byID(let inner): inner.rule
        default: nil
        }
    }
}

/// The keys one mapping of a scenario file may have.
struct Place: Sendable {
    /// The mapping's name in the JSON Schema's `$defs`.
    let name: String
    /// What the mapping is, as the JSON Schema describes it.
    let what: String
    let fields: [(key: String, slot: Slot)]
    let required: [String]
    /// Keys of which exactly one must be given.
    var exactlyOne: [String] = []

    var keys: [String] { fields.map(\.key) }

    /// The range of the numbers under `key`: the number itself, or those of its per-segment or per-id mapping.
    func rule(_ key: String) -> Rule {
        guard let slot = fields.first(where: { $0.key == key })?.slot, let rule = slot.rule else {
            preconditionFailure("\(key) holds no number in \(what)")
        }
        return rule
    }
}

/// The keys a scenario file may use at each place (DESIGN §2), and what each holds.
enum Schema {
    static let top = Place(
        name: "scenario", what: "a scenario",
        fields: [
            ("name", .text), ("description", .text), ("extends", .text), ("remove", .ids), ("horizon", .mapping(horizon)),
            ("solver", .mapping(solver)), ("model", .mapping(model)), ("segments", .ids), ("regions", .byID(.mapping(region))),
            ("groups", .byID(.mapping(group))), ("classes", .byID(.mapping(customerClass))), ("levers", .levers),
            ("targets", .list(target)),
        ],
        required: ["name", "horizon", "segments", "regions", "groups", "classes"])
    static let horizon = Place(
        name: "horizon", what: "the horizon", fields: [("start", .number(.any)), ("end", .number(.any)), ("steps_per_year", .count)],
        required: ["start", "end"])
    static let solver = Place(
        name: "solver", what: "the solver settings",
        fields: [
            ("method", .choice(SolverMethod.allCases.map(\.rawValue))), ("abs_tol", .number(.positive)),
            ("rel_tol", .number(.positive)), ("initial_step", .number(.positive)),
        ],
        required: [])
    static let model = Place(
        name: "model", what: "the model constants",
        fields: [
            ("price_sensitivity", .number(.any)), ("capability_elasticity", .number(.any)), ("depreciation", .number(.nonNegative)),
            ("network_effect", .number(.any)), ("share_floor", .number(.openUnit)),
        ],
        required: [])
    static let region = Place(
        name: "region", what: "a region",
        fields: [
            ("name", .text), ("segments", .byID(.mapping(market))), ("classes", .byID(.number(.unit))),
            ("shares", .byID(.byID(.number(.unit)))), ("adoption", .mapping(adoption)),
        ],
        required: ["segments", "classes", "shares"])
    static let market = Place(
        name: "market", what: "a segment's market", fields: [("size", .number(.nonNegative)), ("growth", .growth)],
        required: ["size", "growth"])
    static let growth = Place(
        name: "growth", what: "a growth law",
        fields: [("rate", .number(.aboveMinusOne)), ("long_run", .number(.aboveMinusOne)), ("half_life", .number(.positive))],
        required: ["rate"])
    static let adoption = Place(
        name: "adoption", what: "an adoption curve",
        fields: [("initial", .number(.unit)), ("ceiling", .number(.unit)), ("p", .number(.nonNegative)), ("q", .number(.nonNegative))],
        required: ["initial", "ceiling", "p", "q"])
    static let group = Place(
        name: "group", what: "a provider group",
        fields: [
            ("name", .text), ("origin", .choice(Origin.allCases.map(\.rawValue))), ("sovereignty", .number(.unit)),
            ("appeal", .perSegment(.any)), ("price", .perSegment(.positive)), ("qualified", .number(.unit)),
            ("investment", .mapping(investment)), ("available_from", .number(.any)),
        ],
        required: ["origin", "appeal"])
    static let investment = Place(
        name: "investment", what: "an investment baseline", fields: [("level", .number(.positive)), ("growth", .number(.aboveMinusOne))],
        required: ["level", "growth"])
    static let customerClass = Place(
        name: "class", what: "a customer class",
        fields: [
            ("name", .text), ("sensitive", .number(.unit)), ("sovereignty_pref", .number(.any)), ("sensitive_pref", .number(.any)),
            ("mandate", .number(.unit)), ("churn", .number(.nonNegative)),
        ],
        required: ["sensitive", "sovereignty_pref", "sensitive_pref", "mandate", "churn"])
    static let target = Place(
        name: "target", what: "a target",
        fields: [
            ("id", .text), ("label", .text), ("variable", .choice(Variable.allCases.map(\.rawValue))), ("region", .text),
            ("segment", .text), ("group", .text), ("year", .number(.any)), ("relative_to", .number(.any)),
            ("at_least", .number(.any)), ("at_most", .number(.any)),
        ],
        required: ["id", "variable", "year"], exactlyOne: ["at_least", "at_most"])

    static let leverCommon: [(key: String, slot: Slot)] = [
        ("id", .text), ("type", .choice(Lever.Kind.typeNames)), ("label", .text), ("source", .text), ("start", .number(.any)),
    ]
    static let leverTiming: [(key: String, slot: Slot)] = [("ramp", .number(.nonNegative)), ("end", .number(.any))]

    /// The fields of each lever type, beyond the common ones, filters, `ramp` and `end`.
    static func leverFields(_ type: String) -> [(key: String, slot: Slot)] {
        switch type {
        case "mandate", "qualification", "sensitive_scope": [("level", .number(.unit))]
        case "portability": [("churn_multiplier", .number(.nonNegative))]
        case "procurement": [("bonus", .number(.any))]
        case "trust_shock": [("magnitude", .number(.any)), ("half_life", .number(.positive))]
        case "demand": [("extra_growth", .number(.any))]
        case "price": [("factor", .number(.positive))]
        case "appeal": [("delta", .number(.any))]
        case "funding":
            [
                ("amount", .number(.nonNegative)), ("years", .number(.positive)), ("leverage", .number(.nonNegative)),
                ("split", .byID(.number(.nonNegative))),
            ]
        case "adoption": [("p_factor", .number(.nonNegative)), ("q_factor", .number(.nonNegative))]
        default: []
        }
    }

    /// The keys of a lever of this type; its required keys are the common three and its own fields but the optional
    /// `leverage` and `split` of a funding lever.
    static func lever(_ type: String) -> Place {
        let kind = sampleKind(type)
        let filters = Lever.Filter.Dimension.allCases.filter { kind?.allowedFilters.contains($0) ?? false }
        let own = leverFields(type)
        return Place(
            name: "lever", what: "a \(type) lever",
            fields: leverCommon + (kind?.takesRampAndEnd ?? false ? leverTiming : []) + filters.map { ($0.rawValue, .ids) } + own,
            required: ["id", "type", "start"] + own.map(\.key).filter { $0 != "leverage" && $0 != "split" })
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

    // MARK: overrides

    /// The keys that may be created at `path` (mapping keys from the root; levers and targets by id), or nil when
    /// only existing keys may be addressed.
    static func keys(at path: [String], in root: YNode) -> [String]? {
        switch path.count {
        case 0: return top.keys.filter { $0 != "extends" && $0 != "remove" }
        case 1:
            switch path[0] {
            case "horizon": return horizon.keys
            case "solver": return solver.keys
            case "model": return model.keys
            default: return nil
            }
        default: break
        }
        switch (path[0], path.count) {
        case ("regions", 2): return region.keys
        case ("regions", 3):
            switch path[2] {
            case "segments", "shares": return segments(root)
            case "classes": return mapKeys(root, "classes")
            case "adoption": return adoption.keys
            default: return nil
            }
        case ("regions", 4) where path[2] == "segments": return market.keys
        case ("regions", 4) where path[2] == "shares": return mapKeys(root, "groups")
        case ("regions", 5) where path[2] == "segments" && path[4] == "growth": return growth.keys
        case ("groups", 2): return group.keys
        case ("groups", 3) where path[2] == "appeal" || path[2] == "price": return segments(root)
        case ("groups", 3) where path[2] == "investment": return investment.keys
        case ("classes", 2): return customerClass.keys
        case ("levers", 2):
            let type = leverItem(root, "levers", path[1])?["type"]?.value.text ?? ""
            if sampleKind(type) == nil {
                return (leverCommon + leverTiming).map(\.key) + Lever.Filter.Dimension.allCases.map(\.rawValue)
                    + Lever.Kind.typeNames.flatMap { leverFields($0).map(\.key) }
            }
            return lever(type).keys
        case ("levers", 3) where path[2] == "split": return mapKeys(root, "groups")
        case ("targets", 2): return target.keys
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
