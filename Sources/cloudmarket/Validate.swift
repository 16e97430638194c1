import ArgumentParser
import CloudMarket
import Foundation
import ScenarioIO

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check scenario files without running them; print what each resolves to.")

    @Argument(help: "Scenario files.", completion: .file(extensions: ["yaml", "yml", "json"]))
    var scenarios: [String]

    @Option(name: .customLong("set"), help: ArgumentHelp("Override one parameter in every file.", valueName: "PATH=VALUE"))
    var overrides: [String] = []

    func run() throws {
        var failures: [ScenarioError] = []
        for path in scenarios {
            do {
                let loaded = try ScenarioLoader.load(file: path, overrides: overrides)
                print(Self.summary(of: loaded.scenario, file: path))
            } catch {
                failures.append(error)
            }
        }
        guard failures.isEmpty else { throw ScenarioError(problems: failures.flatMap(\.problems)) }
    }

    static func summary(of s: Scenario, file: String) -> String {
        let horizon = "\(formatYear(s.horizon.start))–\(formatYear(s.horizon.end)), \(s.horizon.stepsPerYear) report(s)/yr"
        var lines = [
            "\(file): valid scenario '\(s.name)'",
            "  horizon   \(horizon); solver \(s.solver.method.rawValue) (abs \(s.solver.absoluteTolerance), rel \(s.solver.relativeTolerance))",
            "  regions   \(s.regions.map(\.id).joined(separator: ", "))",
            "  segments  \(s.segments.joined(separator: ", "))",
            "  groups    \(s.groups.map { "\($0.id) (\($0.origin.rawValue))" }.joined(separator: ", "))",
            "  classes   \(s.classes.map(\.id).joined(separator: ", "))",
            "  levers    \(s.levers.count)",
        ]
        lines += s.levers.map { "    \($0.id): \($0.kind.typeName) from \(formatYear($0.start))" }
        lines.append("  targets   \(s.targets.count)")
        lines += s.targets.map { "    \($0.id): \($0.variable.rawValue) in \(formatYear($0.year))" }
        return lines.joined(separator: "\n")
    }
}

func formatYear(_ t: Double) -> String { t == t.rounded() ? String(Int(t)) : String(t) }
