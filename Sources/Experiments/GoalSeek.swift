import CloudMarket
import Foundation
import GSL
import ScenarioIO

/// The value of one parameter at which a target is exactly met (GSL's Brent root finder), or why there is none.
public struct GoalSeek: Sendable {
    public let target: Target
    public let path: String
    public let lower: Double
    public let upper: Double
    /// The scenario with the parameter at a value.
    public let scenario: @Sendable (Double) throws -> Scenario
    /// Points of the scan that looks for the first crossing before Brent narrows it down.
    public static let scanPoints = 11

    public init(target: Target, path: String, lower: Double, upper: Double, scenario: @escaping @Sendable (Double) throws -> Scenario) {
        self.target = target
        self.path = path
        self.lower = lower
        self.upper = upper
        self.scenario = scenario
    }

    public enum Outcome: Sendable {
        /// The target's value equals its threshold at `value` (within the root finder's tolerance on the parameter).
        case met(value: Double, targetValue: Double, crossings: Int, iterations: Int)
        /// The target is met at every scanned value, the lower bound included.
        case metThroughout(leastValue: Double, at: Double)
        /// The target is met nowhere in the bounds; the closest the target's value comes, and where.
        case unreachable(bestValue: Double, at: Double)
    }

    public struct Result: Sendable {
        public let outcome: Outcome
        /// The scan: parameter values and the target's value at each.
        public let scan: [(parameter: Double, targetValue: Double)]
        public let runs: Int

        /// The parameter value that answers: the solution, or the closest approach when there is none.
        public var parameter: Double {
            switch outcome {
            case .met(let value, _, _, _): value
            case .metThroughout(_, let at), .unreachable(_, let at): at
            }
        }
    }

    /// The target's value at a parameter value (a ratio when it has `relative_to`).
    public func targetValue(at x: Double) throws -> Double {
        let run = try Simulation(scenario: scenario(x)).run()
        guard let value = run.evaluate([target])[0].value else { throw GoalSeekError.undefined(target.id, parameter: x) }
        return value
    }

    /// Scans the bounds (in parallel), then runs Brent in the first interval where the target is crossed.
    public func solve(jobs: Int = availableCores) throws -> Result {
        let grid = (0..<Self.scanPoints).map { lower + (upper - lower) * Double($0) / Double(Self.scanPoints - 1) }
        let values = try parallelMap(count: grid.count, jobs: jobs) { try targetValue(at: grid[$0]) }
        let scan = Array(zip(grid, values))
        let gap = values.map { $0 - target.bound.threshold }
        let crossings = (0..<(gap.count - 1)).filter { i in gap[i] == 0 || (gap[i] < 0) != (gap[i + 1] < 0) }
        guard let first = crossings.first else {
            let met = values.map { target.bound.isMet(by: $0) }
            let best: Int
            switch target.bound {
            case .atLeast: best = values.indices.max { values[$0] < values[$1] }!
            case .atMost: best = values.indices.min { values[$0] < values[$1] }!
            }
            if met.allSatisfy({ $0 }) {
                let least = values.indices.min { abs(gap[$0]) < abs(gap[$1]) }!
                return Result(outcome: .metThroughout(leastValue: values[least], at: grid[least]), scan: scan, runs: grid.count)
            }
            return Result(outcome: .unreachable(bestValue: values[best], at: grid[best]), scan: scan, runs: grid.count)
        }
        let root: Root
        do {
            root = try RootFinder.brent(in: grid[first], grid[first + 1]) { x in try targetValue(at: x) - target.bound.threshold }
        } catch let error as GSLError {
            throw GoalSeekError.solver(error)
        }
        return Result(
            outcome: .met(
                value: root.x, targetValue: root.value + target.bound.threshold, crossings: crossings.count, iterations: root.iterations),
            scan: scan, runs: grid.count + root.evaluations)
    }
}

public enum GoalSeekError: Error, CustomStringConvertible, Sendable {
    case undefined(String, parameter: Double)
    case solver(GSLError)

    public var description: String {
        switch self {
        case .undefined(let id, let x): "target \(id) is undefined with the parameter at \(x) (an empty market?)"
        case .solver(let error): "the root finder failed: \(error)"
        }
    }
}
