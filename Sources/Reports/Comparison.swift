import CloudMarket
import Foundation
import ScenarioIO

/// A run folder's `timeseries.csv`, read back: one value per (time, region, segment, group, variable).
public struct RunSeries: Sendable {
    public struct Key: Hashable, Sendable {
        public let time: Double
        public let region, segment, group, variable: String
    }

    public let folder: String
    public let scenario: String
    /// SHA-256 of the run's timeseries.csv: which results were compared, for the manifest.
    public let sha256: String
    /// Keys in file order, and each one's value and unit.
    public let keys: [Key]
    public let values: [Key: (value: Double, unit: String)]

    static let header = ["scenario", "time", "region", "segment", "group", "variable", "value", "unit"]

    /// Reads `folder/timeseries.csv`; a missing or malformed file is invalid input, reported like a scenario's.
    public static func read(folder: String) throws(ScenarioError) -> RunSeries {
        let file = (folder as NSString).appendingPathComponent("timeseries.csv")
        let problem = { (line: Int?, column: Int?, message: String) in
            ScenarioError(problems: [Problem(file: file, line: line, column: column, path: "", message: message)])
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw problem(nil, nil, "cannot read it: expected a run folder written by `cloudmarket run`")
        }
        let records: [CSVRecord]
        switch readCSV(String(decoding: data, as: UTF8.self)) {
        case .success(let r): records = r
        case .failure(let e): throw problem(e.line, e.column, e.message)
        }
        guard records.first?.fields == header else {
            throw problem(1, 1, "expected the header " + header.joined(separator: ","))
        }
        var keys: [Key] = []
        var values: [Key: (Double, String)] = [:]
        for record in records.dropFirst() {
            let f = record.fields
            guard f.count == header.count, let time = Double(f[1]), let value = Double(f[6]) else {
                throw problem(record.line, 1, "expected \(header.count) fields with a numeric time and value")
            }
            let key = Key(time: time, region: f[2], segment: f[3], group: f[4], variable: f[5])
            keys.append(key)
            values[key] = (value, f[7])
        }
        return RunSeries(
            folder: folder, scenario: records.dropFirst().first?.fields[0] ?? "", sha256: sha256Hex(data), keys: keys, values: values)
    }

    /// The dimensions two runs must share to be compared.
    var dimensions: [(name: String, values: [String])] {
        [
            ("regions", Set(keys.map(\.region)).sorted()), ("segments", Set(keys.map(\.segment)).sorted()),
            ("groups", Set(keys.map(\.group)).sorted()), ("times", Set(keys.map(\.time)).sorted().map(formatNumber)),
        ]
    }
}

/// Two runs side by side: every value of either, the difference B − A and the ratio B / A.
public struct Comparison: Sendable {
    public struct Row: Sendable {
        public let key: RunSeries.Key
        public let unit: String
        public let a, b: Double?
        public var difference: Double? { a.flatMap { a in b.map { $0 - a } } }
        public var ratio: Double? { a.flatMap { a in a == 0 ? nil : b.map { $0 / a } } }
    }

    public let a: RunSeries
    public let b: RunSeries
    public let rows: [Row]

    /// Refuses runs whose regions, segments, groups or reporting times differ, naming what differs.
    public init(_ a: RunSeries, _ b: RunSeries) throws(ScenarioError) {
        for (da, db) in zip(a.dimensions, b.dimensions) where da.values != db.values {
            let onlyA = da.values.filter { !db.values.contains($0) }
            let onlyB = db.values.filter { !da.values.contains($0) }
            let message =
                "the runs have different \(da.name): only in \(a.folder): \(onlyA.isEmpty ? "none" : onlyA.joined(separator: ", ")); "
                + "only in \(b.folder): \(onlyB.isEmpty ? "none" : onlyB.joined(separator: ", "))"
            throw ScenarioError(problems: [Problem(file: nil, line: nil, column: nil, path: "", message: message)])
        }
        self.a = a
        self.b = b
        let keys = a.keys + b.keys.filter { a.values[$0] == nil }
        rows = keys.map { key in
            Row(key: key, unit: (a.values[key] ?? b.values[key])!.unit, a: a.values[key]?.value, b: b.values[key]?.value)
        }
    }

    /// What a comparison's manifest records: how it was made, and which two runs' results (by their time series'
    /// SHA-256) it sets side by side.
    struct ComparisonManifest: Codable {
        struct Side: Codable {
            let folder, scenario, timeseriesSHA256: String

            enum CodingKeys: String, CodingKey {
                case folder, scenario
                case timeseriesSHA256 = "timeseries_sha256"
            }
        }
        let tool, toolVersion: String
        let gitCommit: String?
        let commandLine: [String]
        let startedAt, finishedAt: String
        let a, b: Side

        // Snake case, as run manifests.
        enum CodingKeys: String, CodingKey {
            case tool, a, b
            case toolVersion = "tool_version"
            case gitCommit = "git_commit"
            case commandLine = "command_line"
            case startedAt = "started_at"
            case finishedAt = "finished_at"
        }
    }

    /// The comparison folder's files: comparison.csv, its datapackage.json and manifest.json.
    public func files(invocation: Invocation) throws(ReportError) -> [(name: String, contents: String)] {
        let side = { (run: RunSeries) in ComparisonManifest.Side(folder: run.folder, scenario: run.scenario, timeseriesSHA256: run.sha256) }
        let manifest = ComparisonManifest(
            tool: "cloudmarket", toolVersion: invocation.toolVersion, gitCommit: invocation.gitCommit, commandLine: invocation.commandLine,
            startedAt: invocation.startedAt.ISO8601Format(), finishedAt: invocation.finishedAt.ISO8601Format(), a: side(a), b: side(b))
        return [
            ("comparison.csv", csv()), ("datapackage.json", try encodeJSON(DataPackage.comparison(), for: "datapackage.json")),
            ("manifest.json", try encodeJSON(manifest, for: "manifest.json")),
        ]
    }

    public func csv() -> String {
        var table = CSVTable(header: ["time", "region", "segment", "group", "variable", "unit", "a", "b", "difference", "ratio"])
        for row in rows {
            let k = row.key
            table.append(
                [formatNumber(k.time), k.region, k.segment, k.group, k.variable, row.unit]
                    + [row.a, row.b, row.difference, row.ratio].map { $0.map(formatNumber) ?? "" })
        }
        return table.text
    }

    /// Europe-wide headline rows at the milestone years first, then the ten largest moves in any share.
    public func table() -> String {
        let times = Set(rows.map(\.key.time)).sorted()
        let milestones = Horizon.milestones(among: times)
        let groups = Set(rows.map(\.key.group)).subtracting([""]).sorted()
        let europe = rows.filter { $0.key.region == allID && $0.key.segment == allID }
        let headline: [(String, String, String)] =
            [
                ("market_size", "", "market size, MEUR/yr"), ("share_eu", "", "share, EU origin"),
                ("share_non_eu", "", "share, non-EU origin"),
            ]
            + groups.map { ("share", $0, "share, \($0)") } + groups.map { ("revenue", $0, "revenue, \($0), MEUR/yr") }
        var lines = [
            "A: \(a.folder) (\(a.scenario))", "B: \(b.folder) (\(b.scenario))", "",
            pad("Europe, all segments", 34) + right("year", 6) + right("A", 12) + right("B", 12) + right("B − A", 12),
        ]
        for (variable, group, label) in headline {
            for t in milestones {
                guard let row = europe.first(where: { $0.key.variable == variable && $0.key.group == group && $0.key.time == t }) else {
                    continue
                }
                lines.append(
                    pad(t == milestones.first ? label : "", 34) + right(formatNumber(t), 6) + right(Self.show(row.a, row.unit), 12)
                        + right(Self.show(row.b, row.unit), 12) + right(Self.show(row.difference, row.unit, signed: true), 12))
            }
        }
        let shares = rows.filter { $0.unit == "fraction" && $0.difference != nil }.sorted { abs($0.difference!) > abs($1.difference!) }
        lines += ["", "largest moves in any share (points)"]
        for row in shares.prefix(10) {
            let k = row.key
            let name = [k.variable, k.region, k.segment, k.group].filter { !$0.isEmpty }.joined(separator: " ")
            lines.append(
                pad(name, 50) + right(formatNumber(k.time), 6) + right(Self.show(row.a, row.unit), 10)
                    + right(Self.show(row.b, row.unit), 10)
                    + right(Self.show(row.difference, row.unit, signed: true), 10))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func pad(_ s: String, _ n: Int) -> String { s.padding(toLength: max(n, s.count), withPad: " ", startingAt: 0) }
    private func right(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(1, n - s.count)) + s }

    /// Fractions in percent (differences in points), amounts rounded.
    static func show(_ x: Double?, _ unit: String, signed: Bool = false) -> String {
        guard let x else { return "–" }
        let sign = signed && x > 0 ? "+" : ""
        if unit == "fraction" { return sign + String(format: "%.2f", 100 * x) + (signed ? "" : "%") }
        return sign + String(format: abs(x) >= 100 ? "%.0f" : "%.3g", x)
    }
}
