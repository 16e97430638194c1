import ArgumentParser
import CloudMarket
import Foundation
import ScenarioIO

struct Describe: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List every parameter path of a scenario with its value, unit, meaning and source.",
        discussion: """
            The paths are the ones --set, sweeps, sensitivity analysis, calibration and goal seeking take. The source is             the comment on the line where the value is written (the scenario's own account of where the number comes             from); defaults have none.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    /// One parameter for machines: the value stays a JSON number.
    struct Entry: Encodable {
        let path: String
        let value: Double
        let unit: String
        let meaning: String
        let source: String?

        init(_ e: ParameterEntry, source: String?) {
            path = e.path
            value = e.value
            unit = e.unit
            meaning = e.meaning
            self.source = source
        }
    }

    @OptionGroup var input: ScenarioOptions

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    func run() throws {
        let template = try input.template()
        let loaded = try template.load(overrides: input.overrides)
        let entries = ParameterCatalog.entries(for: loaded.scenario)
        let sources = entries.map { template.source(of: $0.path) }
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(zip(entries, sources).map(Entry.init)), as: UTF8.self))
        case .text:
            let pathWidth = entries.map(\.path.count).max() ?? 0
            let valueWidth = entries.map { formatNumber($0.value).count }.max() ?? 0
            let unitWidth = entries.map(\.unit.count).max() ?? 0
            let indent = String(repeating: " ", count: pathWidth + 2)
            for (e, source) in zip(entries, sources) {
                let value = formatNumber(e.value)
                let path = e.path.padding(toLength: pathWidth + 2, withPad: " ", startingAt: 0)
                let unit = e.unit.padding(toLength: unitWidth + 2, withPad: " ", startingAt: 0)
                print(path + String(repeating: " ", count: valueWidth - value.count) + value + "  " + unit + e.meaning)
                if let source { print(indent + "source: " + source) }
            }
        }
    }
}
