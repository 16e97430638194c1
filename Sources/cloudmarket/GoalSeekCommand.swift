import ArgumentParser
import CloudMarket
import Experiments
import Foundation
import Reports
import ScenarioIO

struct Goalseek: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find the value of one parameter at which a target is exactly met (GSL's Brent root finder).",
        discussion: """
            Scans the bounds at 11 points (in parallel), then narrows the first crossing of the target's threshold down \
            with Brent's method. When the target is met nowhere in the bounds it says so, with the best value reachable \
            and where; when it is met everywhere, it says that too. Writes goalseek.json, trajectory.csv (the target's \
            variable year by year at the solution) and manifest.json.
            """)

    @OptionGroup var input: ScenarioOptions

    @Option(help: "The id of one of the scenario's targets.")
    var target: String

    @Option(help: ArgumentHelp("The parameter path to vary.", valueName: "PATH"))
    var vary: String

    // Unconditional, so that a negative lower bound (`--bounds -2:2`) is read as the value, not as an option.
    @Option(
        parsing: .unconditional, help: ArgumentHelp("Where to look (default: 0 to twice the current value).", valueName: "LO:HI"))
    var bounds: String?

    @Option(help: "Parallel runs for the scan (default: every core).")
    var jobs: Int = availableCores

    @Option(name: .shortAndLong, help: "Output folder (default: Outputs/<scenario name>-goalseek).", completion: .directory)
    var out: String?

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    func run() throws {
        let started = Date()
        let loaded = try input.load()
        let scenario = loaded.scenario
        guard let goal = scenario.targets.first(where: { $0.id == target }) else {
            let known = scenario.targets.map(\.id)
            throw ValidationError(
                "--target \(target): no such target in \(loaded.files[0])"
                    + (known.isEmpty ? " (it has none)" : "; it has: \(known.joined(separator: ", "))"))
        }
        let current = ParameterCatalog.entries(for: scenario).first { $0.path == vary }?.value
        let (lower, upper) = try range(current: current)
        let template = try input.template()
        let overrides = input.overrides
        let path = vary
        // Check the path once, with a clear message, before any run.
        _ = try template.scenario(overrides: overrides + ["\(path)=\(formatNumber(lower))"])
        let seek = GoalSeek(target: goal, path: path, lower: lower, upper: upper) { x in
            try template.scenario(overrides: overrides + ["\(path)=\(formatNumber(x))"])
        }
        let result = try seek.solve(jobs: jobs)
        let report = GoalSeekReport(
            loaded: loaded, overrides: overrides, seek: seek, result: result,
            trajectory: try Simulation(scenario: seek.scenario(result.parameter)).run(),
            invocation: Invocation(reading: loaded, startedAt: started))
        let folderName = out ?? "Outputs/\(scenario.name)-goalseek"
        let files = try report.files()
        try RunFolder.write(files, to: URL(fileURLWithPath: folderName))
        guard !quiet else { return }
        FileHandle.standardError.write(Data("wrote \(folderName)/: \(files.map(\.name).joined(separator: ", "))\n\n".utf8))
        print(report.text(), terminator: "")
    }

    private func range(current: Double?) throws -> (Double, Double) {
        if let bounds {
            let parts = bounds.split(separator: ":", omittingEmptySubsequences: false).map {
                Double($0.trimmingCharacters(in: .whitespaces))
            }
            guard parts.count == 2, let lo = parts[0], let hi = parts[1], lo.isFinite, hi.isFinite, lo < hi else {
                throw ValidationError("--bounds takes LO:HI with LO < HI (for example --bounds 0:1); got '\(bounds)'")
            }
            return (lo, hi)
        }
        guard let current, current != 0 else {
            throw ValidationError("--vary \(vary): give --bounds LO:HI (the default, 0 to twice the current value, needs a non-zero value)")
        }
        return (min(0, 2 * current), max(0, 2 * current))
    }
}
