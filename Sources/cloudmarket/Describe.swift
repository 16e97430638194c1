import ArgumentParser
import CloudMarket
import Foundation
import ScenarioIO

struct Describe: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List every parameter path of a scenario with its value, unit and meaning.",
        discussion: "The paths are the ones --set, sweeps, sensitivity analysis, calibration and goal seeking take.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @OptionGroup var input: ScenarioOptions

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    func run() throws {
        let (loaded, _) = try input.load()
        let entries = ParameterCatalog.entries(for: loaded.scenario)
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes]
            let rows = entries.map { ["path": $0.path, "value": String($0.value), "unit": $0.unit, "meaning": $0.meaning] }
            print(String(decoding: try encoder.encode(rows), as: UTF8.self))
        case .text:
            let pathWidth = entries.map(\.path.count).max() ?? 0
            let valueWidth = entries.map { String($0.value).count }.max() ?? 0
            let unitWidth = entries.map(\.unit.count).max() ?? 0
            for e in entries {
                let value = String(e.value)
                print(
                    e.path.padding(toLength: pathWidth + 2, withPad: " ", startingAt: 0)
                        + String(repeating: " ", count: valueWidth - value.count) + value + "  "
                        + e.unit.padding(toLength: unitWidth + 2, withPad: " ", startingAt: 0) + e.meaning)
            }
        }
    }
}
