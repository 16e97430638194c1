import ArgumentParser
import CloudMarket
import Experiments
import Foundation
import Reports
import ScenarioIO

struct Calibrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit parameters to observed history (GSL nonlinear least squares, trust region).",
        discussion: """
            The data file is tidy CSV: time,variable,region,segment,group,value and optionally weight (1/σ²), source, note. \
            segment may be a sum (IaaS+PaaS) or ALL; group a group, a sum (a+b) or an origin (eu, eu_licensed, non_eu); \
            time any moment of the horizon (a quarter at its mid-point, 2021.375). Leave a field empty where the \
            variable has no such dimension.

            --fit PATH fits one parameter; --fit PATH,PATH fits one value shared by the paths; =LO:HI bounds it \
            (either side may be empty). Each path must be written as a number in the scenario file itself.

            Writes calibration.json (values, standard errors, correlation, residuals, warnings), residuals.csv, \
            scenario.calibrated.yaml (the scenario file with the fitted values written in and commented) and \
            manifest.json into the output folder; prints the fit on stdout.
            """)

    @Argument(help: "Scenario file to calibrate.", completion: .file(extensions: ["yaml", "yml", "json"]))
    var scenario: String

    @Option(help: "History file (tidy CSV); '-' reads standard input.", completion: .file(extensions: ["csv"]))
    var data: String

    @Option(
        name: .customLong("fit"),
        help: ArgumentHelp("A parameter to fit; repeat for several.", valueName: "PATH[,PATH...][=LO:HI]"))
    var fits: [String] = []

    @Option(name: .customLong("set"), help: ArgumentHelp("Override one parameter before fitting.", valueName: "PATH=VALUE"))
    var overrides: [String] = []

    @Option(name: .shortAndLong, help: "Output folder (default: Outputs/<scenario name>-calibration).", completion: .directory)
    var out: String?

    @Option(
        help: "Also write the calibrated scenario to this file ('-' for stdout); give the scenario file itself to update it in place.",
        completion: .file(extensions: ["yaml"]))
    var write: String?

    @Option(help: "Iteration limit of the trust-region solver.")
    var maxIterations = 100

    @Flag(help: "Take the weights as 1/σ² of known σ: standard errors from (JᵀWJ)⁻¹ without rescaling by χ²/(n − p).")
    var absoluteWeights = false

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        guard !fits.isEmpty else { throw ValidationError("give at least one --fit PATH") }
        guard maxIterations > 0 else { throw ValidationError("--max-iterations must be positive") }
        for item in overrides where !item.contains("=") {
            throw ValidationError("--set takes PATH=VALUE; got '\(item)'")
        }
    }

    func run() throws {
        let started = Date()
        let template = try ScenarioTemplate(file: scenario)
        let loaded = try template.load(overrides: overrides)
        let parameters = try fits.map { text in
            do { return try FitParameter(parsing: text) } catch { throw ValidationError("\(error)") }
        }
        let locations = try parameters.map { try locate($0, in: template) }
        let initial = zip(parameters, locations).map { parameter, written in startingValue(parameter.paths[0], written: written[0]) }
        let observations =
            data == "-"
            ? try HistoryFile.parse(
                text: String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self), fileName: dataName,
                for: loaded.scenario)
            : try HistoryFile.read(file: data, for: loaded.scenario)
        let overrides = overrides
        let problem = CalibrationProblem(parameters: parameters, initial: initial, observations: observations) { x in
            try template.scenario(overrides: overrides + zip(parameters, x).flatMap { p, v in p.paths.map { "\($0)=\(formatNumber(v))" } })
        }
        let result = try Calibration.fit(problem, maxIterations: maxIterations, absoluteWeights: absoluteWeights)

        let edits = zip(result.parameters, locations).flatMap { fitted, written in
            written.map { NumberEdit(location: $0, value: Self.rounded(fitted.value), note: note(fitted)) }
        }
        let calibrated = try ScenarioEditor.apply(edits, to: template.texts[0])
        let invocation = Invocation(reading: loaded, startedAt: started)
        let report = CalibrationReport(
            loaded: loaded, dataFile: dataName, result: result, calibratedScenario: calibrated, invocation: invocation)
        let folderName = out ?? "Outputs/\(loaded.scenario.name)-calibration"
        let files = try report.files()
        try RunFolder.write(files, to: URL(fileURLWithPath: folderName))
        if let write {
            if write == "-" {
                print(calibrated, terminator: "")
            } else {
                try RunFolder.writeFile(calibrated, to: URL(fileURLWithPath: write))
            }
        }
        guard !quiet else { return }
        FileHandle.standardError.write(Data("wrote \(folderName)/: \(files.map(\.name).joined(separator: ", "))\n\n".utf8))
        let table = report.table()
        if write == "-" {
            FileHandle.standardError.write(Data(table.utf8))
        } else {
            print(table, terminator: "")
        }
    }

    /// Where each of the parameter's paths is written in the scenario file itself, which is what gets rewritten.
    private func locate(_ parameter: FitParameter, in template: ScenarioTemplate) throws -> [ValueLocation] {
        try parameter.paths.map { path in
            switch template.location(of: path) {
            case .failure(let missing):
                throw ValidationError("--fit \(parameter.name): \(missing.reason); write it as a number in \(scenario) to fit it")
            case .success(let location) where location.file != template.files[0]:
                throw ValidationError(
                    "--fit \(parameter.name): \(path) is written in \(location.file):\(location.line), not in \(scenario); "
                        + "calibrate that file, or write the value in \(scenario)")
            case .success(let location):
                return location
            }
        }
    }

    /// The data file as messages and notes name it.
    private var dataName: String { data == "-" ? "<stdin>" : data }

    /// Where the fit starts: the value a `--set` gave the path last, else the number written in the file.
    private func startingValue(_ path: String, written: ValueLocation) -> Double {
        let set = overrides.last { $0.hasPrefix(path + "=") }.flatMap {
            Double($0.dropFirst(path.count + 1).trimmingCharacters(in: .whitespaces))
        }
        return set ?? written.value
    }

    /// The comment a fitted value gets: its standard error and the data it was fitted on.
    private func note(_ fitted: FittedParameter) -> String {
        let error =
            fitted.onBound
            ? "on a bound, no s.e." : fitted.standardError.map { "± " + String(format: "%.2g", $0) + " (1 s.e.)" } ?? "no s.e."
        return "\(ScenarioEditor.notePrefix) on \(dataName): \(error)"
    }

    /// Six significant digits: enough to reproduce every figure the model reports, short enough to read.
    static func rounded(_ x: Double) -> Double { Double(String(format: "%.6g", x))! }
}
