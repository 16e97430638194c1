import CloudMarket
import Foundation

/// One run of an experiment: the design's values, and what came of them.
public struct SweepRun: Sendable {
    public let run: Int
    public let values: [Double]
    /// nil when the run succeeded.
    public let error: String?
    /// One per KPI (nil where undefined or the run failed).
    public let kpis: [Double?]
    /// The whole run, when the experiment keeps series.
    public let trajectory: Trajectory?
}

/// Runs a design's points through the simulation: the engine shared by sweeps, Monte Carlo and sensitivity analysis.
public struct Sweep: Sendable {
    public let design: Design
    public let kpis: [KPI]
    public let keepSeries: Bool
    /// The scenario with the design's values at the factors' paths (a throw marks the run failed).
    public let scenario: @Sendable ([Double]) throws -> Scenario

    public init(design: Design, kpis: [KPI], keepSeries: Bool, scenario: @escaping @Sendable ([Double]) throws -> Scenario) {
        self.design = design
        self.kpis = kpis
        self.keepSeries = keepSeries
        self.scenario = scenario
    }

    /// The runs of one slice of the design, in order. A failed run is a row with its message, never a stop.
    public func run(_ range: Range<Int>) throws -> [SweepRun] {
        zip(range, try design.rows(range)).map { run($0, values: $1) }
    }

    /// Run number `run` with the design's `values` for it; a failure is a row with its message.
    public func run(_ run: Int, values: [Double]) -> SweepRun {
        do {
            let scenario = try scenario(values)
            guard keepSeries else {
                return SweepRun(run: run, values: values, error: nil, kpis: try KPI.values(of: kpis, in: scenario), trajectory: nil)
            }
            // With series, KPIs sit on reporting times (checked when the sweep is set up) and come from the same run.
            let trajectory = try Simulation(scenario: scenario).run()
            let measured = kpis.map { kpi in trajectory.snapshot(at: kpi.year).flatMap { kpi.measure.value(in: $0) } }
            return SweepRun(run: run, values: values, error: nil, kpis: measured, trajectory: trajectory)
        } catch {
            return SweepRun(run: run, values: values, error: Self.oneLine("\(error)"), kpis: kpis.map { _ in nil }, trajectory: nil)
        }
    }

    /// Messages go into one CSV field: line breaks become " / ".
    static func oneLine(_ message: String) -> String {
        message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " / ")
    }
}
