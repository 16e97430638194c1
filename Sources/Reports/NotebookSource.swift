import Foundation
import ScenarioIO

/// A folder the tool wrote, recognised by its files, with how it was made (its manifest), for `cloudmarket notebook`.
public struct NotebookSource: Sendable {
    /// What wrote the folder, which decides the charts.
    public enum Kind: String, Sendable, CaseIterable {
        case run, sweep, montecarlo
        case sobol = "sensitivity (Sobol)"
        case morris = "sensitivity (Morris)"
        case attribution, comparison

        /// The command that writes such a folder.
        public var command: String {
            switch self {
            case .run: "run"
            case .sweep: "sweep"
            case .montecarlo: "montecarlo"
            case .sobol, .morris: "sensitivity"
            case .attribution: "attribute"
            case .comparison: "compare"
            }
        }
    }

    /// How the folder was made, from its `manifest.json`.
    public struct Provenance: Sendable, Equatable {
        public let scenario: String
        public let toolVersion: String
        public let gitCommit: String?
        /// Experiments' seed; nil for commands without randomness.
        public let seed: UInt64?
        public let commandLine: [String]
        /// The scenario file given, then the files it extends.
        public let scenarioFiles: [String]
        public let startedAt: String
        /// The manifest's key for `startedAt`: run-style manifests spell keys in snake case, experiments' in camel case.
        public let startedAtKey: String
    }

    /// The folder as given on the command line.
    public let path: String
    public let kind: Kind
    /// nil for a folder without a manifest (written by an earlier version).
    public let provenance: Provenance?
    /// Rows of targets.csv (run folders): no targets, no targets chart.
    public let targets: Int
    /// An attribution's baseline scenario file: the `--baseline` given, else the file the package extends.
    public let baseline: String?

    /// The scenario's name for titles: the manifest's, else the folder's own name.
    public var title: String { provenance?.scenario ?? URL(fileURLWithPath: path).standardizedFileURL.lastPathComponent }

    /// Recognises `path`; anything else is invalid input (exit 65), with what was expected.
    public init(path: String) throws(ScenarioError) {
        self.path = path
        let folder = URL(fileURLWithPath: path)
        let has = { (name: String) in FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw Self.problem(path, "no such folder; expected a folder written by cloudmarket \(Self.commands)")
        }
        guard isDirectory.boolValue else {
            throw Self.problem(path, "it is a file; expected a folder written by cloudmarket \(Self.commands)")
        }
        provenance = try Self.readProvenance(in: path)
        targets = has("targets.csv") ? Self.rows(folder.appendingPathComponent("targets.csv")) : 0
        baseline = has("attribution.csv") ? provenance.flatMap(Self.baselineFile) ?? "its baseline" : nil
        if has("kpis.csv") {
            kind =
                has("quantiles.csv")
                ? .montecarlo
                : has("sensitivity.csv") ? try Self.sensitivityMethod(in: path) : .sweep
        } else if has("chunks") || has("runs.csv") {
            throw Self.problem(
                path,
                "it holds an unfinished experiment or one shard of it (no kpis.csv yet): finish it with --resume, or join the "
                    + "shards with `cloudmarket merge`, and make the notebook of the complete folder")
        } else if has("attribution.csv") {
            kind = .attribution
        } else if has("timeseries.csv") {
            kind = .run
        } else if has("comparison.csv") {
            kind = .comparison
        } else if let other = [("goalseek.json", "goalseek"), ("calibration.json", "calibrate")].first(where: { has($0.0) }) {
            throw Self.problem(
                path, "a \(other.1) folder: notebooks chart the folders of cloudmarket \(Self.commands), not \(other.1)'s")
        } else {
            throw Self.problem(
                path,
                "not a folder cloudmarket wrote: expected timeseries.csv (run), kpis.csv (sweep, montecarlo, sensitivity), "
                    + "attribution.csv (attribute) or comparison.csv (compare)")
        }
    }

    static let commands = "run, sweep, montecarlo, sensitivity, attribute or compare"

    static func problem(_ path: String, _ message: String) -> ScenarioError {
        ScenarioError(problems: [Problem(file: path, line: nil, column: nil, path: "", message: message)])
    }

    /// The fields of a run-style manifest (run, attribute) that the notebook shows.
    private struct RunManifest: Decodable {
        struct Resolved: Decodable {
            let name: String
        }

        struct ScenarioFile: Decodable {
            let name: String
        }

        let toolVersion: String
        let gitCommit: String?
        let commandLine: [String]
        let scenarioFiles: [ScenarioFile]
        let seeds: [UInt64]
        let startedAt: String
        let resolvedScenario: Resolved

        enum CodingKeys: String, CodingKey {
            case seeds
            case toolVersion = "tool_version"
            case gitCommit = "git_commit"
            case commandLine = "command_line"
            case scenarioFiles = "scenario_files"
            case startedAt = "started_at"
            case resolvedScenario = "resolved_scenario"
        }
    }

    /// The manifest's provenance; nil without one; an error for a manifest in none of the tool's shapes (run-style,
    /// experiment, comparison).
    private static func readProvenance(in folder: String) throws(ScenarioError) -> Provenance? {
        let file = (folder as NSString).appendingPathComponent("manifest.json")
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        if let m = try? JSONDecoder().decode(ExperimentFolder.Manifest.self, from: data) {
            return Provenance(
                scenario: m.spec.scenario, toolVersion: m.toolVersion, gitCommit: m.gitCommit, seed: m.spec.seed,
                commandLine: m.commandLine, scenarioFiles: [m.spec.scenarioFile], startedAt: m.startedAt, startedAtKey: "startedAt")
        }
        if let m = try? JSONDecoder().decode(RunManifest.self, from: data) {
            return Provenance(
                scenario: m.resolvedScenario.name, toolVersion: m.toolVersion, gitCommit: m.gitCommit, seed: m.seeds.first,
                commandLine: m.commandLine, scenarioFiles: m.scenarioFiles.map(\.name), startedAt: m.startedAt,
                startedAtKey: "started_at")
        }
        if let m = try? JSONDecoder().decode(Comparison.ComparisonManifest.self, from: data) {
            return Provenance(
                scenario: "\(m.a.scenario) vs \(m.b.scenario)", toolVersion: m.toolVersion, gitCommit: m.gitCommit, seed: nil,
                commandLine: m.commandLine, scenarioFiles: [], startedAt: m.startedAt, startedAtKey: "started_at")
        }
        throw problem(file, "expected the manifest cloudmarket writes (tool version, command line, scenario)")
    }

    /// What `attribute` compared the package with: its `--baseline`, or by default the file the package extends.
    private static func baselineFile(_ provenance: Provenance) -> String? {
        let words = provenance.commandLine
        if let i = words.firstIndex(of: "--baseline"), i + 1 < words.count { return words[i + 1] }
        if let word = words.first(where: { $0.hasPrefix("--baseline=") }) { return String(word.dropFirst("--baseline=".count)) }
        return provenance.scenarioFiles.dropFirst().first
    }

    /// Data rows of a CSV file the tool wrote (header excluded; CRLF line ends).
    private static func rows(_ file: URL) -> Int {
        guard let data = FileManager.default.contents(atPath: file.path),
            case .success(let records) = readCSV(String(decoding: data, as: UTF8.self))
        else { return 0 }
        return max(0, records.count - 1)
    }

    /// Sobol or Morris, from the `method` column of sensitivity.csv, which says it whatever the manifest.
    private static func sensitivityMethod(in folder: String) throws(ScenarioError) -> Kind {
        let file = (folder as NSString).appendingPathComponent("sensitivity.csv")
        guard let data = FileManager.default.contents(atPath: file),
            case .success(let records) = readCSV(String(decoding: data, as: UTF8.self)),
            let column = records.first?.fields.firstIndex(of: "method")
        else {
            throw problem(file, "expected the sensitivity.csv cloudmarket sensitivity writes, with a method column")
        }
        let methods = Set(records.dropFirst().compactMap { $0.fields.count > column ? $0.fields[column] : nil })
        return methods.contains("morris") ? .morris : .sobol
    }
}
