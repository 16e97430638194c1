import ArgumentParser
import CloudMarket
import Foundation
import Reports
import ScenarioIO

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulate one scenario and write its run folder.",
        discussion: """
            Writes timeseries.csv, targets.csv, summary.json, manifest.json and scenario.resolved.yaml into the \
            output folder, complete or not at all: a failed or interrupted run leaves the previous folder as it was.
            """)

    @OptionGroup var input: ScenarioOptions

    @Option(name: .shortAndLong, help: "Output folder (default: Outputs/<scenario name>).", completion: .directory)
    var out: String?

    @Flag(help: "Also write timeseries-wide.csv: one row per year, one column per series, for spreadsheets.")
    var wide = false

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    func run() throws {
        let started = Date()
        let loaded = try input.load()
        let trajectory = try Simulation(scenario: loaded.scenario).run()
        let invocation = Invocation(reading: loaded, startedAt: started)
        let report = RunReport(loaded: loaded, trajectory: trajectory, invocation: invocation)
        let folderName = out ?? "Outputs/\(loaded.scenario.name)"
        let folder = URL(fileURLWithPath: folderName)
        let files = try report.files(wide: wide)
        try RunFolder.write(files, to: folder)
        guard !quiet else { return }
        let rows = files[0].contents.utf8.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 } - 1
        // Files in a subfolder are summed up as the subfolder: `charts/ (7 files)`.
        let names = files.map(\.name)
        let inFolders = Dictionary(grouping: names.filter { $0.contains("/") }) { String($0.prefix { $0 != "/" }) }
        let listed = names.filter { !$0.contains("/") } + inFolders.keys.sorted().map { "\($0)/ (\(inFolders[$0]!.count) files)" }
        FileHandle.standardError.write(
            Data("wrote \(folderName)/: \(listed.joined(separator: ", ")) (\(rows) time-series rows)\n\n".utf8))
        print(report.headlineTable(), terminator: "")
    }
}

/// The commit the running binary was built from, when it runs from inside a git checkout.
enum GitRevision {
    /// Starts asking git on another thread, so that the answer is ready by the time a manifest needs it.
    static func prefetch() { _ = lookup }

    /// The full commit hash, with `-dirty` when tracked files differ from it; waits for the lookup if it is still running.
    static func ofExecutable() -> String? { lookup.answer }

    private static let lookup = GitLookup()
}

/// One `git describe` of the executable's folder, run in the background (one `git` call: spawning costs more than git).
private final class GitLookup: @unchecked Sendable {
    private let finished = DispatchSemaphore(value: 0)
    /// Written before `finished` is signalled, read only after waiting for it.
    private var output: String?

    init() {
        DispatchQueue.global().async { [self] in
            let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            let folder = executable.deletingLastPathComponent().path
            output = Self.git(["-C", folder, "describe", "--always", "--dirty", "--abbrev=40", "--exclude=*"]).flatMap {
                $0.isEmpty ? nil : $0
            }
            finished.signal()
        }
    }

    var answer: String? {
        finished.wait()
        finished.signal()  // for the next reader
        return output
    }

    private static func git(_ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        // Not `waitUntilExit`: on Linux it polls the run loop every 50 ms, which made every command 40-50 ms slower.
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        guard (try? process.run()) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        exited.wait()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
