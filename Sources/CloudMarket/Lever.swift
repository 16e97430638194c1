/// A policy lever (DESIGN §1.3): what it changes, on which cells, and when.
public struct Lever: Sendable, Equatable {
    public var id: String
    public var label: String
    public var source: String
    public var kind: Kind
    public var filter: Filter
    public var start: Double
    /// Years to reach full effect; 0 is a step.
    public var ramp: Double
    public var end: Double?

    public init(
        id: String, label: String = "", source: String = "", kind: Kind, filter: Filter = Filter(), start: Double, ramp: Double = 0,
        end: Double? = nil
    ) {
        self.id = id
        self.label = label
        self.source = source
        self.kind = kind
        self.filter = filter
        self.start = start
        self.ramp = ramp
        self.end = end
    }

    public enum Kind: Sendable, Equatable {
        case mandate(level: Double)
        case qualification(level: Double)
        case sensitiveScope(level: Double)
        case portability(churnMultiplier: Double)
        case procurement(bonus: Double)
        case trustShock(magnitude: Double, halfLife: Double)
        case demand(extraGrowth: Double)
        case price(factor: Double)
        case appeal(delta: Double)
        /// `split` maps group ids to weights (normalised to sum 1); nil means equal weights over matched groups.
        case funding(amount: Double, years: Double, leverage: Double, split: [String: Double]?)
        case adoption(pFactor: Double, qFactor: Double)

        /// The `type` word of the scenario file.
        public var typeName: String { Self.typeNames[discriminant] }

        /// The filters this kind of lever may carry; any other filter is an error.
        public var allowedFilters: Set<Filter.Dimension> {
            switch self {
            case .mandate, .sensitiveScope, .portability, .trustShock: [.regions, .classes]
            case .qualification, .funding: [.groups, .origins]
            case .procurement: [.regions, .classes, .groups, .origins]
            case .demand: [.regions, .segments]
            case .price, .appeal: [.groups, .origins, .segments]
            case .adoption: [.regions]
            }
        }

        /// Funding and trust shocks have their own time shape: no `ramp`, no `end`.
        public var takesRampAndEnd: Bool {
            switch self {
            case .funding, .trustShock: false
            default: true
            }
        }

        public static let typeNames = [
            "mandate", "qualification", "sensitive_scope", "portability", "procurement", "trust_shock", "demand", "price",
            "appeal", "funding", "adoption",
        ]

        private var discriminant: Int {
            switch self {
            case .mandate: 0
            case .qualification: 1
            case .sensitiveScope: 2
            case .portability: 3
            case .procurement: 4
            case .trustShock: 5
            case .demand: 6
            case .price: 7
            case .appeal: 8
            case .funding: 9
            case .adoption: 10
            }
        }
    }

    /// Which cells a lever touches: an omitted (nil) filter matches everything.
    public struct Filter: Sendable, Equatable {
        public enum Dimension: String, Sendable, CaseIterable {
            case regions, segments, groups, origins, classes
        }

        public var regions: [String]?
        public var segments: [String]?
        public var groups: [String]?
        public var origins: [Origin]?
        public var classes: [String]?

        public init(
            regions: [String]? = nil, segments: [String]? = nil, groups: [String]? = nil, origins: [Origin]? = nil, classes: [String]? = nil
        ) {
            self.regions = regions
            self.segments = segments
            self.groups = groups
            self.origins = origins
            self.classes = classes
        }

        /// The dimensions this filter names.
        public var named: [Dimension] {
            var out: [Dimension] = []
            if regions != nil { out.append(.regions) }
            if segments != nil { out.append(.segments) }
            if groups != nil { out.append(.groups) }
            if origins != nil { out.append(.origins) }
            if classes != nil { out.append(.classes) }
            return out
        }
    }

    /// ρ(t) of DESIGN §1.3: 0 before `start` and from `end` on, a linear ramp to 1, then 1.
    public func ramp(at t: Double) -> Double {
        if t < start { return 0 }
        if let end, t >= end { return 0 }
        return ramp > 0 ? min(1, (t - start) / ramp) : 1
    }
}
