import ArgumentParser
import CloudMarket
import Experiments
import Foundation
import Reports
import ScenarioIO

/// Options every experiment shares: outputs, randomness, parallelism, sharding and resuming.
struct ExperimentOptions: ParsableArguments {
    @Option(
        name: .customLong("kpi"),
        help: ArgumentHelp("A KPI, VARIABLE[@REGION][/SEGMENT][:GROUP][@YEAR]; repeat for several.", valueName: "KPI"))
    var kpis: [String] = ["share_eu", "share_non_eu", "market_size"]

    @Option(name: .customLong("year"), help: "A year for KPIs written without one; repeat (default: every fifth year and the last).")
    var years: [Double] = []

    @Option(help: "Seed of the counter-based random streams (recorded in the manifest).")
    var seed: UInt64 = 1

    @Option(help: "Parallel runs (default: every core).")
    var jobs: Int = availableCores

    @Option(help: ArgumentHelp("Run only slice I of N of the design (chunks I, I+N, ...); join the slices with `merge`.", valueName: "I/N"))
    var shard: String?

    @Flag(help: "Keep the complete chunks of an interrupted run of the same experiment and run only the missing ones.")
    var resume = false

    @Flag(help: "Also write every run's full series (series.csv, tidy, with a run column).")
    var series = false

    @Option(help: "Runs per chunk: the unit of writing, resuming and sharding.")
    var chunkSize = 250

    @Option(name: .shortAndLong, help: "Output folder (default: Outputs/<scenario name>-<command>).", completion: .directory)
    var out: String?

    @Flag(name: .shortAndLong, help: "No progress bar and no summary.")
    var quiet = false

    func validate() throws {
        guard jobs > 0 else { throw ValidationError("--jobs must be positive") }
        guard chunkSize > 0 else { throw ValidationError("--chunk-size must be positive") }
        _ = try shardNumbers()
    }

    func shardNumbers() throws -> (index: Int, count: Int) {
        guard let shard else { return (1, 1) }
        let parts = shard.split(separator: "/").compactMap { Int($0) }
        guard parts.count == 2, parts[1] >= 1, parts[0] >= 1, parts[0] <= parts[1] else {
            throw ValidationError("--shard takes I/N with 1 ≤ I ≤ N (for example --shard 2/4); got '\(shard)'")
        }
        return (parts[0], parts[1])
    }

    func kpiList(for scenario: Scenario) throws -> [KPI] {
        let horizon = scenario.horizon
        let list = try parseKPIs(kpis, years: years, in: scenario)
        if series, let off = list.first(where: { horizon.reportingIndex(of: $0.year) == nil }) {
            throw ValidationError("--series: KPI \(off) is not at a reporting time; with --series every KPI year must be one")
        }
        return list
    }

    /// Runs the experiment's missing chunks; when this is the whole design (no --shard), joins them and lets `finish`
    /// derive what the command derives. Throws `ExitCode(1)` when runs failed, after saying how many.
    func execute(
        command: String, input: ScenarioOptions, factors: [Factor], factorTexts: [String], design: Design,
        quantiles: [Double]? = nil, resamples: Int? = nil, finish: (URL, ExperimentSpec, [KPI]) throws -> String
    ) throws {
        let started = Date()
        let template = try input.template()
        let loaded = try template.load(overrides: input.overrides)
        let kpiList = try kpiList(for: loaded.scenario)
        let spec = ExperimentSpec(
            command: command, loaded: loaded, overrides: input.overrides, design: design, factorTexts: factorTexts, kpis: kpiList,
            series: series, chunkSize: chunkSize, quantiles: quantiles, resamples: resamples)
        // A misspelt path is refused before any run; a value invalid for some runs fails those runs only.
        let paths = factors.map(\.path)
        try template.checkPaths(paths, option: command == "montecarlo" ? "--uncertain" : "--vary")
        let (shard, shards) = try shardNumbers()
        let invocation = Invocation(reading: loaded, startedAt: started)
        let manifest = ExperimentFolder.Manifest(
            spec: spec, shard: shard, shards: shards, tool: "cloudmarket", toolVersion: invocation.toolVersion,
            gitCommit: invocation.gitCommit, commandLine: invocation.commandLine, startedAt: started.ISO8601Format())
        let folderName = out ?? "Outputs/\(loaded.scenario.name)-\(command)"
        let url = URL(fileURLWithPath: folderName)
        let folder = try ExperimentFolder(url: url, manifest: manifest, resume: resume)
        let scenario = template.instantiator(overrides: input.overrides, paths: paths)
        let sweep = Sweep(design: design, kpis: kpiList, keepSeries: series) { values in try scenario(values) }
        let begin = Date()
        let failed = try ExperimentRunner.run(sweep, in: folder, jobs: jobs, quiet: quiet)
        let seconds = Date().timeIntervalSince(begin)
        let mine = folder.myChunks.reduce(0) { $0 + folder.range(ofChunk: $1).count }
        var summary =
            "\(command) \(loaded.scenario.name): \(mine) runs" + (shards > 1 ? " (shard \(shard)/\(shards))" : "")
            + String(format: " in %.2f s", seconds) + ", \(failed) failed; seed \(design.seed), design \(design.kindName)\n"
        if shards == 1 {
            try ExperimentFolder.assemble([folder], into: url)
            summary += try finish(url, spec, kpiList)
            try FileManager.default.removeItem(at: url.appendingPathComponent("chunks"))
        } else {
            summary += "join the shards with: cloudmarket merge DIR... --out DIR\n"
        }
        if !quiet { print("wrote \(folderName)/\n" + summary, terminator: "") }
        if failed > 0 {
            FileHandle.standardError.write(Data("\(failed) run\(failed == 1 ? "" : "s") failed: see runs.csv (status, error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

/// Parses --kpi texts; a KPI without a year takes each of `years`, by default the milestones after the start.
func parseKPIs(_ texts: [String], years: [Double], in scenario: Scenario) throws -> [KPI] {
    let defaultYears = Array(Horizon.milestones(among: scenario.horizon.reportingTimes).dropFirst())
    return try texts.flatMap { text in
        do { return try KPI.parse(text, years: years.isEmpty ? defaultYears : years, in: scenario) } catch {
            throw ValidationError("\(error)")
        }
    }
}

/// Parses --vary / --uncertain texts, refusing the malformed with the reason.
func parseFactors(_ texts: [String], option: String) throws -> [Factor] {
    try texts.map { text in
        do { return try Factor(parsing: text) } catch { throw ValidationError("\(option) \(error)") }
    }
}

/// Reads a user's design: a CSV whose header names parameter paths, one row per run.
func readDesignTable(_ file: String) throws -> (paths: [String], rows: [[Double]]) {
    guard let data = FileManager.default.contents(atPath: file) else {
        throw ScenarioError(problems: [Problem(file: file, line: nil, column: nil, path: "", message: "cannot read the design file")])
    }
    guard case .success(let records) = readCSV(String(decoding: data, as: UTF8.self)), let header = records.first else {
        throw ScenarioError(problems: [
            Problem(file: file, line: 1, column: 1, path: "", message: "expected a CSV header of parameter paths")
        ])
    }
    let rows = try records.dropFirst().map { record in
        guard record.fields.count == header.fields.count else {
            throw ScenarioError(problems: [
                Problem(
                    file: file, line: record.line, column: 1, path: "", message: "expected \(header.fields.count) values as in the header")
            ])
        }
        return try zip(record.fields, record.columns).map { text, column in
            guard let x = Double(text.trimmingCharacters(in: .whitespaces)), x.isFinite else {
                throw ScenarioError(problems: [
                    Problem(file: file, line: record.line, column: column, path: "", message: "expected a number, found '\(text)'")
                ])
            }
            return x
        }
    }
    return (header.fields.map { $0.trimmingCharacters(in: .whitespaces) }, rows)
}
