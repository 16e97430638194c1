import CloudMarket
import Experiments
import Foundation
import GSL
import ScenarioIO

/// What Monte Carlo and sensitivity analysis derive from an assembled experiment's `kpis.csv`.
public enum ExperimentResults {
    /// Each KPI's values by run (NaN for a failed run or an undefined value), read back from `kpis.csv`.
    static func kpiValues(in folder: URL, spec: ExperimentSpec) throws -> [String: [Double]] {
        let file = folder.appendingPathComponent("kpis.csv")
        guard case .success(let records) = readCSV(try String(contentsOf: file, encoding: .utf8)) else {
            throw ReportError(path: file.path, reason: "cannot read it back")
        }
        var values = Dictionary(uniqueKeysWithValues: spec.kpis.map { ($0, [Double](repeating: .nan, count: spec.runs)) })
        for record in records.dropFirst() {
            guard let run = Int(record.fields[0]), let value = Double(record.fields[7]) else { continue }
            values[record.fields[1]]?[run] = value
        }
        return values
    }

    /// `quantiles.csv` (tidy: one row per KPI and quantile) and a terminal table of the bands.
    public static func quantiles(in folder: URL, spec: ExperimentSpec, kpis: [KPI], levels: [Double]) throws -> (csv: String, table: String)
    {
        let values = try kpiValues(in: folder, spec: spec)
        var table = CSVTable(header: ["kpi", "variable", "region", "segment", "group", "year", "runs", "quantile", "value"])
        var lines = ["quantiles over the runs: " + levels.map { String(format: "%g%%", 100 * $0) }.joined(separator: " / ")]
        for kpi in kpis {
            let sorted = values[kpi.description]!.filter { !$0.isNaN }.sorted()
            let m = kpi.measure
            let q = levels.map { Statistics.quantile(sorted: sorted, $0) }
            for (level, value) in zip(levels, q) {
                table.append([
                    kpi.description, m.variable.rawValue, m.regionName ?? "", m.segmentName ?? "", m.groupName ?? "",
                    formatNumber(kpi.year),
                    String(sorted.count), formatNumber(level), formatNumber(value),
                ])
            }
            let shown = q.map { Comparison.show($0, m.variable.unit) }.joined(separator: " / ")
            lines.append("  \(kpi.description.padding(toLength: 44, withPad: " ", startingAt: 0)) \(shown)  (\(sorted.count) runs)")
        }
        return (table.text, lines.joined(separator: "\n") + "\n")
    }

    /// Below this relative spread over the runs, a KPI is taken as constant.
    static let constantSpread = 1e-5

    public enum Method: String, Sendable, CaseIterable {
        case sobol, morris
    }

    /// `sensitivity.csv` (tidy: one row per KPI, parameter and index) and a table ranking the parameters per KPI.
    public static func sensitivity(
        in folder: URL, spec: ExperimentSpec, design: Design, kpis: [KPI], method: Method, resamples: Int
    ) throws -> (csv: String, table: String, warnings: [String]) {
        let values = try kpiValues(in: folder, spec: spec)
        let paths = design.factors.map(\.path)
        var table = CSVTable(header: [
            "kpi", "variable", "region", "segment", "group", "year", "parameter", "method", "index", "value", "ci_low", "ci_high",
        ])
        var lines: [String] = []
        var warnings: [String] = []
        for kpi in kpis {
            let f = values[kpi.description]!
            let m = kpi.measure
            let key = [
                kpi.description, m.variable.rawValue, m.regionName ?? "", m.segmentName ?? "", m.groupName ?? "", formatNumber(kpi.year),
            ]
            guard !f.contains(where: \.isNaN) else {
                warnings.append("\(kpi): some runs failed or left it undefined; no indices")
                continue
            }
            // A KPI the parameters do not move differs between runs by solver noise only (relative 1e-6 at most with
            // the shipped tolerances), and indices of noise are noise divided by a near-zero variance.
            let (low, high) = (f.min() ?? 0, f.max() ?? 0)
            guard high - low > constantSpread * max(abs(low), abs(high)) else {
                warnings.append(
                    "\(kpi): does not vary over the design (from \(formatNumber(low)) to \(formatNumber(high))); no indices")
                continue
            }
            lines.append("")
            switch method {
            case .sobol:
                let indices = SensitivityAnalysis.sobol(f, factors: paths.count, resamples: resamples, seed: design.seed)
                warnings += indices.warnings.map { "\(kpi): \($0)" }
                lines.append("\(kpi)  Sobol indices, \(indices.base) base points, 95% bootstrap intervals (ranked by total effect)")
                for (i, path) in paths.enumerated() {
                    for (name, index) in [("S1", indices.first[i]), ("ST", indices.total[i])] {
                        table.append(key + [path, "sobol", name] + [index.value, index.lower, index.upper].map(formatNumber))
                    }
                }
                for i in paths.indices.sorted(by: { indices.total[$0].value > indices.total[$1].value }) {
                    let (s, t) = (indices.first[i], indices.total[i])
                    lines.append(
                        "  " + paths[i].padding(toLength: 44, withPad: " ", startingAt: 0)
                            + String(
                                format: "S1 %6.3f [%6.3f, %6.3f]   ST %6.3f [%6.3f, %6.3f]", s.value, s.lower, s.upper, t.value, t.lower,
                                t.upper))
                }
            case .morris:
                let measures = SensitivityAnalysis.morris(f, design: design)
                lines.append("\(kpi)  Morris elementary effects, per unit of each parameter's range (ranked by μ*)")
                for (i, path) in paths.enumerated() {
                    for (name, value) in [("mu_star", measures[i].muStar), ("mu", measures[i].mu), ("sigma", measures[i].sigma)] {
                        table.append(key + [path, "morris", name, formatNumber(value), "", ""])
                    }
                }
                for i in paths.indices.sorted(by: { measures[$0].muStar > measures[$1].muStar }) {
                    lines.append(
                        "  " + paths[i].padding(toLength: 44, withPad: " ", startingAt: 0)
                            + String(format: "μ* %10.4g   μ %10.4g   σ %10.4g", measures[i].muStar, measures[i].mu, measures[i].sigma))
                }
            }
        }
        return (table.text, lines.joined(separator: "\n") + "\n", warnings)
    }
}
