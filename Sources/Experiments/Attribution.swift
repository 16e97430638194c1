import CloudMarket
import Foundation

/// A player of the Shapley game: levers that switch from the baseline's version to the package's together.
public struct LeverGroup: Sendable, Equatable {
    public let name: String
    public let levers: [String]

    public init(name: String, levers: [String]) {
        self.name = name
        self.levers = levers
    }

    /// The player for parameters outside the levers (appeals, growth, classes…) that differ between the two scenarios.
    public static let otherChanges = "other changes (not levers)"
}

/// The exact Shapley split of a policy package's effect, relative to a baseline, among its levers (or groups of them).
///
/// Every subset of the players is run: players in the subset take the package's version of their levers (added,
/// changed or removed), the others keep the baseline's. With all 2ⁿ values, each player's contribution is its marginal
/// effect averaged over the orders in which the players could arrive, and the contributions sum to the total effect.
public struct Attribution: Sendable {
    public let baseline: Scenario
    public let package: Scenario
    public let players: [LeverGroup]
    /// 2¹⁶ = 65 536 runs: about four minutes on two cores at ~4 ms a run.
    public static let maxPlayers = 16

    /// Finds the levers that differ (by id) and forms the players: the named groups, then each remaining lever alone,
    /// then the non-lever changes, if any.
    public init(baseline: Scenario, package: Scenario, groups: [LeverGroup] = []) throws(AttributionError) {
        let structure = { (s: Scenario) in [s.segments, s.regions.map(\.id), s.groups.map(\.id), s.classes.map(\.id)] }
        guard structure(baseline) == structure(package), baseline.horizon == package.horizon else {
            throw .differentStructure
        }
        let before = Dictionary(uniqueKeysWithValues: baseline.levers.map { ($0.id, $0) })
        let after = Dictionary(uniqueKeysWithValues: package.levers.map { ($0.id, $0) })
        let ids = baseline.levers.map(\.id) + package.levers.map(\.id).filter { before[$0] == nil }
        let differing = ids.filter { before[$0] != after[$0] }
        var players: [LeverGroup] = []
        var grouped: Set<String> = []
        for group in groups {
            for id in group.levers {
                guard ids.contains(id) else { throw .unknownLever(id, group: group.name) }
                guard differing.contains(id) else { throw .unchangedLever(id, group: group.name) }
                guard grouped.insert(id).inserted else { throw .leverInTwoGroups(id) }
            }
            players.append(group)
        }
        players += differing.filter { !grouped.contains($0) }.map { LeverGroup(name: $0, levers: [$0]) }
        if Self.withoutLevers(baseline) != Self.withoutLevers(package) {
            players.append(LeverGroup(name: LeverGroup.otherChanges, levers: []))
        }
        guard !players.isEmpty else { throw .nothingDiffers }
        guard players.count <= Self.maxPlayers else { throw .tooManyPlayers(players.count) }
        self.baseline = baseline
        self.package = package
        self.players = players
        guard scenario(fullSubset) == Self.comparable(package) else { throw .leverOrder }
    }

    private var fullSubset: Int { (1 << players.count) - 1 }

    /// What the dynamics see: name, description and targets set aside.
    private static func comparable(_ s: Scenario) -> Scenario {
        var s = s
        s.name = ""
        s.description = ""
        s.targets = []
        return s
    }

    private static func withoutLevers(_ s: Scenario) -> Scenario {
        var s = comparable(s)
        s.levers = []
        return s
    }

    /// The scenario in which the players of `subset` (bit i for player i) take the package's side.
    public func scenario(_ subset: Int) -> Scenario {
        let chosen = Set(players.indices.filter { subset & (1 << $0) != 0 }.flatMap { players[$0].levers })
        let other = players.firstIndex { $0.name == LeverGroup.otherChanges }
        var s = Self.comparable(other.map { subset & (1 << $0) != 0 } == true ? package : baseline)
        let after = Dictionary(uniqueKeysWithValues: package.levers.map { ($0.id, $0) })
        // Baseline order, then the package's new levers in its order: the order `extends` gives a child's levers.
        var levers = baseline.levers.compactMap { lever in chosen.contains(lever.id) ? after[lever.id] : lever }
        levers += package.levers.filter { lever in chosen.contains(lever.id) && !baseline.levers.contains { $0.id == lever.id } }
        s.levers = levers
        return s
    }

    /// Runs every subset (in parallel on `jobs` threads) and splits each KPI's total effect among the players.
    public func run(kpis: [KPI], jobs: Int = availableCores) throws -> AttributionResult {
        let subsets = 1 << players.count
        let values = try parallelMap(count: subsets, jobs: jobs) { subset in
            let values = try KPI.values(of: kpis, in: scenario(subset))
            return try zip(kpis, values).map { kpi, value in
                guard let value else { throw AttributionError.undefinedKPI(kpi.description, subset: subset) }
                return value
            }
        }
        let contributions = kpis.indices.map { k in Self.shapley(values.map { $0[k] }, players: players.count) }
        return AttributionResult(players: players, kpis: kpis, subsetValues: values, contributions: contributions)
    }

    /// φᵢ = Σ over subsets S without i of |S|!(n−|S|−1)!/n! · (v(S ∪ i) − v(S)), with v indexed by bit mask.
    public static func shapley(_ v: [Double], players n: Int) -> [Double] {
        precondition(v.count == 1 << n, "one value per subset")
        // |S|!(n−|S|−1)!/n! = 1/(n·C(n−1, |S|)).
        var binomial = [Double](repeating: 1, count: n)
        for s in 1..<max(n, 1) { binomial[s] = binomial[s - 1] * Double(n - s) / Double(s) }
        return (0..<n).map { i in
            var phi = 0.0
            for subset in 0..<(1 << n) where subset & (1 << i) == 0 {
                phi += (v[subset | (1 << i)] - v[subset]) / (Double(n) * binomial[subset.nonzeroBitCount])
            }
            return phi
        }
    }
}

public struct AttributionResult: Sendable {
    public let players: [LeverGroup]
    public let kpis: [KPI]
    /// [subset][kpi]: subset 0 is the baseline, the last one the package.
    public let subsetValues: [[Double]]
    /// [kpi][player].
    public let contributions: [[Double]]

    public func baselineValue(_ k: Int) -> Double { subsetValues[0][k] }
    public func packageValue(_ k: Int) -> Double { subsetValues[subsetValues.count - 1][k] }
}

public enum AttributionError: Error, CustomStringConvertible, Sendable {
    case differentStructure
    case unknownLever(String, group: String)
    case unchangedLever(String, group: String)
    case leverInTwoGroups(String)
    case nothingDiffers
    case tooManyPlayers(Int)
    case leverOrder
    case undefinedKPI(String, subset: Int)

    public var description: String {
        switch self {
        case .differentStructure:
            "the package and the baseline must have the same horizon, segments, regions, groups and classes"
        case .unknownLever(let id, let group):
            "group \(group): no lever '\(id)' in the package or the baseline"
        case .unchangedLever(let id, let group):
            "group \(group): lever '\(id)' is the same in the package and the baseline, so it contributes nothing"
        case .leverInTwoGroups(let id):
            "lever '\(id)' is in two groups"
        case .nothingDiffers:
            "the package and the baseline are the same: there is no effect to attribute"
        case .tooManyPlayers(let n):
            "\(n) levers or groups differ: 2^\(n) runs; group levers with --group NAME=ID,ID… to bring it to \(Attribution.maxPlayers) or fewer"
        case .leverOrder:
            "the package lists its levers in another order than the baseline; attribution needs the baseline's order (levers apply in file order)"
        case .undefinedKPI(let kpi, let subset):
            "\(kpi) is undefined in subset \(subset) (an empty market?)"
        }
    }
}
