import CloudMarket
import Foundation
import ScenarioIO

extension RunReport {
    /// The terminal summary of a run: Europe-wide shares by origin and group, revenues, targets.
    public func headlineTable() -> String {
        let years = milestones
        var rows: [(String, [String])] = []
        let row = { (label: String, value: (Double) -> Double?, format: (Double) -> String) in
            rows.append((label, years.map { t in value(t).map(format) ?? "–" }))
        }
        row("market size, MEUR/yr", { trajectory.value(.marketSize, at: $0) }, Self.amount)
        row("share, EU origin", { trajectory.value(.shareEU, at: $0) }, Self.percent)
        row("share, EU-licensed origin", { trajectory.value(.shareEULicensed, at: $0) }, Self.percent)
        row("share, non-EU origin", { trajectory.value(.shareNonEU, at: $0) }, Self.percent)
        for group in scenario.groups {
            row("share, \(group.id)", { trajectory.value(.share, group: group.id, at: $0) }, Self.percent)
        }
        for group in scenario.groups {
            row("revenue, \(group.id), MEUR/yr", { trajectory.value(.revenue, group: group.id, at: $0) }, Self.amount)
        }
        let labelWidth = max(rows.map(\.0.count).max() ?? 0, 30)
        let header = "\(scenario.name): Europe, all segments".padding(toLength: labelWidth, withPad: " ", startingAt: 0)
        var lines = [header + years.map { Self.pad(formatNumber($0)) }.joined()]
        for (label, values) in rows {
            lines.append(label.padding(toLength: labelWidth, withPad: " ", startingAt: 0) + values.map(Self.pad).joined())
        }
        if !targets.isEmpty {
            lines.append("")
            lines.append("targets")
            for result in targets {
                let t = result.target
                let value = result.value.map { String(format: "%.3g", $0) } ?? "undefined"
                let verdict = result.met ? "met" : "NOT met"
                lines.append(
                    "  \(t.id) (\(formatNumber(t.year))): \(value), \(t.bound.operatorName) \(formatNumber(t.bound.threshold)): \(verdict)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func pad(_ s: String) -> String { String(repeating: " ", count: max(1, 11 - s.count)) + s }
    static func percent(_ x: Double) -> String { String(format: "%.1f%%", 100 * x) }
    static func amount(_ x: Double) -> String { String(format: "%.0f", x) }
}
