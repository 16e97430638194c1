import ArgumentParser
import CloudMarket
import Experiments
import Foundation
import Reports
import ScenarioIO

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a design of parameter values: grid, Latin hypercube, Sobol, random, or your own CSV.",
        discussion: """
            --vary PATH=LO:HI[:N] samples an interval (a grid needs N points); PATH=v1,v2,... a list. --design FILE.csv \
            reads the points from a CSV whose header names parameter paths (SALib's samples, say) and needs no --vary.

            Writes runs.csv (run, status, error, the values), kpis.csv (tidy: run, kpi, ..., value), design.csv, \
            series.csv with --series, and manifest.json (seed, design, shard). A run that fails is a row with its \
            message; the sweep goes on, and the exit status is 1 when any failed. Chunks of runs are written as they \
            finish, so --resume re-runs only what an interruption lost, and --shard I/N runs a deterministic slice for \
            a cluster (join with merge). Randomness is counter-based: run i's values depend on (seed, i, path) alone.
            """)

    @OptionGroup var input: ScenarioOptions

    @Option(
        name: .customLong("vary"),
        help: ArgumentHelp("A parameter and its range; repeat for several.", valueName: "PATH=LO:HI[:N]|PATH=v1,v2,..."))
    var varied: [String] = []

    @Option(help: ArgumentHelp("grid, lhs, sobol, random, or a CSV file of points.", valueName: "DESIGN"))
    var design = "lhs"

    @Option(help: "Runs (ignored by a grid and by a CSV design).")
    var runs = 100

    @OptionGroup var experiment: ExperimentOptions

    func run() throws {
        let factors: [Factor]
        let source: Design.Source
        if let kind = DesignKind(rawValue: design) {
            factors = try parseFactors(varied, option: "--vary")
            source = .generated(kind)
        } else {
            guard varied.isEmpty else { throw ValidationError("--design \(design) is a CSV of points: it takes no --vary") }
            let table = try readDesignTable(design)
            factors = table.paths.map { Factor(path: $0, values: .list([])) }
            source = .table(file: design, rows: table.rows)
        }
        let built: Design
        do { built = try Design(factors: factors, source: source, runs: runs, seed: experiment.seed) } catch {
            throw ValidationError("\(error)")
        }
        let texts = varied.isEmpty ? factors.map { "\($0.path)=file" } : varied
        try experiment.execute(command: "sweep", input: input, factors: factors, factorTexts: texts, design: built) { _, _, _ in "" }
    }
}

struct MonteCarlo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "montecarlo",
        abstract: "Propagate parameter uncertainty: KPI quantile bands over many runs.",
        discussion: """
            --uncertain PATH=normal(mean,sd) | lognormal(mu,sigma) (of ln X) | uniform(lo,hi) | triangular(lo,mode,hi) \
            | beta(a,b): each run draws every parameter through GSL's inverse distribution functions, from \
            counter-based streams (seed, run, path). Writes quantiles.csv (tidy: one row per KPI and quantile) beside \
            the sweep files.
            """)

    @OptionGroup var input: ScenarioOptions

    @Option(
        name: .customLong("uncertain"),
        help: ArgumentHelp("A parameter and its distribution; repeat for several.", valueName: "PATH=DIST(...)"))
    var uncertain: [String] = []

    @Option(help: "random, lhs or sobol.")
    var design = DesignKind.random.rawValue

    @Option(help: "Runs.")
    var runs = 1000

    @Option(help: ArgumentHelp("Quantile levels, comma-separated.", valueName: "P,P,..."))
    var quantiles = "0.05,0.25,0.5,0.75,0.95"

    @OptionGroup var experiment: ExperimentOptions

    func run() throws {
        let factors = try parseFactors(uncertain, option: "--uncertain")
        guard let kind = DesignKind(rawValue: design), kind != .grid else { throw ValidationError("--design takes random, lhs or sobol") }
        let levels = quantiles.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !levels.isEmpty, levels.count == quantiles.split(separator: ",").count, levels.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
            throw ValidationError("--quantiles takes levels in [0, 1], comma-separated; got '\(quantiles)'")
        }
        let built: Design
        do { built = try Design(factors: factors, source: .generated(kind), runs: runs, seed: experiment.seed) } catch {
            throw ValidationError("\(error)")
        }
        try experiment.execute(
            command: "montecarlo", input: input, factors: factors, factorTexts: uncertain, design: built, quantiles: levels
        ) {
            url, spec, kpis in try MonteCarlo.finish(url, spec, kpis)
        }
    }

    static func finish(_ url: URL, _ spec: ExperimentSpec, _ kpis: [KPI]) throws -> String {
        let (csv, table) = try ExperimentResults.quantiles(in: url, spec: spec, kpis: kpis, levels: spec.quantiles ?? [])
        try RunFolder.writeFile(csv, to: url.appendingPathComponent("quantiles.csv"))
        return table
    }
}

struct Sensitivity: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Which parameters drive the KPIs: Sobol indices (first, total) with bootstrap intervals, or Morris screening.",
        discussion: """
            sobol: Saltelli's sampling on GSL's Sobol sequence, N·(k + 2) runs for N base points and k parameters; \
            first-order indices by Saltelli (2010), total by Jansen, with percentile bootstrap intervals; a warning when \
            N is small or an index lies outside [0, 1] beyond its interval. morris: r·(k + 1) runs, μ*, μ and σ of the \
            elementary effects, the cheap screen. Writes sensitivity.csv (tidy) and a ranked table.
            """)

    @OptionGroup var input: ScenarioOptions

    @Option(name: .customLong("vary"), help: ArgumentHelp("A parameter and its range (or distribution); repeat.", valueName: "PATH=LO:HI"))
    var varied: [String] = []

    @Option(help: "sobol or morris.")
    var method = ExperimentResults.Method.sobol.rawValue

    @Option(help: "Sobol: base points N (runs = N·(k + 2)).")
    var base = 512

    @Option(help: "Sobol: bootstrap resamples for the intervals.")
    var resamples = 1000

    @Option(help: "Morris: trajectories r (runs = r·(k + 1)).")
    var trajectories = 20

    @Option(help: "Morris: grid levels (even).")
    var levels = 4

    @OptionGroup var experiment: ExperimentOptions

    func run() throws {
        let factors = try parseFactors(varied, option: "--vary")
        guard let chosen = ExperimentResults.Method(rawValue: method) else { throw ValidationError("--method takes sobol or morris") }
        let source: Design.Source = chosen == .sobol ? .saltelli(base: base) : .morris(trajectories: trajectories, levels: levels)
        let built: Design
        do { built = try Design(factors: factors, source: source, runs: 0, seed: experiment.seed) } catch {
            throw ValidationError("\(error)")
        }
        try experiment.execute(
            command: "sensitivity", input: input, factors: factors, factorTexts: varied, design: built,
            resamples: chosen == .sobol ? resamples : nil
        ) { url, spec, kpis in try Sensitivity.finish(url, spec, kpis, design: built) }
    }

    static func finish(_ url: URL, _ spec: ExperimentSpec, _ kpis: [KPI], design: Design) throws -> String {
        let method: ExperimentResults.Method = spec.resamples == nil ? .morris : .sobol
        let (csv, table, warnings) = try ExperimentResults.sensitivity(
            in: url, spec: spec, design: design, kpis: kpis, method: method, resamples: spec.resamples ?? 0)
        try RunFolder.writeFile(csv, to: url.appendingPathComponent("sensitivity.csv"))
        return table + (warnings.isEmpty ? "" : "\nwarnings\n" + warnings.map { "  ! " + $0 }.joined(separator: "\n") + "\n")
    }
}
