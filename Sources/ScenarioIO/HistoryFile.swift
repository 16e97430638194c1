import CloudMarket
import Foundation

/// One observed value a calibration fits: a row of a history file.
public struct HistoryObservation: Sendable {
    /// Line of the file, for the residual report.
    public let line: Int
    public let time: Double
    public let measure: Measure
    public let value: Double
    /// 1/σ²: the residual is `(model − value)·√weight`.
    public let weight: Double
    /// The row's `source` column, or "".
    public let source: String

    public init(line: Int, time: Double, measure: Measure, value: Double, weight: Double, source: String) {
        self.line = line
        self.time = time
        self.measure = measure
        self.value = value
        self.weight = weight
        self.source = source
    }
}

/// Reads history files: tidy CSV `time,variable,region,segment,group,value[,weight][,source][,note]` (in any order).
///
/// `segment` may be a sum (`IaaS+PaaS`) or `ALL`; `group` a sum, an origin (`eu`) or a group; `time` any moment of the
/// horizon (a quarter at its mid-point). Every fault is reported like a scenario's: file, line, column, what was expected.
public enum HistoryFile {
    static let required = ["time", "variable", "region", "segment", "group", "value"]
    static let optional = ["weight", "source", "note"]

    public static func read(file path: String, for scenario: Scenario) throws(ScenarioError) -> [HistoryObservation] {
        let diagnostics = Diagnostics()
        guard let text = Resolver(diagnostics: diagnostics).readFile(path, at: .file(path), path: "", kind: "data file") else {
            throw ScenarioError(problems: diagnostics.sorted)
        }
        return try parse(text: text, fileName: path, for: scenario)
    }

    public static func parse(text: String, fileName: String, for scenario: Scenario) throws(ScenarioError) -> [HistoryObservation] {
        let diagnostics = Diagnostics()
        diagnostics.addSource(text, file: fileName)
        let fail = { () throws(ScenarioError) -> Never in throw ScenarioError(problems: diagnostics.sorted) }
        let records: [CSVRecord]
        switch readCSV(text) {
        case .success(let r): records = r
        case .failure(let e):
            diagnostics.report(Loc(file: fileName, line: e.line, column: e.column), "", e.message)
            try fail()
        }
        guard let header = records.first else {
            diagnostics.report(
                .file(fileName), "", "the file is empty: expected a header " + (required + ["weight"]).joined(separator: ","))
            try fail()
        }
        var column: [String: Int] = [:]
        for (i, name) in header.fields.enumerated() {
            let at = Loc(file: fileName, line: header.line, column: header.columns[i])
            if column[name] != nil {
                diagnostics.report(at, name, "the column '\(name)' appears twice")
            } else if !(required + optional).contains(name) {
                diagnostics.report(
                    at, name, "unknown column; expected " + required.joined(separator: ",") + " and optionally weight, source, note",
                    suggestion: nearest(name, in: required + optional))
            }
            column[name] = i
        }
        for name in required where column[name] == nil {
            diagnostics.report(Loc(file: fileName, line: header.line, column: 1), name, "the header has no '\(name)' column")
        }
        guard diagnostics.problems.isEmpty else { try fail() }

        let horizon = scenario.horizon
        let end = horizon.reportingTimes.last!
        var observations: [HistoryObservation] = []
        for record in records.dropFirst() {
            guard record.fields.count == header.fields.count else {
                diagnostics.report(
                    Loc(file: fileName, line: record.line, column: 1), "",
                    "expected \(header.fields.count) fields as in the header, found \(record.fields.count)")
                continue
            }
            let loc = { (name: String) in Loc(file: fileName, line: record.line, column: record.columns[column[name]!]) }
            let field = { (name: String) in column[name].map { record.fields[$0] } ?? "" }
            let number = { (name: String, expected: String) -> Double? in
                let text = field(name).trimmingCharacters(in: .whitespaces)
                guard let x = Double(text), x.isFinite else {
                    diagnostics.report(loc(name), name, "expected \(expected), found \(text.isEmpty ? "nothing" : "'\(text)'")")
                    return nil
                }
                return x
            }
            let time = number("time", "a time in decimal years (2021.375 = the middle of Q2 2021)")
            if let time, time < horizon.start || time > end {
                diagnostics.report(
                    loc("time"), "time",
                    "\(formatNumber(time)) is outside the scenario's horizon \(formatNumber(horizon.start))–\(formatNumber(end))")
            }
            let value = number("value", "a number")
            var weight = 1.0
            if let w = column["weight"], !record.fields[w].trimmingCharacters(in: .whitespaces).isEmpty {
                weight = number("weight", "a positive weight (1/σ²)") ?? .nan
                if weight <= 0 {
                    diagnostics.report(loc("weight"), "weight", "expected a positive weight (1/σ²), found \(field("weight"))")
                }
            }
            var measure: Measure?
            do {
                measure = try Measure(
                    variable: field("variable"), region: field("region"), segment: field("segment"), group: field("group"), in: scenario)
            } catch {
                diagnostics.report(
                    loc(error.field.rawValue), error.field.rawValue, error.message, suggestion: nearest(error.offending, in: error.known))
            }
            if let time, let value, let measure, weight > 0 {
                observations.append(
                    HistoryObservation(
                        line: record.line, time: time, measure: measure, value: value, weight: weight, source: field("source")))
            }
        }
        guard diagnostics.problems.isEmpty else { try fail() }
        guard !observations.isEmpty else {
            diagnostics.report(.file(fileName), "", "no observations: the file has a header and nothing else")
            try fail()
        }
        return observations
    }
}
