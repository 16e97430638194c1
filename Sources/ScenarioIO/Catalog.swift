import CloudMarket

/// One number of a scenario, addressed by its parameter path (DESIGN §2).
public struct ParameterEntry: Sendable, Equatable {
    public let path: String
    public let value: Double
    public let unit: String
    public let meaning: String

    public init(path: String, value: Double, unit: String, meaning: String) {
        self.path = path
        self.value = value
        self.unit = unit
        self.meaning = meaning
    }
}

/// Every numeric parameter of a scenario, by the paths `--set`, sweeps and calibration use.
///
/// Horizon and solver settings are not listed: they are run settings, not model parameters (though `--set` reaches them).
public enum ParameterCatalog {
    public static func entries(for s: Scenario) -> [ParameterEntry] {
        var out: [ParameterEntry] = []
        func add(_ path: String, _ value: Double, _ unit: String, _ meaning: String) {
            out.append(ParameterEntry(path: path, value: value, unit: unit, meaning: meaning))
        }
        let m = s.model
        add("model.price_sensitivity", m.priceSensitivity, "1", "β: weight of ln(price) in utility")
        add("model.capability_elasticity", m.capabilityElasticity, "1", "θ: weight of ln(K/K0) in utility")
        add("model.depreciation", m.depreciation, "1/yr", "δ: yearly depreciation of knowledge stocks")
        add("model.network_effect", m.networkEffect, "1", "η: weight of ln(current share) in utility")
        add("model.share_floor", m.shareFloor, "fraction", "lowest share fed to ln() in the network term")
        for r in s.regions {
            let base = "regions.\(r.id)"
            for (segment, market) in zip(s.segments, r.markets) {
                let p = "\(base).segments.\(segment)"
                add("\(p).size", market.size, "MEUR/yr", "\(segment) market size in \(r.id) at the start of the horizon")
                add("\(p).growth.rate", market.growth.rate, "fraction/yr", "\(segment) growth rate in \(r.id) at the start")
                if let longRun = market.growth.longRun {
                    add("\(p).growth.long_run", longRun, "fraction/yr", "\(segment) long-run growth rate in \(r.id)")
                }
                if let halfLife = market.growth.halfLife {
                    add(
                        "\(p).growth.half_life", halfLife, "yr",
                        "years for \(segment) growth in \(r.id) to close half the gap to its long run")
                }
            }
            for (c, x) in zip(s.classes, r.classMix) {
                add("\(base).classes.\(c.id)", x, "fraction", "share of \(r.id) spend from class \(c.id)")
            }
            for (segment, row) in zip(s.segments, r.initialShares) {
                for (g, x) in zip(s.groups, row) {
                    add("\(base).shares.\(segment).\(g.id)", x, "fraction", "initial share of \(g.id) in \(r.id) \(segment)")
                }
            }
            if let a = r.adoption {
                add("\(base).adoption.initial", a.initial, "fraction of enterprises", "cloud adoption in \(r.id) at the start")
                add("\(base).adoption.ceiling", a.ceiling, "fraction of enterprises", "saturation level of cloud adoption in \(r.id)")
                add("\(base).adoption.p", a.p, "1/yr", "Bass innovation coefficient in \(r.id)")
                add("\(base).adoption.q", a.q, "1/yr", "Bass imitation coefficient in \(r.id)")
            }
        }
        for g in s.groups {
            let base = "groups.\(g.id)"
            add("\(base).sovereignty", g.sovereignty, "score in [0, 1]", "sovereignty score of \(g.id)")
            for (segment, x) in zip(s.segments, g.appeal) {
                add("\(base).appeal.\(segment)", x, "utility", "intrinsic appeal A of \(g.id) in \(segment)")
            }
            for (segment, x) in zip(s.segments, g.price) {
                add("\(base).price.\(segment)", x, "index", "relative price of \(g.id) in \(segment)")
            }
            add("\(base).qualified", g.qualified, "fraction", "share of \(g.id)'s offer that is qualified (SecNumCloud / EUCS-high)")
            if let i = g.investment {
                add("\(base).investment.level", i.level, "MEUR/yr", "R&D investment of \(g.id) at the start")
                add("\(base).investment.growth", i.growth, "fraction/yr", "yearly growth of \(g.id)'s baseline investment")
            }
            if let from = g.availableFrom {
                add("\(base).available_from", from, "year", "time from which \(g.id) can be chosen")
            }
        }
        for c in s.classes {
            let base = "classes.\(c.id)"
            add("\(base).sensitive", c.sensitive, "fraction", "σ: share of \(c.id) workloads that are sensitive")
            add("\(base).sovereignty_pref", c.sovereigntyPreference, "utility", "wa: weight of sovereignty in every \(c.id) choice")
            add(
                "\(base).sensitive_pref", c.sensitivePreference, "utility",
                "ws: extra weight of sovereignty for sensitive \(c.id) workloads")
            add("\(base).mandate", c.mandate, "fraction", "m: share of sensitive \(c.id) workloads that must go to qualified offers")
            add("\(base).churn", c.churn, "1/yr", "χ: share of the \(c.id) installed base re-tendered each year")
        }
        for l in s.levers {
            let base = "levers.\(l.id)"
            let type = l.kind.typeName
            add("\(base).start", l.start, "year", "when the \(type) lever \(l.id) starts")
            if l.kind.takesRampAndEnd {
                add("\(base).ramp", l.ramp, "yr", "years for \(l.id) to reach full effect")
                if let end = l.end { add("\(base).end", end, "year", "when \(l.id) stops") }
            }
            for (key, value) in fields(of: l.kind) {
                let (unit, meaning) = describeField(key)
                add("\(base).\(key)", value, unit, meaning)
            }
            if case .funding(_, _, _, let split?) = l.kind {
                for (g, w) in Emitter.orderedSplit(split, s) {
                    add("\(base).split.\(g)", w, "weight", "relative share of \(l.id)'s money going to \(g)")
                }
            }
        }
        for t in s.targets {
            let base = "targets.\(t.id)"
            add("\(base).year", t.year, "year", "when target \(t.id) is assessed")
            if let r = t.relativeTo { add("\(base).relative_to", r, "year", "reference time of target \(t.id) (value is a ratio)") }
            let unit = t.relativeTo == nil ? t.variable.unit : "ratio"
            switch t.bound {
            case .atLeast(let x): add("\(base).at_least", x, unit, "threshold: \(t.variable.rawValue) must reach at least this")
            case .atMost(let x): add("\(base).at_most", x, unit, "threshold: \(t.variable.rawValue) must stay at most this")
            }
        }
        return out
    }

    /// The numeric fields of a lever kind (split excluded), by file key, in DESIGN §1.3 order.
    static func fields(of kind: Lever.Kind) -> [(String, Double)] {
        switch kind {
        case .mandate(let x), .qualification(let x), .sensitiveScope(let x): [("level", x)]
        case .portability(let k): [("churn_multiplier", k)]
        case .procurement(let b): [("bonus", b)]
        case .trustShock(let mu, let h): [("magnitude", mu), ("half_life", h)]
        case .demand(let g): [("extra_growth", g)]
        case .price(let f): [("factor", f)]
        case .appeal(let d): [("delta", d)]
        case .funding(let amount, let years, let leverage, _): [("amount", amount), ("years", years), ("leverage", leverage)]
        case .adoption(let p, let q): [("p_factor", p), ("q_factor", q)]
        }
    }

    private static func describeField(_ key: String) -> (String, String) {
        switch key {
        case "level": ("fraction", "level the lever moves its parameter to")
        case "churn_multiplier": ("factor", "multiplier of churn at full effect")
        case "bonus": ("utility", "utility bonus for matched groups at full effect")
        case "magnitude": ("factor", "relative jump of sovereignty preferences at the shock")
        case "half_life": ("yr", "half-life of the trust shock")
        case "extra_growth": ("fraction/yr", "extra segment growth at full effect")
        case "factor": ("factor", "price multiplier at full effect")
        case "delta": ("utility", "change of appeal at full effect")
        case "amount": ("MEUR", "total public money")
        case "years": ("yr", "years over which the money is spent")
        case "leverage": ("factor", "private money per euro of public money")
        case "p_factor": ("factor", "multiplier of the Bass innovation coefficient at full effect")
        case "q_factor": ("factor", "multiplier of the Bass imitation coefficient at full effect")
        default: ("", "")
        }
    }
}
