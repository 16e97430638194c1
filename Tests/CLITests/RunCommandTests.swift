import Foundation
import Testing

@Suite struct RunCommandTests {
    @Test func builtInBaselineWritesTheFiveFiles() throws {
        let cli = try CLI()
        defer { cli.removeAll() }
        let result = try cli.run("run")
        #expect(result.status == 0, "\(result.stderr)")
        for file in ["timeseries.csv", "targets.csv", "summary.json", "manifest.json", "scenario.resolved.yaml"] {
            #expect(cli.exists("Outputs/baseline/\(file)"), "missing \(file)")
        }
        #expect(result.stderr.contains("wrote Outputs/baseline"))
        #expect(result.stdout.contains("share, EU origin"))
        #expect(result.stdout.contains("double_french_industry"))
        let series = try cli.read("Outputs/baseline/timeseries.csv")
        #expect(series.hasPrefix("scenario,time,region,segment,group,variable,value,unit\r\n"))
        // Europe 2020 is IDC's 59 bn (data/seed-facts.md), summed over regions, segments, classes and groups.
        let europe = try #require(series.split(separator: "\r\n").first { $0.hasPrefix("baseline,2020,ALL,ALL,,market_size,") })
        #expect(abs(try #require(Double(europe.split(separator: ",", omittingEmptySubsequences: false)[6])) - 59000) < 1e-6)
        #expect(europe.hasSuffix(",MEUR/yr"))
        let manifest = try JSONSerialization.jsonObject(with: Data(try cli.read("Outputs/baseline/manifest.json").utf8)) as! [String: Any]
        let files = manifest["scenario_files"] as! [[String: String]]
        #expect(files.first?["name"] == "built-in:baseline.yaml")
        #expect(files.first?["sha256"]?.count == 64)
        #expect((manifest["resolved_scenario"] as? [String: Any])?["name"] as? String == "baseline")
        #expect((manifest["solver"] as? [String: Any])?["method"] as? String == "rkf45")
    }

    /// scenario.resolved.yaml is a complete scenario: running it again gives the same numbers.
    @Test func resolvedScenarioReproducesTheRun() throws {
        let cli = try CLI()
        defer { cli.removeAll() }
        try cli.write("small.yaml", smallScenario)
        try cli.run("run", "small.yaml", "--set", "levers.surge.extra_growth=0.1", "--out", "first")
        let again = try cli.run("run", "first/scenario.resolved.yaml", "--out", "second")
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try cli.read("first/timeseries.csv") == cli.read("second/timeseries.csv"))
        #expect(try cli.read("first/targets.csv") == cli.read("second/targets.csv"))
        #expect(try cli.read("first/scenario.resolved.yaml").contains("extra_growth: 0.1"))
        // The manifest fingerprints the file as coreutils would.
        let manifest = try #require(
            try JSONSerialization.jsonObject(with: Data(try cli.read("first/manifest.json").utf8)) as? [String: Any])
        let listed = try #require((manifest["scenario_files"] as? [[String: String]])?.first)
        let sum = Process()
        sum.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        sum.arguments = [cli.folder.appendingPathComponent("small.yaml").path]
        let pipe = Pipe()
        sum.standardOutput = pipe
        try sum.run()
        let printed = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        sum.waitUntilExit()
        #expect(listed["name"] == "small.yaml")
        #expect(listed["sha256"] == printed.split(separator: " ").first.map(String.init))
    }

    @Test func targetsCSVHasOneRowPerTarget() throws {
        let cli = try CLI()
        defer { cli.removeAll() }
        try cli.write("small.yaml", smallScenario)
        try cli.run("run", "small.yaml", "--out", "out")
        let rows = try cli.read("out/targets.csv").split(separator: "\r\n")
        #expect(rows.count == 2)
        #expect(rows[0] == "scenario,target,label,year,value,threshold,op,met")
        #expect(rows[1].hasPrefix("small,double_fr,Double French revenue,2025,"))
        #expect(rows[1].hasSuffix(",2,at_least,true") || rows[1].hasSuffix(",2,at_least,false"))
    }

    @Test func simulationFailureExitsOneAndWritesNothing() throws {
        let cli = try CLI()
        defer { cli.removeAll() }
        try cli.write("small.yaml", smallScenario)
        let result = try cli.run("run", "small.yaml", "--set", "levers.surge.extra_growth=-2", "--out", "out")
        #expect(result.status == 1)
        #expect(result.stderr.contains("growth of FR/IaaS"))
        #expect(!cli.exists("out"))
    }

    @Test func unwritableOutputExits74() throws {
        let cli = try CLI()
        defer { cli.removeAll() }
        try cli.write("small.yaml", smallScenario)
        try cli.write("blocker", "a file where a folder should go")
        let result = try cli.run("run", "small.yaml", "--out", "blocker/run")
        #expect(result.status == 74, "\(result.stderr)")
        #expect(result.stderr.contains("blocker/run"))
    }

    @Test func badCommandLineExitsTwo() throws {
        let cli = try CLI()
        defer { cli.removeAll() }
        #expect(try cli.run("run", "--no-such-flag").status == 2)
        #expect(try cli.run("run", "--set", "model.price_sensitivity").status == 2)
        #expect(try cli.run("frobnicate").status == 2)
        #expect(try cli.run("--help").status == 0)
    }

    @Test func validateAndDescribe() throws {
        let cli = try CLI()
        defer { cli.removeAll() }
        try cli.write("small.yaml", smallScenario)
        let valid = try cli.run("validate", "small.yaml")
        #expect(valid.status == 0)
        #expect(valid.stdout.contains("valid scenario 'small'"))
        let described = try cli.run("describe", "small.yaml")
        #expect(described.status == 0)
        #expect(described.stdout.contains("groups.fr.appeal.SaaS"))
        #expect(described.stdout.contains("levers.cloud_au_centre.level"))
        let json = try cli.run("describe", "--format", "json")
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        let beta = try #require(entries.first { $0["path"] as? String == "model.price_sensitivity" })
        #expect(beta["value"] as? Double == 1.0)
    }
}
