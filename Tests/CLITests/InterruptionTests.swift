import Foundation
import Testing

/// A run killed at any moment leaves the output folder either as it was or complete and new.
@Suite struct InterruptionTests {
    @Test func killedRunNeverLeavesAHalfWrittenFolder() throws {
        let cli = try CLI()
        defer { cli.removeAll() }
        try cli.write("small.yaml", smallScenario)
        let change = ["--set", "groups.us.appeal=1.3"]
        #expect(try cli.run("run", "small.yaml", "--out", "existing").status == 0)
        #expect(try cli.run(arguments: ["run", "small.yaml", "--out", "reference"] + change).status == 0)
        let old = try cli.snapshot("existing")
        let new = try cli.snapshot("reference")
        #expect(old["timeseries.csv"] != new["timeseries.csv"])
        var outcomes: Set<String> = []
        for delay in stride(from: 0, through: 150, by: 10) {
            let process = Process()
            process.executableURL = CLI.binary
            process.arguments = ["run", "small.yaml", "--out", "existing", "--quiet"] + change
            process.currentDirectoryURL = cli.folder
            try process.run()
            usleep(useconds_t(delay * 1000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let now = try cli.snapshot("existing")
            // The manifest and summary carry times and the command line; the other files are all old or all new.
            let files = now.keys.filter { $0 != "manifest.json" && $0 != "summary.json" }
            let isOld = files.allSatisfy { now[$0] == old[$0] } && now.count == old.count
            let isNew = files.allSatisfy { now[$0] == new[$0] } && now.count == new.count
            #expect(isOld || isNew, "killed after \(delay) ms: the folder is neither the old nor the new run")
            outcomes.insert(isOld ? "old" : "new")
            #expect(try cli.run(arguments: ["run", "small.yaml", "--out", "existing", "--quiet"]).status == 0)
        }
        // Killed at once, a run has written nothing: the old folder must be there.
        #expect(outcomes.contains("old"))
        // Later runs clear what killed ones left behind.
        let debris = try FileManager.default.contentsOfDirectory(atPath: cli.folder.path).filter { $0.hasPrefix(".existing.") }
        #expect(debris.isEmpty, "left behind: \(debris)")
    }
}
