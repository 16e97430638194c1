import ArgumentParser
import CloudMarket
import Experiments
import Foundation
import Reports
import ScenarioIO

@main
struct CloudMarketTool: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "cloudmarket",
        abstract: "Project the French and European cloud markets by segment under public-policy levers.",
        discussion: """
            Exit status: 0 success; 1 the simulation or the fit failed; 2 bad command line; 65 invalid input data; 74 I/O error.
            """,
        version: version,
        subcommands: [
            Run.self, Validate.self, Describe.self, Compare.self, SweepCommand.self, MonteCarlo.self, Sensitivity.self, Attribute.self,
            Goalseek.self, Calibrate.self, Merge.self, NotebookCommand.self, SchemaCommand.self, SelfTestCommand.self,
        ])

    /// Maps every failure to its DESIGN §3 exit status with a one-screen message; never a stack trace.
    static func main() {
        do {
            var command = try parseAsRoot()
            if command is WritesManifest { GitRevision.prefetch() }
            try command.run()
        } catch let error as ScenarioError {
            fail(error.description, status: 65)
        } catch let error as ReportError {
            fail("error: \(error)", status: 74)
        } catch let error as SimulationError {
            fail("error: the run failed: \(error)", status: 1)
        } catch let error as CalibrationError {
            fail("error: the calibration failed: \(error)", status: 1)
        } catch let error as ExperimentError {
            fail("error: \(error)", status: 65)
        } catch let error as EditError {
            fail("error: \(error)", status: 74)
        } catch {
            let code = exitCode(for: error)
            guard code == .validationFailure else { exit(withError: error) }
            fail(fullMessage(for: error), status: 2)
        }
    }

    static func fail(_ message: String, status: Int32) -> Never {
        FileHandle.standardError.write(Data((message.hasSuffix("\n") ? message : message + "\n").utf8))
        Foundation.exit(status)
    }
}

/// A command whose folder records the build's commit in a manifest: git is asked while the command works.
protocol WritesManifest {}

extension Run: WritesManifest {}
extension Compare: WritesManifest {}
extension SweepCommand: WritesManifest {}
extension MonteCarlo: WritesManifest {}
extension Sensitivity: WritesManifest {}
extension Attribute: WritesManifest {}
extension Goalseek: WritesManifest {}
extension Calibrate: WritesManifest {}
extension Merge: WritesManifest {}

/// The scenario argument and overrides shared by every command that reads one scenario.
struct ScenarioOptions: ParsableArguments {
    @Argument(
        help: "Scenario file (YAML or JSON). Omit it for the built-in baseline.", completion: .file(extensions: ["yaml", "yml", "json"]))
    var scenario: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("Override one parameter.", valueName: "PATH=VALUE"))
    var overrides: [String] = []

    func validate() throws {
        for item in overrides where !item.contains("=") {
            throw ValidationError("--set takes PATH=VALUE (for example --set model.price_sensitivity=1.2); got '\(item)'")
        }
    }

    /// The scenario file (or the built-in baseline) parsed and extended, ready to be instantiated.
    func template() throws(ScenarioError) -> ScenarioTemplate {
        if let scenario {
            try ScenarioTemplate(file: scenario)
        } else {
            try ScenarioTemplate(text: BuiltIn.baselineText, fileName: BuiltIn.baselineName)
        }
    }

    /// The scenario, resolved.
    func load() throws(ScenarioError) -> LoadedScenario {
        try template().load(overrides: overrides)
    }
}

extension Invocation {
    /// This process's command line and build, and the scenario files it read (none for `compare`), for a manifest.
    init(sources: [ScenarioSource], startedAt: Date) {
        self.init(
            toolVersion: CloudMarketTool.version, gitCommit: GitRevision.ofExecutable(), commandLine: CommandLine.arguments,
            sources: sources, startedAt: startedAt, finishedAt: Date())
    }

    init(reading loaded: LoadedScenario, startedAt: Date) {
        self.init(sources: zip(loaded.files, loaded.texts).map { ScenarioSource(name: $0, bytes: $1.utf8) }, startedAt: startedAt)
    }
}

enum BuiltIn {
    static let baselineName = "built-in:baseline.yaml"
    static let baselineText = String(decoding: PackageResources.baseline_yaml, as: UTF8.self)
}
