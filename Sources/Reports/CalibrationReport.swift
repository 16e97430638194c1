import CloudMarket
import Experiments
import Foundation
import ScenarioIO
import Yams

/// A calibration's folder: `calibration.json`, `residuals.csv`, the calibrated scenario and a manifest; and its terminal table.
public struct CalibrationReport {
    public let loaded: LoadedScenario
    public let dataFile: String
    public let result: CalibrationResult
    /// The scenario file's text with the fitted values written in.
    public let calibratedScenario: String
    public let invocation: Invocation

    public init(loaded: LoadedScenario, dataFile: String, result: CalibrationResult, calibratedScenario: String, invocation: Invocation) {
        self.loaded = loaded
        self.dataFile = dataFile
        self.result = result
        self.calibratedScenario = calibratedScenario
        self.invocation = invocation
    }

    public func files() throws(ReportError) -> [(name: String, contents: String)] {
        [
            ("calibration.json", try encodeJSON(summary(), for: "calibration.json")),
            ("residuals.csv", residualsCSV()),
            ("datapackage.json", try encodeJSON(DataPackage.calibration(scenario: loaded.scenario.name), for: "datapackage.json")),
            ("scenario.calibrated.yaml", calibratedScenario),
            ("manifest.json", try encodeJSON(manifest(), for: "manifest.json")),
        ]
    }

    func residualsCSV() -> String {
        var table = CSVTable(header: [
            "line", "time", "variable", "region", "segment", "group", "observed", "model", "residual", "weight", "weighted_residual",
            "unit", "source",
        ])
        for o in result.observations {
            let row = Row(o)
            table.append(
                [String(row.line), formatNumber(row.time), row.variable, row.region, row.segment, row.group]
                    + [
                        row.observed, row.model, row.residual, row.weight, row.weightedResidual,
                    ].map(formatNumber) + [row.unit, row.source])
        }
        return table.text
    }

    /// The largest absolute residual of each variable, in its unit (fractions for shares).
    public var largestResiduals: [(variable: String, unit: String, residual: Double)] {
        var out: [(String, String, Double)] = []
        for o in result.observations {
            let v = o.observation.measure.variable
            if let i = out.firstIndex(where: { $0.0 == v.rawValue }) {
                out[i].2 = max(out[i].2, abs(o.residual))
            } else {
                out.append((v.rawValue, v.unit, abs(o.residual)))
            }
        }
        return out
    }

    // MARK: calibration.json

    struct Row: Encodable {
        let line: Int
        let time: Double
        let variable, region, segment, group: String
        let observed, model, residual, weight, weightedResidual: Double
        let unit, source: String

        init(_ o: FittedObservation) {
            let m = o.observation.measure
            line = o.observation.line
            time = o.observation.time
            variable = m.variable.rawValue
            region = m.regionName ?? ""
            segment = m.segmentName ?? ""
            group = m.groupName ?? ""
            observed = o.observation.value
            model = o.model
            residual = o.residual
            weight = o.observation.weight
            weightedResidual = o.weightedResidual
            unit = m.variable.unit
            source = o.observation.source
        }

        enum CodingKeys: String, CodingKey {
            case line, time, variable, region, segment, group, observed, model, residual, weight, unit, source
            case weightedResidual = "weighted_residual"
        }
    }

    struct Parameter: Encodable {
        let name: String
        let paths: [String]
        let initial, value: Double
        let standardError: Double?
        let lower, upper: Double?
        let onBound: Bool

        enum CodingKeys: String, CodingKey {
            case name, paths, initial, value, lower, upper
            case standardError = "standard_error"
            case onBound = "on_bound"
        }
    }

    struct Fit: Encodable {
        let converged: Bool
        let convergence: String
        let iterations, simulations, observations, parameters, degreesOfFreedom: Int
        let sumOfSquares: Double
        let reciprocalCondition: Double
        let standardErrors: String
        let largestResiduals: [String: Double]

        enum CodingKeys: String, CodingKey {
            case converged, convergence, iterations, simulations, observations, parameters
            case degreesOfFreedom = "degrees_of_freedom"
            case sumOfSquares = "weighted_sum_of_squares"
            case reciprocalCondition = "jacobian_reciprocal_condition"
            case largestResiduals = "largest_abs_residual_by_variable"
            case standardErrors = "standard_errors"
        }
    }

    struct Correlation: Encodable {
        let parameters: [String]
        let matrix: [[Double]]
    }

    struct Summary: Encodable {
        let scenario, scenarioFile, dataFile: String
        let fit: Fit
        let parameters: [Parameter]
        let correlation: Correlation?
        let residuals: [Row]
        let warnings: [String]

        enum CodingKeys: String, CodingKey {
            case scenario, fit, parameters, correlation, residuals, warnings
            case scenarioFile = "scenario_file"
            case dataFile = "data_file"
        }
    }

    func summary() -> Summary {
        let names = result.parameters.map(\.parameter.name)
        let p = names.count
        return Summary(
            scenario: loaded.scenario.name, scenarioFile: loaded.files[0], dataFile: dataFile,
            fit: Fit(
                converged: result.converged, convergence: result.convergence, iterations: result.iterations,
                simulations: result.simulations, observations: result.observations.count, parameters: p,
                degreesOfFreedom: result.degreesOfFreedom, sumOfSquares: result.sumOfSquares,
                reciprocalCondition: result.reciprocalCondition, standardErrors: standardErrorBasis,
                largestResiduals: Dictionary(uniqueKeysWithValues: largestResiduals.map { ($0.variable, $0.residual) })),
            parameters: result.parameters.map { f in
                Parameter(
                    name: f.parameter.name, paths: f.parameter.paths, initial: f.initial, value: f.value, standardError: f.standardError,
                    lower: f.parameter.lower, upper: f.parameter.upper, onBound: f.onBound)
            },
            correlation: result.correlation.map { c in
                Correlation(parameters: names, matrix: (0..<p).map { i in Array(c[(i * p)..<(i * p + p)]) })
            },
            residuals: result.observations.map(Row.init), warnings: result.warnings)
    }

    func manifest() -> Manifest {
        Manifest(loaded: loaded, invocation: invocation)
    }

    /// How the standard errors were scaled, in words.
    var standardErrorBasis: String {
        result.absoluteWeights
            ? "from the weights taken as 1/σ² (absolute)" : "rescaled by the residual variance χ²/(n − p) (relative weights)"
    }

    // MARK: terminal

    /// Fitted values with standard errors, the correlation matrix, residuals and warnings, for stdout.
    public func table() -> String {
        let r = result
        var lines = [
            "\(loaded.scenario.name) calibrated on \(dataFile): \(r.observations.count) observations, \(r.parameters.count) "
                + "parameter\(r.parameters.count == 1 ? "" : "s"), \(r.converged ? "converged" : "NOT converged") (\(r.convergence)) after \(r.iterations) iterations, "
                + "\(r.simulations) simulations",
            "",
        ]
        let width = max(r.parameters.map(\.parameter.name.count).max() ?? 0, 9)
        let pad = { (s: String, n: Int) in s.padding(toLength: max(n, s.count), withPad: " ", startingAt: 0) }
        // Right-aligned in n columns, always at least one blank before it.
        let right = { (s: String, n: Int) in String(repeating: " ", count: max(1, n - s.count)) + s }
        let number = { (x: Double) in String(format: "%.6g", x) }
        lines.append("standard errors: \(standardErrorBasis)")
        lines.append(pad("parameter", width) + right("initial", 13) + right("fitted", 13) + right("std. error", 13) + "  bounds")
        for f in r.parameters {
            let bounds =
                f.parameter.lower == nil && f.parameter.upper == nil
                ? "" : "[\(f.parameter.lower.map(formatNumber) ?? "-∞"), \(f.parameter.upper.map(formatNumber) ?? "∞")]"
            lines.append(
                pad(f.parameter.name, width) + right(number(f.initial), 13) + right(number(f.value), 13)
                    + right(f.standardError.map(number) ?? "–", 13) + ("  " + bounds + (f.onBound ? "  ON BOUND" : "")).trimmingSuffixBlanks
            )
        }
        if let c = r.correlation, r.parameters.count > 1 {
            let p = r.parameters.count
            lines += ["", "correlation of the estimates"]
            for i in 0..<p {
                lines.append(
                    right("[\(i + 1)]", 5) + " " + (0..<p).map { j in right(String(format: "%.3f", c[i * p + j]), 8) }.joined()
                        + "  " + r.parameters[i].parameter.name)
            }
        }
        lines += ["", "residuals (model − observed)"]
        let measureWidth = max(r.observations.map { $0.observation.measure.description.count }.max() ?? 0, 7)
        lines.append(
            right("line", 5) + right("time", 10) + "  " + pad("measure", measureWidth) + right("observed", 12) + right("model", 12)
                + right("residual", 12))
        for o in r.observations {
            lines.append(
                right(String(o.observation.line), 5) + right(formatNumber(o.observation.time), 10) + "  "
                    + pad(o.observation.measure.description, measureWidth) + right(number(o.observation.value), 12)
                    + right(number(o.model), 12) + right(number(o.residual), 12))
        }
        lines.append("")
        for (variable, unit, residual) in largestResiduals {
            let shown = unit == "fraction" ? String(format: "%.2f points", 100 * residual) : "\(number(residual)) \(unit)"
            lines.append("largest |residual| of \(variable): \(shown)")
        }
        if !r.warnings.isEmpty {
            lines += ["", "warnings"] + r.warnings.map { "  ! " + $0 }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    fileprivate var trimmingSuffixBlanks: String { String(reversed().drop { $0 == " " }.reversed()) }
}
