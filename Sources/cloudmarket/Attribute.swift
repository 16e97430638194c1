import ArgumentParser
import CloudMarket
import Experiments
import Foundation
import Reports
import ScenarioIO

struct Attribute: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Split a policy package's effect among its levers (exact Shapley values).",
        discussion: """
            Every lever that differs between SCENARIO (the package) and the baseline — added, changed or removed — is a \
            player; --group puts several levers into one player. Every subset of the players is run (2^n runs, in \
            parallel): players in the subset take the package's version of their levers. Each player's contribution is \
            its marginal effect averaged over all orders of arrival; the contributions sum to the total effect exactly. \
            At most 16 players.

            KPIs are written VARIABLE[@REGION][/SEGMENT][:GROUP][@YEAR], region and segment defaulting to ALL: \
            share_eu@2030, revenue:fr_providers@2025, share@FR/IaaS+PaaS:us_hyperscalers. A KPI without a year takes \
            every --year (default: the milestone years, every fifth year and the last).

            Writes attribution.csv (tidy), subsets.csv (every subset's KPI values) and manifest.json.
            """)

    @OptionGroup var input: ScenarioOptions

    @Option(help: "The baseline (default: the scenario that SCENARIO extends).", completion: .file(extensions: ["yaml", "yml", "json"]))
    var baseline: String?

    @Option(name: .customLong("group"), help: ArgumentHelp("Levers that act as one player.", valueName: "NAME=ID,ID..."))
    var groups: [String] = []

    @Option(name: .customLong("kpi"), help: ArgumentHelp("A KPI to attribute; repeat for several.", valueName: "KPI"))
    var kpis: [String] = ["share_eu", "share_eu_licensed", "share_non_eu"]

    @Option(name: .customLong("year"), help: "A year for KPIs written without one; repeat for several.")
    var years: [Double] = []

    @Option(help: "Parallel runs (default: every core).")
    var jobs: Int = availableCores

    @Option(name: .shortAndLong, help: "Output folder (default: Outputs/<scenario name>-attribution).", completion: .directory)
    var out: String?

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        guard jobs > 0 else { throw ValidationError("--jobs must be positive") }
        for group in groups where !group.contains("=") {
            throw ValidationError(
                "--group takes NAME=ID,ID… (for example --group funding=ipcei_cis,industrial_policy_2023); got '\(group)'")
        }
    }

    func run() throws {
        let started = Date()
        let package = try input.load()
        guard let baselineFile = baseline ?? package.files.dropFirst().first else {
            throw ValidationError("\(package.files[0]) extends no scenario: name the baseline with --baseline FILE")
        }
        let reference = try ScenarioLoader.load(file: baselineFile)
        let players = groups.map { text in
            let (name, ids) = (text.prefix { $0 != "=" }, text.drop { $0 != "=" }.dropFirst())
            return LeverGroup(name: String(name), levers: ids.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        }
        let attribution: Attribution
        do {
            attribution = try Attribution(baseline: reference.scenario, package: package.scenario, groups: players)
        } catch {
            throw ValidationError("\(error)")
        }
        let scenario = package.scenario
        let parsed = try parseKPIs(kpis, years: years, in: scenario)
        let result = try attribution.run(kpis: parsed, jobs: jobs)
        let report = AttributionReport(
            loaded: package, baselineName: reference.scenario.name, baselineFile: baselineFile, result: result,
            invocation: Invocation(reading: package, startedAt: started))
        let folderName = out ?? "Outputs/\(scenario.name)-attribution"
        let files = try report.files()
        try RunFolder.write(files, to: URL(fileURLWithPath: folderName))
        guard !quiet else { return }
        FileHandle.standardError.write(Data("wrote \(folderName)/: \(files.map(\.name).joined(separator: ", "))\n\n".utf8))
        print(report.table(), terminator: "")
    }
}
