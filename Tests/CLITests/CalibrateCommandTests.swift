import Foundation
import Testing

/// The repository's root, for the shipped scenarios and history files.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func shipped(_ path: String) -> String { repositoryRoot.appendingPathComponent(path).path }

/// A shipped calibration: the command in the scenario's header, and where to start it away from the committed values.
struct ShippedCalibration: Sendable, CustomStringConvertible {
    let scenario: String
    let data: String
    let fits: [String]
    let start: [String]
    var extra: [String] = []
    var description: String { scenario }
}

let shippedCalibrations = [
    ShippedCalibration(
        scenario: "Scenarios/backcast-2017.yaml", data: "Scenarios/history/synergy-europe.csv",
        fits: [
            "regions.EUROPE.segments.IaaS.growth.rate,regions.EUROPE.segments.PaaS.growth.rate=0:1", "groups.eu_providers.appeal",
            "groups.other_non_eu.appeal",
        ],
        start: [
            "regions.EUROPE.segments.IaaS.growth.rate=0.3", "regions.EUROPE.segments.PaaS.growth.rate=0.3",
            "groups.eu_providers.appeal=-1", "groups.other_non_eu.appeal=-1",
        ]),
    ShippedCalibration(
        scenario: "Scenarios/baseline.yaml", data: "Scenarios/history/france-infra-2021.csv",
        fits: [
            "groups.fr_providers.appeal.IaaS,groups.fr_providers.appeal.PaaS",
            "regions.FR.segments.IaaS.growth.rate,regions.FR.segments.PaaS.growth.rate=0:1",
        ],
        start: [
            "groups.fr_providers.appeal.IaaS=-0.5", "groups.fr_providers.appeal.PaaS=-0.5", "regions.FR.segments.IaaS.growth.rate=0.3",
            "regions.FR.segments.PaaS.growth.rate=0.3",
        ], extra: ["--absolute-weights"]),
]

@Suite struct CalibrateCommandTests {
    struct Report: Decodable {
        struct Parameter: Decodable {
            let name: String
            let paths: [String]
            let initial: Double
            let value: Double
        }
        let parameters: [Parameter]
    }

    /// `cloudmarket calibrate`, started away from the committed values, lands on them: the shipped files are reproducible.
    @Test(arguments: shippedCalibrations)
    func reproducesTheCommittedFittedValues(_ c: ShippedCalibration) throws {
        let cli = try CLI()
        defer { cli.removeAll() }
        let arguments =
            ["calibrate", shipped(c.scenario), "--data", shipped(c.data), "--out", "fit", "--quiet"] + c.fits.flatMap { ["--fit", $0] }
            + c.start.flatMap { ["--set", $0] } + c.extra
        let result = try cli.run(arguments: arguments)
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONDecoder().decode(Report.self, from: Data(try cli.read("fit/calibration.json").utf8))
        let committed = try String(contentsOfFile: shipped(c.scenario), encoding: .utf8)
        // The notes name the data file as given on the command line: absolute here, relative in the committed file.
        let calibrated = try cli.read("fit/scenario.calibrated.yaml").replacingOccurrences(of: repositoryRoot.path + "/", with: "")
        for parameter in report.parameters {
            #expect(abs(parameter.initial - parameter.value) > 0.01, "\(parameter.name) started at its fitted value")
            // The committed file holds the value to six significant digits (what calibrate writes).
            let written = String(format: "%.6g", parameter.value)
            #expect(committed.contains(": \(written) ") || committed.contains(": \(written),"), "\(parameter.name) = \(written)")
        }
        // Rewriting changes numbers and their notes only: the calibrated file is the committed one.
        #expect(calibrated == committed)
    }

    @Test func badHistoryFileIsExit65WithLineColumnAndNoOutput() throws {
        let cli = try CLI()
        defer { cli.removeAll() }
        try cli.write(
            "h.csv", "time,variable,region,segment,group,value\n2021.375,share_eu,EUROPE,IaaS+PaaS,,0.16\n2031,share_eu,EUROPE,IaaS,,x\n")
        let result = try cli.run(
            "calibrate", shipped("Scenarios/backcast-2017.yaml"), "--data", "h.csv", "--fit", "groups.eu_providers.appeal", "--out", "fit")
        #expect(result.status == 65)
        #expect(result.stderr.contains("h.csv:3:1: error: time: 2031 is outside the scenario's horizon 2017–2030"), "\(result.stderr)")
        #expect(result.stderr.contains("h.csv:3:28: error: value: expected a number, found 'x'"), "\(result.stderr)")
        #expect(!cli.exists("fit"))
    }

    /// `--data -` reads the history from standard input; `--write -` prints the calibrated scenario on stdout.
    @Test func readsHistoryFromStdinAndWritesTheScenarioToStdout() throws {
        let cli = try CLI()
        defer { cli.removeAll() }
        let history = try String(contentsOfFile: shipped("Scenarios/history/synergy-europe.csv"), encoding: .utf8)
        let result = try cli.run(
            arguments: [
                "calibrate", shipped("Scenarios/backcast-2017.yaml"), "--data", "-", "--fit", "groups.other_non_eu.appeal", "--write", "-",
                "--out", "fit",
            ], input: history)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == (try cli.read("fit/scenario.calibrated.yaml")))
        #expect(result.stdout.contains("# calibrated on <stdin>: ± 0.023 (1 s.e.) | "), "\(result.stdout)")
        #expect(result.stderr.contains("backcast-2017 calibrated on <stdin>: 10 observations, 1 parameter, converged"))
    }

    @Test func fitPathsMustBeNumbersWrittenInTheFile() throws {
        let cli = try CLI()
        defer { cli.removeAll() }
        let data = shipped("Scenarios/history/synergy-europe.csv")
        let scenario = shipped("Scenarios/backcast-2017.yaml")
        for (fit, message) in [
            ("model.share_floorr", "'model.share_floorr' is not written in the scenario"),
            ("model.depreciation=2:1", "the lower bound must be below the upper bound"),
            ("groups.eu_providers.appeal.IaaS", "'groups.eu_providers.appeal' is written as one value"),
        ] {
            let result = try cli.run("calibrate", scenario, "--data", data, "--fit", fit, "--out", "fit")
            #expect(result.status == 2, "\(fit): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(fit): \(result.stderr)")
        }
        #expect(!cli.exists("fit"))
    }
}
