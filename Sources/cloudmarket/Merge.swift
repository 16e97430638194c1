import ArgumentParser
import CloudMarket
import Experiments
import Foundation
import Reports
import ScenarioIO

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Join the shards of an experiment (--shard I/N) into one result, identical to an unsharded run.",
        discussion: """
            Each folder must hold one shard of the same experiment (same scenario, design, seed and outputs, checked in \
            the manifests), every shard present once and complete. Writes the joined files, and what the command \
            derives (quantiles.csv, sensitivity.csv), into --out.
            """)

    @Argument(help: "The shard folders.", completion: .directory)
    var folders: [String]

    @Option(name: .shortAndLong, help: "Output folder (default: Outputs/<scenario name>-<command>).", completion: .directory)
    var out: String?

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    func run() throws {
        guard !folders.isEmpty else { throw ValidationError("give the shard folders to merge") }
        let shards = try folders.map { try ExperimentFolder(existing: URL(fileURLWithPath: $0)) }
        let spec = shards[0].spec
        let count = shards[0].manifest.shards
        for (folder, shard) in zip(folders, shards) {
            let differences = shard.spec == spec ? [] : ["experiment"]
            guard differences.isEmpty, shard.manifest.shards == count else {
                throw ExperimentError.mergeMismatch("\(folder) holds another experiment or another number of shards than \(folders[0])")
            }
        }
        let present = shards.map(\.manifest.shard).sorted()
        guard present == Array(1...count) else {
            throw ExperimentError.mergeMismatch(
                "expected shards 1…\(count) once each; got \(present.map(String.init).joined(separator: ", "))")
        }
        for shard in shards {
            if let missing = shard.myChunks.first(where: { !shard.isDone($0) }) {
                throw ExperimentError.mergeMismatch(
                    "shard \(shard.manifest.shard)/\(count) in \(shard.url.path) is incomplete (chunk \(missing)); run it again with --resume"
                )
            }
        }
        let folderName = out ?? "Outputs/\(spec.scenario)-\(spec.command)"
        let target = URL(fileURLWithPath: folderName)
        let started = Date()
        try RunFolder.checkReplaceable(target)
        try ExperimentFolder.assemble(shards, into: target)
        // The joined folder is described as the unsharded run it equals, with the shards it came from.
        let invocation = Invocation(sources: [], startedAt: started)
        var manifest = ExperimentFolder.Manifest(
            spec: spec, shard: 1, shards: 1, tool: "cloudmarket", toolVersion: invocation.toolVersion, gitCommit: invocation.gitCommit,
            commandLine: invocation.commandLine, startedAt: started.ISO8601Format())
        manifest.mergedFrom = shards.sorted { $0.manifest.shard < $1.manifest.shard }.map(\.url.path)
        try ExperimentFolder.writeManifest(manifest, into: target)
        let summary = try finish(spec, at: target)
        let failed = shards.reduce(0) { $0 + $1.failedRuns(chunks: $1.myChunks) }
        if !quiet { print("wrote \(folderName)/: \(spec.runs) runs from \(count) shards, \(failed) failed\n" + summary, terminator: "") }
        if failed > 0 { throw ExitCode(1) }
    }

    /// What the experiment's command derives from the joined runs.
    private func finish(_ spec: ExperimentSpec, at target: URL) throws -> String {
        guard spec.command != "sweep" else { return "" }
        let template =
            spec.scenarioFile == BuiltIn.baselineName
            ? try ScenarioTemplate(text: BuiltIn.baselineText, fileName: BuiltIn.baselineName)
            : try ScenarioTemplate(file: spec.scenarioFile)
        let scenario = try template.scenario(overrides: spec.overrides)
        let kpis = try spec.kpis.flatMap { try KPI.parse($0, years: [], in: scenario) }
        if spec.command == "montecarlo" { return try MonteCarlo.finish(target, spec, kpis) }
        let factors = try parseFactors(spec.factors, option: "--vary")
        let numbers = spec.design.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        let source: Design.Source =
            spec.design.hasPrefix("saltelli") ? .saltelli(base: numbers[0]) : .morris(trajectories: numbers[0], levels: numbers[1])
        let design = try Design(factors: factors, source: source, runs: 0, seed: spec.seed)
        return try Sensitivity.finish(target, spec, kpis, design: design)
    }
}
