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

    /// One parameter for machines: the value stays a JSON number.
    struct Entry: Encodable {
        let path: String
        let value: Double
        let unit: String
        let meaning: String

        init(_ e: ParameterEntry) {
            path = e.path
            value = e.value
            unit = e.unit
            meaning = e.meaning
        }
    }

    @OptionGroup var input: ScenarioOptions

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    func run() throws {
        let loaded = try input.load()
        let entries = ParameterCatalog.entries(for: loaded.scenario)
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(entries.map(Entry.init)), as: UTF8.self))
        case .text:
            let pathWidth = entries.map(\.path.count).max() ?? 0
            let valueWidth = entries.map { formatNumber($0.value).count }.max() ?? 0
            let unitWidth = entries.map(\.unit.count).max() ?? 0
            for e in entries {
                let value = formatNumber(e.value)
                print(
                    e.path.padding(toLength: pathWidth + 2, withPad: " ", startingAt: 0)
                        + String(repeating: " ", count: valueWidth - value.count) + value + "  "
                        + e.unit.padding(toLength: unitWidth + 2, withPad: " ", startingAt: 0) + e.meaning)
            }
        }
    }
}
