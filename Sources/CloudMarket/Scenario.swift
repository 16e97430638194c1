import GSL

/// A complete, typed scenario: what a scenario file says once parsed, extended, overridden and validated.
///
/// Dimensions are held in file order; every per-segment, per-group or per-class array follows the
/// order of `segments`, `groups` and `classes`.
public struct Scenario: Sendable, Equatable {
    public var name: String
    public var description: String
    public var horizon: Horizon
    public var solver: SolverSettings
    public var model: ModelParameters
    public var segments: [String]
    public var regions: [Region]
    public var groups: [Group]
    public var classes: [CustomerClass]
    public var levers: [Lever]
    public var targets: [Target]

    public init(
        name: String, description: String, horizon: Horizon, solver: SolverSettings, model: ModelParameters,
        segments: [String], regions: [Region], groups: [Group], classes: [CustomerClass], levers: [Lever],
        targets: [Target]
    ) {
        self.name = name
        self.description = description
        self.horizon = horizon
        self.solver = solver
        self.model = model
        self.segments = segments
        self.regions = regions
        self.groups = groups
        self.classes = classes
        self.levers = levers
        self.targets = targets
    }
}

public struct Horizon: Sendable, Equatable {
    public var start: Double
    public var end: Double
    /// Reporting times per year, from `start` to `end` inclusive.
    public var stepsPerYear: Int

    public init(start: Double, end: Double, stepsPerYear: Int = 1) {
        self.start = start
        self.end = end
        self.stepsPerYear = stepsPerYear
    }
}

extension Horizon {
    /// Where reports fall: `start + k/stepsPerYear` for k = 0, 1, … up to `end`.
    public var reportingTimes: [Double] {
        let steps = Int(((end - start) * Double(stepsPerYear) + 1e-9).rounded(.down))
        return (0...max(steps, 0)).map { start + Double($0) / Double(stepsPerYear) }
    }

    /// The years a summary shows: the first and last of `times`, and the whole years divisible by 5 between them.
    /// Summaries, comparisons and default KPIs all use this one rule.
    public static func milestones(among times: [Double]) -> [Double] {
        guard let first = times.first, let last = times.last else { return [] }
        return times.filter { t in t == first || t == last || (t == t.rounded() && Int(t) % 5 == 0) }
    }

    /// The k with `t == start + k/stepsPerYear` (to a billionth of a step), or nil when `t` is off that grid
    /// or outside [start, end]. Validation, the simulation and lookups all use this one rule.
    public func reportingIndex(of t: Double) -> Int? {
        let k = (t - start) * Double(stepsPerYear)
        guard abs(k - k.rounded()) <= 1e-9 * max(1, abs(k)), t >= start - 1e-9, t <= end + 1e-9 else { return nil }
        return Int(k.rounded())
    }
}

public struct SolverSettings: Sendable, Equatable {
    public var method: ODEMethod
    public var absoluteTolerance: Double
    public var relativeTolerance: Double
    public var initialStep: Double

    public init(method: ODEMethod = .rkf45, absoluteTolerance: Double = 1e-9, relativeTolerance: Double = 1e-8, initialStep: Double = 0.01)
    {
        self.method = method
        self.absoluteTolerance = absoluteTolerance
        self.relativeTolerance = relativeTolerance
        self.initialStep = initialStep
    }
}

/// The behavioural constants of the choice model (DESIGN §1.4).
public struct ModelParameters: Sendable, Equatable {
    /// β: weight of ln(price) in utility.
    public var priceSensitivity: Double
    /// θ: weight of ln(K/K0) in utility.
    public var capabilityElasticity: Double
    /// δ: yearly depreciation of knowledge stocks.
    public var depreciation: Double
    /// η: weight of ln(current share) in utility.
    public var networkEffect: Double
    /// Lowest share fed to ln() in the network term.
    public var shareFloor: Double

    public init(
        priceSensitivity: Double = 1, capabilityElasticity: Double = 0.3, depreciation: Double = 0.15, networkEffect: Double = 0,
        shareFloor: Double = 1e-4
    ) {
        self.priceSensitivity = priceSensitivity
        self.capabilityElasticity = capabilityElasticity
        self.depreciation = depreciation
        self.networkEffect = networkEffect
        self.shareFloor = shareFloor
    }
}

public struct Region: Sendable, Equatable {
    public var id: String
    public var name: String
    /// One per scenario segment, in `Scenario.segments` order.
    public var markets: [SegmentMarket]
    /// Spend mix by customer class, in `Scenario.classes` order; sums to 1.
    public var classMix: [Double]
    /// `initialShares[s][g]`: share of group g in segment s at t0; each row sums to 1.
    public var initialShares: [[Double]]
    public var adoption: Adoption?

    public init(
        id: String, name: String, markets: [SegmentMarket], classMix: [Double], initialShares: [[Double]], adoption: Adoption? = nil
    ) {
        self.id = id
        self.name = name
        self.markets = markets
        self.classMix = classMix
        self.initialShares = initialShares
        self.adoption = adoption
    }
}

public struct SegmentMarket: Sendable, Equatable {
    /// MEUR/yr at t0.
    public var size: Double
    public var growth: Growth

    public init(size: Double, growth: Growth) {
        self.size = size
        self.growth = growth
    }
}

/// `g(t) = g∞ + (g0 − g∞)·2^(−(t−t0)/h)`, or the constant `rate` when there is no long run.
public struct Growth: Sendable, Equatable {
    public var rate: Double
    public var longRun: Double?
    public var halfLife: Double?

    public init(rate: Double, longRun: Double? = nil, halfLife: Double? = nil) {
        self.rate = rate
        self.longRun = longRun
        self.halfLife = halfLife
    }
}

/// Bass diffusion of cloud use among enterprises: `dA/dt = (p + q·A)·(ceiling − A)`.
public struct Adoption: Sendable, Equatable {
    public var initial: Double
    public var ceiling: Double
    public var p: Double
    public var q: Double

    public init(initial: Double, ceiling: Double, p: Double, q: Double) {
        self.initial = initial
        self.ceiling = ceiling
        self.p = p
        self.q = q
    }
}

public enum Origin: String, Sendable, CaseIterable {
    case eu
    case euLicensed = "eu_licensed"
    case nonEU = "non_eu"

    /// Its place in `allCases`: where arrays kept per origin hold its values.
    var position: Int { Origin.allCases.firstIndex(of: self)! }

    /// The sovereignty score a group of this origin has unless its file says otherwise.
    public var defaultSovereignty: Double {
        switch self {
        case .eu: 1.0
        case .euLicensed: 0.6
        case .nonEU: 0.0
        }
    }
}

public struct Group: Sendable, Equatable {
    public var id: String
    public var name: String
    public var origin: Origin
    public var sovereignty: Double
    /// A[g,s], one per segment.
    public var appeal: [Double]
    /// p[g,s], one per segment (relative price index, > 0).
    public var price: [Double]
    /// q[g]: share of the group's offer that is qualified (SecNumCloud / EUCS-high).
    public var qualified: Double
    public var investment: Investment?
    /// Before this time the group is outside every choice set.
    public var availableFrom: Double?

    public init(
        id: String, name: String, origin: Origin, sovereignty: Double, appeal: [Double], price: [Double], qualified: Double,
        investment: Investment? = nil, availableFrom: Double? = nil
    ) {
        self.id = id
        self.name = name
        self.origin = origin
        self.sovereignty = sovereignty
        self.appeal = appeal
        self.price = price
        self.qualified = qualified
        self.investment = investment
        self.availableFrom = availableFrom
    }
}

/// Baseline R&D investment `I(t) = level·(1+growth)^(t−t0)`.
public struct Investment: Sendable, Equatable {
    /// MEUR/yr at t0.
    public var level: Double
    /// ι, per year.
    public var growth: Double

    public init(level: Double, growth: Double) {
        self.level = level
        self.growth = growth
    }
}

public struct CustomerClass: Sendable, Equatable {
    public var id: String
    public var name: String
    /// σ: share of the class's workloads that are sensitive.
    public var sensitive: Double
    /// wa: weight of sovereignty in every choice.
    public var sovereigntyPreference: Double
    /// ws: extra weight of sovereignty for sensitive workloads.
    public var sensitivePreference: Double
    /// m: share of sensitive workloads that must go to qualified offers.
    public var mandate: Double
    /// χ: share of the installed base re-tendered each year.
    public var churn: Double

    public init(
        id: String, name: String, sensitive: Double, sovereigntyPreference: Double, sensitivePreference: Double, mandate: Double,
        churn: Double
    ) {
        self.id = id
        self.name = name
        self.sensitive = sensitive
        self.sovereigntyPreference = sovereigntyPreference
        self.sensitivePreference = sensitivePreference
        self.mandate = mandate
        self.churn = churn
    }
}

public struct Target: Sendable, Equatable {
    public enum Bound: Sendable, Equatable {
        case atLeast(Double)
        case atMost(Double)

        public var threshold: Double {
            switch self {
            case .atLeast(let x), .atMost(let x): x
            }
        }

        public func isMet(by value: Double) -> Bool {
            switch self {
            case .atLeast(let x): value >= x
            case .atMost(let x): value <= x
            }
        }
    }

    public var id: String
    public var label: String
    public var variable: Variable
    /// A region id or `ALL`.
    public var region: String
    /// A segment id or `ALL`.
    public var segment: String
    /// Required by per-group variables, absent otherwise.
    public var group: String?
    public var year: Double
    /// When set, the value is the ratio value(year) / value(relativeTo).
    public var relativeTo: Double?
    public var bound: Bound

    public init(
        id: String, label: String, variable: Variable, region: String = allID, segment: String = allID, group: String? = nil,
        year: Double, relativeTo: Double? = nil, bound: Bound
    ) {
        self.id = id
        self.label = label
        self.variable = variable
        self.region = region
        self.segment = segment
        self.group = group
        self.year = year
        self.relativeTo = relativeTo
        self.bound = bound
    }
}

/// The id that stands for "every region" or "every segment" in outputs and targets.
public let allID = "ALL"

/// The ODE steppers a scenario's `solver.method` may name.
public typealias SolverMethod = ODEMethod
