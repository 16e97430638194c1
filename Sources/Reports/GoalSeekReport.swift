import CloudMarket
import Experiments
import Foundation
import ScenarioIO

/// A goal seek's folder (`goalseek.json`, `trajectory.csv`, `manifest.json`) and its answer in words.
public struct GoalSeekReport {
    public let loaded: LoadedScenario
    public let seek: GoalSeek
    public let result: GoalSeek.Result
    /// The target's variable, year by year, at `result.parameter`.
    public let trajectory: Trajectory
    public let invocation: Invocation
    /// The `--set` overrides the scenario was loaded with, for the command that reproduces the answer.
    public let overrides: [String]

    public init(
        loaded: LoadedScenario, overrides: [String], seek: GoalSeek, result: GoalSeek.Result, trajectory: Trajectory,
        invocation: Invocation
    ) {
        self.loaded = loaded
        self.overrides = overrides
        self.seek = seek
        self.result = result
        self.trajectory = trajectory
        self.invocation = invocation
    }

    public func files() throws(ReportError) -> [(name: String, contents: String)] {
        [
            ("goalseek.json", try encodeJSON(summary(), for: "goalseek.json")), ("trajectory.csv", trajectoryCSV()),
            ("datapackage.json", try encodeJSON(DataPackage.goalSeek(scenario: loaded.scenario.name), for: "datapackage.json")),
            (
                "manifest.json",
                try encodeJSON(
                    Manifest(loaded: loaded, invocation: invocation),
                    for: "manifest.json")
            ),
        ]
    }

    struct Summary: Encodable {
        struct Point: Encodable {
            let parameter, targetValue: Double
            enum CodingKeys: String, CodingKey {
                case parameter
                case targetValue = "target_value"
            }
        }
        let scenario, target, label, path, outcome, op: String
        let threshold, lower, upper, parameter: Double
        let targetValue: Double
        let crossings, iterations, runs: Int?
        let scan: [Point]

        enum CodingKeys: String, CodingKey {
            case scenario, target, label, path, outcome, op, threshold, lower, upper, parameter, crossings, iterations, runs, scan
            case targetValue = "target_value"
        }
    }

    func summary() -> Summary {
        let t = seek.target
        let (outcome, value, crossings, iterations): (String, Double, Int?, Int?) =
            switch result.outcome {
            case .met(_, let v, let c, let i): ("met", v, c, i)
            case .metThroughout(let v, _): ("met_throughout", v, nil, nil)
            case .unreachable(let v, _): ("unreachable", v, nil, nil)
            }
        return Summary(
            scenario: loaded.scenario.name, target: t.id, label: t.label, path: seek.path, outcome: outcome, op: t.bound.operatorName,
            threshold: t.bound.threshold, lower: seek.lower, upper: seek.upper, parameter: result.parameter, targetValue: value,
            crossings: crossings, iterations: iterations, runs: result.runs,
            scan: result.scan.map { Summary.Point(parameter: $0.parameter, targetValue: $0.targetValue) })
    }

    func trajectoryCSV() -> String {
        let t = seek.target
        var table = CSVTable(header: ["time", "region", "segment", "group", "variable", "value", "unit", "parameter", "parameter_value"])
        for time in trajectory.times {
            guard let v = trajectory.value(t.variable, region: t.region, segment: t.segment, group: t.group, at: time) else { continue }
            table.append([
                formatNumber(time), t.region, t.segment, t.group ?? "", t.variable.rawValue, formatNumber(v), t.variable.unit, seek.path,
                formatNumber(result.parameter),
            ])
        }
        return table.text
    }

    /// `cloudmarket run` with the same scenario and overrides, and the parameter at `value`.
    func reproduceCommand(_ value: Double) -> String {
        let file = loaded.files[0].hasPrefix("built-in:") ? [] : [loaded.files[0]]
        return (["cloudmarket", "run"] + file + overrides.flatMap { ["--set", $0] } + ["--set", "\(seek.path)=\(formatNumber(value))"])
            .joined(separator: " ")
    }

    /// The answer in words, the scan, and the target's variable over time at the chosen value.
    public func text() -> String {
        let t = seek.target
        let goal =
            "\(t.id) (\(t.label)): \(t.variable.rawValue) \(t.relativeTo.map { "relative to \(formatNumber($0)) " } ?? "")"
            + "in \(formatNumber(t.year)) \(t.bound.operatorName) \(formatNumber(t.bound.threshold))"
        let range = "\(seek.path) in [\(formatNumber(seek.lower)), \(formatNumber(seek.upper))]"
        let number = { (x: Double) in String(format: "%.6g", x) }
        var lines = ["target \(goal)", "varying \(range)", ""]
        switch result.outcome {
        case .met(let value, let targetValue, let crossings, let iterations):
            lines.append(
                "met exactly at \(seek.path) = \(number(value)) (target value \(number(targetValue)); Brent, \(iterations) iterations)")
            if crossings > 1 {
                lines.append("note: the target is crossed \(crossings) times in the range; this is the lowest crossing")
            }
            lines.append("reproduce: " + reproduceCommand(value))
        case .metThroughout(let least, let at):
            lines.append(
                "met at every value in the range: the closest the target value comes to \(formatNumber(t.bound.threshold)) is "
                    + "\(number(least)), at \(seek.path) = \(number(at))")
        case .unreachable(let best, let at):
            lines.append(
                "UNREACHABLE within the range: the best value is \(number(best)) at \(seek.path) = \(number(at)), against \(formatNumber(t.bound.threshold))"
            )
        }
        lines += ["", "scan: \(seek.path) → target value"]
        lines += result.scan.map { "  " + number($0.parameter).padding(toLength: 12, withPad: " ", startingAt: 0) + number($0.targetValue) }
        lines += [
            "",
            "\(t.variable.rawValue) \(t.region)/\(t.segment)\(t.group.map { ":" + $0 } ?? "") at \(seek.path) = \(number(result.parameter))",
        ]
        for time in trajectory.times {
            guard let v = trajectory.value(t.variable, region: t.region, segment: t.segment, group: t.group, at: time) else { continue }
            lines.append("  \(formatNumber(time))  \(Comparison.show(v, t.variable.unit))")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
