import Foundation
import Testing

/// Rows of a CSV the tool wrote (no quoted commas in these files), by header name.
func csvRows(_ text: String) -> [[String: String]] {
    let lines = text.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    guard let header = lines.first else { return [] }
    return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
}

@Suite struct CompareCommandTests {
    @Test func differencesAreExactAndTheTableLeadsWithHeadlines() throws {
        let cli = try CLI()
        defer { cli.removeAll() }
        try cli.write("small.yaml", smallScenario)
        #expect(try cli.run("run", "small.yaml", "--out", "a", "--quiet").status == 0)
        #expect(try cli.run("run", "small.yaml", "--out", "b", "--quiet", "--set", "groups.us.appeal=1.3").status == 0)
        let result = try cli.run("compare", "a", "b", "--out", "ab")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("A: a (small)\nB: b (small)\n\nEurope, all segments"))
        let a = Dictionary(uniqueKeysWithValues: csvRows(try cli.read("a/timeseries.csv")).map { (Self.key($0), Double($0["value"]!)!) })
        let b = Dictionary(uniqueKeysWithValues: csvRows(try cli.read("b/timeseries.csv")).map { (Self.key($0), Double($0["value"]!)!) })
        let rows = csvRows(try cli.read("ab/comparison.csv"))
        #expect(rows.count == Set(a.keys).union(b.keys).count)
        var moved = 0
        for row in rows {
            let key = Self.key(row)
            #expect(Double(row["a"]!) == a[key] && Double(row["b"]!) == b[key])
            guard let x = a[key], let y = b[key] else { continue }
            #expect(Double(row["difference"]!)! == y - x, "\(key)")
            if x != 0 { #expect(Double(row["ratio"]!)! == y / x) }
            if y != x { moved += 1 }
        }
        #expect(moved > 0)
        // A run against itself: every difference is zero.
        #expect(try cli.run("compare", "a", "a", "--out", "aa", "--quiet").status == 0)
        #expect(csvRows(try cli.read("aa/comparison.csv")).allSatisfy { $0["difference"] == "0" })
    }

    static func key(_ row: [String: String]) -> String {
        ["time", "region", "segment", "group", "variable"].map { row[$0]! }.joined(separator: "|")
    }

    @Test func runsOfDifferentShapeAreRefused() throws {
        let cli = try CLI()
        defer { cli.removeAll() }
        try cli.write("small.yaml", smallScenario)
        #expect(try cli.run("run", "small.yaml", "--out", "a", "--quiet").status == 0)
        #expect(try cli.run("run", "--out", "base", "--quiet").status == 0)
        let result = try cli.run("compare", "a", "base", "--out", "x")
        #expect(result.status == 65)
        #expect(result.stderr.contains("error: the runs have different regions: only in a: "), "\(result.stderr)")
        #expect(!cli.exists("x"))
        let missing = try cli.run("compare", "a", "nowhere")
        #expect(missing.status == 65 && missing.stderr.contains("nowhere/timeseries.csv: error: cannot read it"), "\(missing.stderr)")
    }
}

@Suite struct AttributeAndGoalseekCommandTests {
    /// The package's three removed levers are the players; their contributions add up to the total effect, and the
    /// baseline and package values are the numbers `cloudmarket run` writes.
    @Test func attributionSumsToTheEffect() throws {
        let cli = try CLI()
        defer { cli.removeAll() }
        let result = try cli.run(
            "attribute", shipped("Scenarios/cloud-de-confiance.yaml"), "--kpi", "share_eu@2030", "--kpi", "revenue:fr_providers@2030",
            "--out", "attr")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("3 players, 8 runs (every subset), exact Shapley values"), "\(result.stdout)")
        let rows = csvRows(try cli.read("attr/attribution.csv"))
        #expect(Set(rows.map { $0["player"]! }) == ["ipcei_cis", "sren_portability", "data_act_portability"])
        for kpi in ["share_eu@ALL/ALL@2030", "revenue@ALL/ALL:fr_providers@2030"] {
            let mine = rows.filter { $0["kpi"] == kpi }
            let total = Double(mine[0]["total_effect"]!)!
            #expect(abs(mine.map { Double($0["contribution"]!)! }.reduce(0, +) - total) < 1e-9 * max(1, abs(total)), "\(kpi)")
            #expect(abs(Double(mine[0]["package"]!)! - Double(mine[0]["baseline"]!)! - total) < 1e-9 * max(1, abs(total)))
        }
        #expect(try cli.run("run", shipped("Scenarios/cloud-de-confiance.yaml"), "--out", "run", "--quiet").status == 0)
        let series = csvRows(try cli.read("run/timeseries.csv"))
        let shareEU = series.first {
            $0["time"] == "2030" && $0["region"] == "ALL" && $0["segment"] == "ALL" && $0["variable"] == "share_eu"
        }
        #expect(shareEU?["value"] == rows.first { $0["kpi"] == "share_eu@ALL/ALL@2030" }?["package"])
    }

    @Test func attributeRefusesClearly() throws {
        let cli = try CLI()
        defer { cli.removeAll() }
        let none = try cli.run("attribute", "--kpi", "share_eu@2030")
        #expect(none.status == 2 && none.stderr.contains("extends no scenario: name the baseline with --baseline FILE"), "\(none.stderr)")
        let badGroup = try cli.run(
            "attribute", shipped("Scenarios/cloud-de-confiance.yaml"), "--group", "x=cloud_au_centre", "--kpi", "share_eu@2030")
        #expect(badGroup.status == 2 && badGroup.stderr.contains("lever 'cloud_au_centre' is the same in the package and the baseline"))
        let badKPI = try cli.run("attribute", shipped("Scenarios/cloud-de-confiance.yaml"), "--kpi", "share_eu@XX@2030")
        #expect(badKPI.status == 2 && badKPI.stderr.contains("--kpi share_eu@XX@2030: region: unknown region 'XX'"), "\(badKPI.stderr)")
    }

    @Test func goalseekFindsTheLevelOrSaysItCannot() throws {
        let cli = try CLI()
        defer { cli.removeAll() }
        let vary = ["--target", "double_french_industry", "--vary", "levers.cloud_au_centre.level", "--bounds", "0:1"]
        let met = try cli.run(arguments: ["goalseek", "--set", "targets.double_french_industry.at_least=2.65", "--out", "met"] + vary)
        #expect(met.status == 0, "\(met.stderr)")
        struct Answer: Decodable {
            let outcome: String
            let parameter: Double
            let target_value: Double
        }
        let answer = try JSONDecoder().decode(Answer.self, from: Data(try cli.read("met/goalseek.json").utf8))
        #expect(answer.outcome == "met" && abs(answer.target_value - 2.65) < 1e-8 && answer.parameter > 0 && answer.parameter < 1)
        // Running at the answer meets the target, as targets.csv says.
        let check = try cli.run(
            "run", "--set", "targets.double_french_industry.at_least=2.65", "--set",
            "levers.cloud_au_centre.level=\(answer.parameter + 1e-7)", "--out", "check", "--quiet")
        #expect(check.status == 0)
        #expect(csvRows(try cli.read("check/targets.csv")).first?["met"] == "true")

        let unreachable = try cli.run(arguments: ["goalseek", "--set", "targets.double_french_industry.at_least=3", "--out", "no"] + vary)
        #expect(unreachable.status == 0)
        #expect(unreachable.stdout.contains("UNREACHABLE within the range: the best value is 2.7"), "\(unreachable.stdout)")
        #expect(unreachable.stdout.contains("at levers.cloud_au_centre.level = 1, against 3"))

        let unknown = try cli.run(arguments: ["goalseek", "--target", "nope", "--vary", "model.network_effect"])
        #expect(
            unknown.status == 2
                && unknown.stderr.contains("--target nope: no such target in built-in:baseline.yaml; it has: double_french_industry"))
    }
}

/// Every scenario shipped in Scenarios/ validates and runs.
@Suite struct ShippedScenarioTests {
    static let files =
        (try? FileManager.default.contentsOfDirectory(atPath: shipped("Scenarios")))?.filter { $0.hasSuffix(".yaml") }.sorted() ?? []

    @Test func thereAreTheShippedScenarios() {
        #expect(Self.files.count >= 11, "\(Self.files)")
    }

    @Test(arguments: files)
    func validatesAndRuns(_ file: String) throws {
        let cli = try CLI()
        defer { cli.removeAll() }
        #expect(try cli.run("validate", shipped("Scenarios/" + file)).status == 0)
        let result = try cli.run("run", shipped("Scenarios/" + file), "--out", "run", "--quiet")
        #expect(result.status == 0, "\(file): \(result.stderr)")
        #expect(cli.exists("run/timeseries.csv"))
    }
}

/// `run --wide`: the tidy values, one row per time and one column per series, nothing lost or moved.
@Suite struct WideOutputTests {
    @Test func wideHoldsExactlyTheTidyValues() throws {
        let cli = try CLI()
        defer { cli.removeAll() }
        try cli.write("small.yaml", smallScenario)
        #expect(try cli.run("run", "small.yaml", "--wide", "--out", "w", "--quiet").status == 0)
        let tidy = csvRows(try cli.read("w/timeseries.csv"))
        let wide = csvRows(try cli.read("w/timeseries-wide.csv"))
        #expect(wide.count == Set(tidy.map { $0["time"]! }).count)
        var cells = 0
        for row in tidy {
            let place = [row["region"]!, row["segment"]!, row["group"]!].filter { !$0.isEmpty }.joined(separator: "/")
            let column = "\(row["variable"]!) \(place) (\(row["unit"]!))"
            let line = try #require(wide.first { $0["time"] == row["time"] })
            #expect(line[column] == row["value"], "\(column) at \(row["time"]!)")
            cells += 1
        }
        #expect(cells == wide.reduce(0) { $0 + $1.filter { $0.key != "time" && !$0.value.isEmpty }.count })
    }
}

/// Shell completion scripts (from swift-argument-parser) know every command.
@Suite struct CompletionTests {
    static let commands = [
        "run", "validate", "describe", "compare", "sweep", "montecarlo", "sensitivity", "attribute", "goalseek", "calibrate", "merge",
    ]

    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScriptNamesEveryCommand(_ shell: String) throws {
        let cli = try CLI()
        defer { cli.removeAll() }
        let result = try cli.run("--generate-completion-script", shell)
        #expect(result.status == 0)
        for command in Self.commands {
            #expect(result.stdout.contains(command), "\(shell): \(command)")
        }
        // Options too (fish writes them without the dashes).
        #expect(result.stdout.contains("kpi") && result.stdout.contains("resume") && result.stdout.contains("chunk-size"))
    }
}

/// `--out` naming a folder that holds someone's files is refused: replacing it would delete them.
@Suite struct ForeignFolderTests {
    @Test(arguments: [["run"], ["sweep", "--vary", "model.network_effect=0:1", "--runs", "3"], ["compare", "a", "a"]])
    func aFolderWithOtherFilesIsNeverReplaced(_ command: [String]) throws {
        let cli = try CLI()
        defer { cli.removeAll() }
        #expect(try cli.run("run", "--out", "a", "--quiet").status == 0)
        try FileManager.default.createDirectory(at: cli.folder.appendingPathComponent("mine"), withIntermediateDirectories: true)
        try cli.write("mine/thesis.tex", "do not delete")
        let result = try cli.run(arguments: command + ["--out", "mine"])
        #expect(result.status == 74, "\(result.stderr)")
        #expect(result.stderr.contains("it holds files cloudmarket did not write (thesis.tex)"))
        #expect(try cli.read("mine/thesis.tex") == "do not delete")
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.folder.appendingPathComponent("mine").path) == ["thesis.tex"])
    }
}

/// datapackage.json describes each CSV of a run folder: its fields are the file's header, in order.
@Suite struct DataPackageTests {
    struct Package: Decodable {
        struct Resource: Decodable {
            struct Schema: Decodable {
                struct Field: Decodable {
                    let name: String
                    let type: String
                }
                let fields: [Field]
            }
            let path: String
            let schema: Schema
        }
        let name: String
        let profile: String
        let resources: [Resource]
    }

    @Test func fieldsAreTheHeadersOfTheFiles() throws {
        let cli = try CLI()
        defer { cli.removeAll() }
        try cli.write("small.yaml", smallScenario)
        #expect(try cli.run("run", "small.yaml", "--wide", "--out", "d", "--quiet").status == 0)
        let package = try JSONDecoder().decode(Package.self, from: Data(try cli.read("d/datapackage.json").utf8))
        #expect(package.name == "small" && package.profile == "tabular-data-package")
        #expect(package.resources.map(\.path) == ["timeseries.csv", "targets.csv", "timeseries-wide.csv"])
        for resource in package.resources {
            let header = try cli.read("d/" + resource.path).split(separator: "\r\n")[0].split(separator: ",").map(String.init)
            #expect(resource.schema.fields.map(\.name) == header, "\(resource.path)")
        }
        #expect(package.resources[0].schema.fields.first { $0.name == "value" }?.type == "number")
        #expect(package.resources[1].schema.fields.first { $0.name == "met" }?.type == "boolean")
    }
}
