import CloudMarket
import Experiments
import Foundation
import ScenarioIO

/// An attribution's folder (`attribution.csv`, `subsets.csv`, `manifest.json`) and its terminal table.
public struct AttributionReport {
    public let loaded: LoadedScenario
    /// The baseline's scenario name and file.
    public let baselineName: String
    public let baselineFile: String
    public let result: AttributionResult
    public let invocation: Invocation

    public init(loaded: LoadedScenario, baselineName: String, baselineFile: String, result: AttributionResult, invocation: Invocation) {
        self.loaded = loaded
        self.baselineName = baselineName
        self.baselineFile = baselineFile
        self.result = result
        self.invocation = invocation
    }

    public func files() throws(ReportError) -> [(name: String, contents: String)] {
        [
            ("attribution.csv", attributionCSV()), ("subsets.csv", subsetsCSV()),
            (
                "datapackage.json",
                try encodeJSON(
                    DataPackage.attribution(scenario: loaded.scenario.name, kpis: result.kpis.map(\.description)),
                    for: "datapackage.json")
            ),
            (
                "manifest.json",
                try encodeJSON(
                    Manifest(loaded: loaded, invocation: invocation),
                    for: "manifest.json")
            ),
        ]
    }

    /// Tidy: one row per KPI and player, with the KPI's baseline and package values and the total effect.
    func attributionCSV() -> String {
        var table = CSVTable(header: [
            "kpi", "variable", "region", "segment", "group", "year", "player", "levers", "contribution", "share_of_effect", "baseline",
            "package", "total_effect",
        ])
        for (k, kpi) in result.kpis.enumerated() {
            let m = kpi.measure
            let total = result.packageValue(k) - result.baselineValue(k)
            for (p, player) in result.players.enumerated() {
                let contribution = result.contributions[k][p]
                table.append(
                    [
                        kpi.description, m.variable.rawValue, m.regionName ?? "", m.segmentName ?? "", m.groupName ?? "",
                        formatNumber(kpi.year), player.name, player.levers.joined(separator: " "), formatNumber(contribution),
                        total == 0 ? "" : formatNumber(contribution / total), formatNumber(result.baselineValue(k)),
                        formatNumber(result.packageValue(k)), formatNumber(total),
                    ])
            }
        }
        return table.text
    }

    /// Every subset's KPI values: what the Shapley values were computed from, for anyone who wants to check them.
    func subsetsCSV() -> String {
        var table = CSVTable(header: ["subset", "players"] + result.kpis.map(\.description))
        for (subset, values) in result.subsetValues.enumerated() {
            let members = result.players.indices.filter { subset & (1 << $0) != 0 }.map { result.players[$0].name }
            table.append([String(subset), members.joined(separator: "+")] + values.map(formatNumber))
        }
        return table.text
    }

    /// Per KPI: baseline, package, total effect, then each player's contribution and share of the effect, largest first.
    public func table() -> String {
        let runs = result.subsetValues.count
        var lines = [
            "\(loaded.scenario.name) (\(loaded.files[0])) against \(baselineName) (\(baselineFile)): \(result.players.count) players, "
                + "\(runs) runs (every subset), exact Shapley values"
        ]
        let width = max(result.players.map(\.name.count).max() ?? 0, 24)
        for (k, kpi) in result.kpis.enumerated() {
            let unit = kpi.measure.variable.unit
            let show = { (x: Double, signed: Bool) in Comparison.show(x, unit, signed: signed) }
            let total = result.packageValue(k) - result.baselineValue(k)
            lines += [
                "",
                "\(kpi)  (\(unit == "fraction" ? "percent; effects in points" : unit))",
                "  \(baselineName) \(show(result.baselineValue(k), false)) → \(loaded.scenario.name) \(show(result.packageValue(k), false)): "
                    + "effect \(show(total, true))",
            ]
            let order = result.players.indices.sorted { abs(result.contributions[k][$0]) > abs(result.contributions[k][$1]) }
            for p in order {
                let c = result.contributions[k][p]
                let share = total == 0 ? "" : String(format: "%6.1f%%", 100 * c / total)
                lines.append(
                    "  " + result.players[p].name.padding(toLength: width, withPad: " ", startingAt: 0) + " "
                        + String(repeating: " ", count: max(0, 10 - show(c, true).count)) + show(c, true) + "  " + share)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
