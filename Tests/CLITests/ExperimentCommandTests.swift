import Foundation
import Testing

/// Sweeps, Monte Carlo and sensitivity through the command line, on the small scenario.
@Suite struct ExperimentCommandTests {
    static let vary = ["--vary", "model.network_effect=0:0.8", "--vary", "classes.public.churn=0.05:0.2"]
    static let kpi = ["--kpi", "share_eu@FR/ALL@2025", "--kpi", "revenue@FR/IaaS:fr@2030"]

    func sweep(_ cli: CLI, _ extra: [String]) throws -> CLI.Result {
        try cli.run(arguments: ["sweep", "small.yaml", "--quiet", "--chunk-size", "7"] + Self.kpi + extra)
    }

    func lines(_ cli: CLI, _ path: String) throws -> [Substring] { try cli.read(path).split(separator: "\r\n") }

    /// DESIGN §4: growing a design keeps its first rows; adding a parameter keeps the others' values; one job or two,
    /// sharded and merged, or resumed: the same files.
    @Test func randomnessIsCounterBased() throws {
        let cli = try CLI()
        defer { cli.removeAll() }
        try cli.write("small.yaml", smallScenario)
        for design in ["random", "sobol", "lhs"] {
            #expect(try sweep(cli, Self.vary + ["--design", design, "--runs", "30", "--out", "\(design)30"]).status == 0)
        }
        #expect(try sweep(cli, Self.vary + ["--design", "random", "--runs", "60", "--out", "random60", "--jobs", "1"]).status == 0)
        #expect(try sweep(cli, Self.vary + ["--design", "sobol", "--runs", "60", "--out", "sobol60"]).status == 0)
        for design in ["random", "sobol"] {
            for file in ["runs.csv", "design.csv"] {
                #expect(
                    Array(try lines(cli, "\(design)60/\(file)").prefix(31)) == (try lines(cli, "\(design)30/\(file)")), "\(design) \(file)")
            }
            let kpis30 = try lines(cli, "\(design)30/kpis.csv")
            #expect(Array(try lines(cli, "\(design)60/kpis.csv").prefix(kpis30.count)) == kpis30)
        }
        // A Latin hypercube is stratified over its whole size: it cannot grow this way, and does not claim to.
        #expect(Array(try lines(cli, "lhs30/design.csv").prefix(2)) != [])

        // A third parameter leaves the first two where they were.
        let three = Self.vary + ["--vary", "groups.us.appeal=0.5:1.5"]
        #expect(try sweep(cli, three + ["--design", "random", "--runs", "30", "--out", "three"]).status == 0)
        let twoColumns = try lines(cli, "random30/design.csv").map { $0.split(separator: ",").prefix(3) }
        let threeColumns = try lines(cli, "three/design.csv").map { $0.split(separator: ",").prefix(3) }
        #expect(twoColumns.dropFirst() == threeColumns.dropFirst())

        // Two jobs, and two shards merged, give the one-job files.
        #expect(try sweep(cli, Self.vary + ["--design", "random", "--runs", "60", "--out", "jobs2", "--jobs", "2"]).status == 0)
        for shard in ["1/2", "2/2"] {
            let out = "shard" + shard.prefix(1)
            #expect(try sweep(cli, Self.vary + ["--design", "random", "--runs", "60", "--shard", shard, "--out", out]).status == 0)
        }
        #expect(try cli.run("merge", "shard2", "shard1", "--out", "merged", "--quiet").status == 0)
        for file in ["runs.csv", "kpis.csv", "design.csv"] {
            #expect(try cli.read("jobs2/\(file)") == cli.read("random60/\(file)"), "jobs: \(file)")
            #expect(try cli.read("merged/\(file)") == cli.read("random60/\(file)"), "merge: \(file)")
        }
        let manifest = try cli.read("random60/manifest.json")
        #expect(manifest.contains("\"seed\" : 1") && manifest.contains("\"design\" : \"random\""))
        // The joined folder's manifest is the unsharded experiment's, with the shards it came from.
        let spec = { (text: String) in text.components(separatedBy: "\"spec\"")[1].components(separatedBy: "\"startedAt\"")[0] }
        let merged = try cli.read("merged/manifest.json")
        #expect(spec(merged) == spec(manifest))
        #expect(merged.contains("\"mergedFrom\"") && merged.contains("shard1") && merged.contains("\"shards\" : 1,"))
        // A merge with a shard missing is refused.
        let partial = try cli.run("merge", "shard1", "--out", "partial")
        #expect(partial.status == 65 && partial.stderr.contains("cannot merge: expected shards 1…2 once each; got 1"), "\(partial.stderr)")
    }

    /// A sweep killed mid-way and resumed gives the files of an uninterrupted one; resuming another experiment is refused.
    @Test func resumeAfterAKilledSweep() throws {
        let cli = try CLI()
        defer { cli.removeAll() }
        try cli.write("small.yaml", smallScenario)
        let arguments =
            ["sweep", "small.yaml", "--quiet", "--chunk-size", "5", "--design", "random", "--runs", "300", "--jobs", "1"] + Self.vary
            + Self.kpi
        #expect(try cli.run(arguments: arguments + ["--out", "whole"]).status == 0)
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = arguments + ["--out", "killed"]
        process.currentDirectoryURL = cli.folder
        try process.run()
        // Kill it once some chunks are on disk (or after 20 s at most).
        let chunks = cli.folder.appendingPathComponent("killed/chunks")
        for _ in 0..<2000 {
            let done = (try? FileManager.default.contentsOfDirectory(atPath: chunks.path))?.filter { $0.hasSuffix(".done") }.count ?? 0
            if done >= 3 { break }
            usleep(10_000)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(!cli.exists("killed/runs.csv"), "the sweep finished before it was killed; the test needs a slower sweep")
        let refused = try cli.run(arguments: arguments + ["--out", "killed", "--resume", "--seed", "2"])
        #expect(
            refused.status == 65 && refused.stderr.contains("it holds another experiment (different seed (1 vs 2))"), "\(refused.stderr)")
        #expect(try cli.run(arguments: arguments + ["--out", "killed", "--resume"]).status == 0)
        for file in ["runs.csv", "kpis.csv", "design.csv"] {
            #expect(try cli.read("killed/\(file)") == cli.read("whole/\(file)"), "\(file)")
        }
    }

    /// A user's CSV of points (what SALib writes, with paths as the header) drives a sweep; --series keeps every run.
    @Test func csvDesignAndSeries() throws {
        let cli = try CLI()
        defer { cli.removeAll() }
        try cli.write("small.yaml", smallScenario)
        try cli.write("points.csv", "model.network_effect,classes.public.churn\n0.1,0.05\n0.7,0.2\n0.3,0.1\n")
        let result = try cli.run(
            arguments: ["sweep", "small.yaml", "--design", "points.csv", "--series", "--out", "p", "--quiet"] + Self.kpi)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            try lines(cli, "p/design.csv") == ["run,model.network_effect,classes.public.churn", "0,0.1,0.05", "1,0.7,0.2", "2,0.3,0.1"])
        let series = csvRows(try cli.read("p/series.csv"))
        #expect(Set(series.map { $0["run"]! }) == ["0", "1", "2"])
        // Each run's series is what `run` writes for the same values.
        #expect(
            try cli.run("run", "small.yaml", "--set", "model.network_effect=0.7", "--set", "classes.public.churn=0.2", "--out", "r1", "-q")
                .status == 0)
        let single = csvRows(try cli.read("r1/timeseries.csv")).map {
            [$0["time"]!, $0["region"]!, $0["segment"]!, $0["group"]!, $0["variable"]!, $0["value"]!]
        }
        let fromSweep = series.filter { $0["run"] == "1" }.map {
            [$0["time"]!, $0["region"]!, $0["segment"]!, $0["group"]!, $0["variable"]!, $0["value"]!]
        }
        #expect(fromSweep == single)
        try cli.write("bad.csv", "model.network_effect\nx\n")
        let refused = try cli.run("sweep", "small.yaml", "--design", "bad.csv", "--out", "b")
        #expect(refused.status == 65 && refused.stderr.contains("bad.csv:2:1: error: expected a number, found 'x'"), "\(refused.stderr)")
    }

    /// A run that fails is a row with its message; the sweep goes on and exits 1.
    @Test func failedRunsAreRowsAndTheExitStatusSaysSo() throws {
        let cli = try CLI()
        defer { cli.removeAll() }
        try cli.write("small.yaml", smallScenario)
        let result = try cli.run("sweep", "small.yaml", "--vary", "classes.sme.churn=-0.2,0.05", "--design", "grid", "--out", "f")
        #expect(result.status == 1)
        #expect(result.stderr.contains("1 run failed: see runs.csv"), "\(result.stderr)")
        let rows = try lines(cli, "f/runs.csv")
        #expect(rows.count == 3)
        #expect(rows[1].hasPrefix("0,failed,") && rows[1].contains("classes.sme.churn"))
        #expect(rows[2].hasPrefix("1,ok,,0.05"))
    }

    /// Monte Carlo of a parameter with a known distribution, read back through a KPI equal to it: the quantile bands
    /// are the distribution's quantiles (a 200-point Latin hypercube is within 1% of the range of them).
    @Test func monteCarloQuantilesOfAKnownDistribution() throws {
        let cli = try CLI()
        defer { cli.removeAll() }
        try cli.write("small.yaml", smallScenario)
        let result = try cli.run(
            "montecarlo", "small.yaml", "--uncertain", "regions.FR.segments.IaaS.size=uniform(1000,3000)", "--design", "lhs", "--runs",
            "200",
            "--kpi", "market_size@FR/IaaS@2020", "--out", "mc", "--quiet")
        #expect(result.status == 0, "\(result.stderr)")
        let rows = csvRows(try cli.read("mc/quantiles.csv"))
        #expect(rows.count == 5)
        for row in rows {
            let q = Double(row["quantile"]!)!
            #expect(abs(Double(row["value"]!)! - (1000 + 2000 * q)) < 20, "q\(q): \(row["value"]!)")
            #expect(row["runs"] == "200")
        }
    }

    @Test func sensitivityWritesRankedIndicesAndWarnsWhenSmall() throws {
        let cli = try CLI()
        defer { cli.removeAll() }
        try cli.write("small.yaml", smallScenario)
        let sobol = try cli.run(
            arguments: ["sensitivity", "small.yaml", "--base", "16", "--resamples", "100", "--out", "s"] + Self.vary + Self.kpi)
        #expect(sobol.status == 0, "\(sobol.stderr)")
        #expect(sobol.stdout.contains("only 16 base points"), "\(sobol.stdout)")
        let rows = csvRows(try cli.read("s/sensitivity.csv"))
        #expect(rows.count == 2 * 2 * 2)
        #expect(Set(rows.map { $0["index"]! }) == ["S1", "ST"])
        // Market size does not depend on η or churn: no indices of solver noise, but a warning.
        let constant = try cli.run(
            arguments: ["sensitivity", "small.yaml", "--base", "16", "--out", "c", "--kpi", "market_size@FR/IaaS@2030"] + Self.vary)
        #expect(constant.status == 0, "\(constant.stderr)")
        #expect(constant.stdout.contains("market_size@FR/IaaS@2030: does not vary over the design"), "\(constant.stdout)")
        #expect(csvRows(try cli.read("c/sensitivity.csv")).isEmpty)
        let morris = try cli.run(
            arguments: ["sensitivity", "small.yaml", "--method", "morris", "--trajectories", "5", "--out", "m"] + Self.vary + Self.kpi)
        #expect(morris.status == 0, "\(morris.stderr)")
        #expect(Set(csvRows(try cli.read("m/sensitivity.csv")).map { $0["index"]! }) == ["mu_star", "mu", "sigma"])
    }
}
