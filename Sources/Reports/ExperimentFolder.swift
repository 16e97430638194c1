import CloudMarket
import Experiments
import Foundation
import ScenarioIO

/// What makes two experiment folders the same experiment: resuming or merging checks it field by field.
public struct ExperimentSpec: Codable, Sendable, Equatable {
    public let command: String
    public let scenario: String
    /// The scenario file as given on the command line (`built-in:baseline.yaml` for the built-in one).
    public let scenarioFile: String
    /// Each scenario file with the SHA-256 of the text parsed.
    public let scenarioFiles: [String: String]
    public let overrides: [String]
    public let design: String
    public let factors: [String]
    public let runs: Int
    public let seed: UInt64
    public let kpis: [String]
    public let series: Bool
    public let chunkSize: Int
    /// Monte Carlo's quantile levels; sensitivity's bootstrap resamples: what `merge` needs to finish the analysis.
    public let quantiles: [Double]?
    public let resamples: Int?

    public init(
        command: String, loaded: LoadedScenario, overrides: [String], design: Design, factorTexts: [String], kpis: [KPI], series: Bool,
        chunkSize: Int, quantiles: [Double]? = nil, resamples: Int? = nil
    ) {
        self.command = command
        scenario = loaded.scenario.name
        scenarioFile = loaded.files[0]
        scenarioFiles = Dictionary(zip(loaded.files, loaded.texts.map { sha256Hex(Array($0.utf8)) }), uniquingKeysWith: { a, _ in a })
        self.overrides = overrides
        self.design = design.kindName
        factors = factorTexts
        runs = design.runs
        seed = design.seed
        self.kpis = kpis.map(\.description)
        self.series = series
        self.chunkSize = chunkSize
        self.quantiles = quantiles
        self.resamples = resamples
    }

    public var chunks: Int { (runs + chunkSize - 1) / chunkSize }

    /// The fields in which `other` differs, for the refusal message.
    func differences(from other: ExperimentSpec) -> [String] {
        var out: [String] = []
        if command != other.command { out.append("command (\(other.command) vs \(command))") }
        if scenarioFiles != other.scenarioFiles || scenario != other.scenario || scenarioFile != other.scenarioFile {
            out.append("scenario (its files or their contents)")
        }
        if overrides != other.overrides { out.append("--set overrides") }
        if design != other.design || factors != other.factors || runs != other.runs { out.append("design (kind, factors or runs)") }
        if seed != other.seed { out.append("seed (\(other.seed) vs \(seed))") }
        if kpis != other.kpis || series != other.series || quantiles != other.quantiles || resamples != other.resamples {
            out.append("outputs (KPIs, --series, quantiles or resamples)")
        }
        if chunkSize != other.chunkSize { out.append("chunk size") }
        return out
    }
}

/// An experiment's folder, written chunk by chunk: each chunk's files appear only when complete (temporary name, then
/// rename, then a completion record), so an interrupted experiment loses at most the chunks in flight and `--resume`
/// re-runs only the missing ones. Memory does not grow with the number of runs: results go to disk a chunk at a time
/// and the final files are concatenated from the chunks.
public struct ExperimentFolder: Sendable {
    public struct Manifest: Codable, Sendable {
        public let spec: ExperimentSpec
        public let shard: Int
        public let shards: Int
        public let tool: String
        public let toolVersion: String
        public let gitCommit: String?
        public let commandLine: [String]
        public let startedAt: String
        /// The shard folders a `merge` joined, in shard order; nil for a folder the experiment's command wrote.
        public var mergedFrom: [String]? = nil

        public init(
            spec: ExperimentSpec, shard: Int, shards: Int, tool: String, toolVersion: String, gitCommit: String?, commandLine: [String],
            startedAt: String
        ) {
            self.spec = spec
            self.shard = shard
            self.shards = shards
            self.tool = tool
            self.toolVersion = toolVersion
            self.gitCommit = gitCommit
            self.commandLine = commandLine
            self.startedAt = startedAt
        }
    }

    /// What a chunk's completion record holds.
    struct Done: Codable {
        let runs: Int
        let failed: Int
    }

    public let url: URL
    public let manifest: Manifest
    var chunksURL: URL { url.appendingPathComponent("chunks") }

    public var spec: ExperimentSpec { manifest.spec }

    /// Opens an existing folder as it is (for `merge`).
    public init(existing url: URL) throws {
        self.url = url
        manifest = try Self.readManifest(url.appendingPathComponent("manifest.json"))
    }

    /// Opens the folder for shard `shard` of `shards`: afresh (old results removed), or, with `resume`, keeping the
    /// complete chunks of the same experiment and refusing those of another.
    public init(url: URL, manifest: Manifest, resume: Bool) throws {
        self.url = url
        self.manifest = manifest
        let manager = FileManager.default
        let manifestURL = url.appendingPathComponent("manifest.json")
        if resume, manager.fileExists(atPath: manifestURL.path) {
            let previous = try Self.readManifest(manifestURL)
            var differences = manifest.spec.differences(from: previous.spec)
            if previous.shard != manifest.shard || previous.shards != manifest.shards {
                differences.append("shard (\(previous.shard)/\(previous.shards) vs \(manifest.shard)/\(manifest.shards))")
            }
            guard differences.isEmpty else {
                throw ExperimentError.cannotResume(folder: url.path, differences: differences)
            }
        } else {
            try RunFolder.checkReplaceable(url)
            if manager.fileExists(atPath: url.path) {
                for name in (try? manager.contentsOfDirectory(atPath: url.path)) ?? [] {
                    try manager.removeItem(at: url.appendingPathComponent(name))
                }
            }
            try manager.createDirectory(at: url, withIntermediateDirectories: true)
            try Self.writeManifest(manifest, into: url)
        }
        try manager.createDirectory(at: chunksURL, withIntermediateDirectories: true)
    }

    /// `manifest.json`, whole or not at all.
    public static func writeManifest(_ manifest: Manifest, into folder: URL) throws {
        try writeAtomically(try encoder.encode(manifest), to: folder.appendingPathComponent("manifest.json"))
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    static func readManifest(_ url: URL) throws -> Manifest {
        guard let data = FileManager.default.contents(atPath: url.path),
            let manifest = try? JSONDecoder().decode(Manifest.self, from: data)
        else { throw ExperimentError.notAnExperiment(url.deletingLastPathComponent().path) }
        return manifest
    }

    /// The chunks this shard runs: c with c mod shards = shard − 1.
    public var myChunks: [Int] { Array(stride(from: manifest.shard - 1, to: spec.chunks, by: manifest.shards)) }

    public func range(ofChunk c: Int) -> Range<Int> { (c * spec.chunkSize)..<min((c + 1) * spec.chunkSize, spec.runs) }

    func name(_ c: Int, _ part: String) -> URL { chunksURL.appendingPathComponent(String(format: "%06d.", c) + part) }

    public func isDone(_ c: Int) -> Bool { FileManager.default.fileExists(atPath: name(c, "done").path) }

    /// One run's rows in each of a chunk's files (CSV, no header), formatted on the thread that made the run, so that
    /// writing a chunk is only joining text.
    public struct RunRows: Sendable {
        let runs: String
        let kpis: String
        let design: String
        let series: String
        let failed: Bool
    }

    /// Per KPI, the fields of its kpis.csv rows after the run number (`kpi,variable,region,segment,group,year,`): the same
    /// in every run, so formatted once per experiment.
    public static func kpiFields(_ kpis: [KPI]) -> [String] {
        kpis.map { kpi in
            let m = kpi.measure
            let fields = [
                kpi.description, m.variable.rawValue, m.regionName ?? "", m.segmentName ?? "", m.groupName ?? "", formatNumber(kpi.year),
            ]
            return fields.map(CSVTable.field).joined(separator: ",") + ","
        }
    }

    /// `r`'s rows, exactly as the chunk files and so the final files hold them; `kpiFields` from `kpiFields(_:)`.
    public static func rows(of r: SweepRun, kpiFields: [String]) -> RunRows {
        let run = String(r.run)
        var runRows = CSVTable()
        var designRows = CSVTable()
        var seriesRows = CSVTable()
        let values = r.values.map(formatNumber)
        runRows.append([run, r.error == nil ? "ok" : "failed", r.error ?? ""] + values)
        designRows.append([run] + values)
        // A run number and a formatted number never need quoting.
        var kpiRows = ""
        for (fields, value) in zip(kpiFields, r.kpis) {
            guard let value else { continue }
            kpiRows.append(run)
            kpiRows.append(",")
            kpiRows.append(fields)
            kpiRows.append(formatNumber(value))
            kpiRows.append("\r\n")
        }
        r.trajectory?.forEachObservation { o in
            seriesRows.append([
                run, formatNumber(o.time), o.region, o.segment, o.group, o.variable.rawValue, formatNumber(o.value), o.variable.unit,
            ])
        }
        return RunRows(runs: runRows.text, kpis: kpiRows, design: designRows.text, series: seriesRows.text, failed: r.error != nil)
    }

    /// Writes one chunk's rows, then its completion record.
    public func write(chunk c: Int, rows: [RunRows]) throws {
        let parts =
            [("runs.csv", \RunRows.runs), ("kpis.csv", \.kpis), ("design.csv", \.design)] + (spec.series ? [("series.csv", \.series)] : [])
        for (part, column) in parts {
            try Self.writeAtomically(Data(rows.map { $0[keyPath: column] }.joined().utf8), to: name(c, part))
        }
        let done = Done(runs: rows.count, failed: rows.filter(\.failed).count)
        try Self.writeAtomically(try Self.encoder.encode(done), to: name(c, "done"))
    }

    /// Whole or not at all: Foundation writes a temporary file beside the target and renames it into place.
    static func writeAtomically(_ data: Data, to target: URL) throws { try data.write(to: target, options: .atomic) }

    /// Failed runs over the complete chunks.
    public func failedRuns(chunks: [Int]) -> Int {
        chunks.reduce(0) { sum, c in
            sum + ((try? JSONDecoder().decode(Done.self, from: Data(contentsOf: name(c, "done"))))?.failed ?? 0)
        }
    }

    // MARK: assembly

    /// Joins the chunks of `folders` (one experiment, every shard present once) into `target`'s final files:
    /// runs.csv, kpis.csv, design.csv (and series.csv), streamed chunk by chunk in run order, and datapackage.json.
    public static func assemble(_ folders: [ExperimentFolder], into target: URL) throws {
        let spec = folders[0].spec
        let headers: [(String, [String])] =
            [
                ("runs.csv", ["run", "status", "error"] + spec.factors.map(Self.path)),
                ("kpis.csv", ["run", "kpi", "variable", "region", "segment", "group", "year", "value"]),
                ("design.csv", ["run"] + spec.factors.map(Self.path)),
            ] + (spec.series ? [("series.csv", ["run", "time", "region", "segment", "group", "variable", "value", "unit"])] : [])
        let owner = { (c: Int) in folders.first { $0.manifest.shard - 1 == c % $0.manifest.shards }! }
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        for (file, header) in headers {
            let final = target.appendingPathComponent(file)
            let temporary = target.appendingPathComponent(".\(file).tmp-\(getpid())")
            guard FileManager.default.createFile(atPath: temporary.path, contents: Data(CSVTable(header: header).text.utf8)) else {
                throw ReportError(path: temporary.path, reason: "cannot create the file")
            }
            let out = try FileHandle(forWritingTo: temporary)
            try out.seekToEnd()
            for c in 0..<spec.chunks {
                try out.write(contentsOf: Data(contentsOf: owner(c).name(c, file)))
            }
            try out.close()
            guard rename(temporary.path, final.path) == 0 else {
                throw ReportError(path: final.path, reason: String(cString: strerror(errno)))
            }
        }
        try RunFolder.writeFile(
            try encodeJSON(DataPackage.experiment(spec), for: "datapackage.json"), to: target.appendingPathComponent("datapackage.json"))
    }

    /// A factor's path, from its command-line text (`PATH=…`).
    static func path(_ factorText: String) -> String { String(factorText.prefix { $0 != "=" }) }
}

public enum ExperimentError: Error, CustomStringConvertible, Sendable {
    case cannotResume(folder: String, differences: [String])
    case notAnExperiment(String)
    case mergeMismatch(String)

    public var description: String {
        switch self {
        case .cannotResume(let folder, let differences):
            "cannot resume \(folder): it holds another experiment (different \(differences.joined(separator: ", "))); "
                + "run without --resume to start afresh, or into another --out folder"
        case .notAnExperiment(let folder):
            "\(folder) holds no experiment manifest (manifest.json written by sweep, montecarlo or sensitivity)"
        case .mergeMismatch(let reason):
            "cannot merge: \(reason)"
        }
    }
}
