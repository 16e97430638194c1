import CloudMarket
import Foundation
import ScenarioIO

extension RunReport {
    /// The terminal summary of a run: Europe-wide shares by origin and group, revenues, targets.
    public func headlineTable() -> String {
        // The same Europe-wide figures summary.json holds, one column per milestone.
        let years = milestones
        let europe = years.map { headline(region: allID, at: $0) }
        var rows: [(String, [String])] = []
        let row = { (label: String, value: (Summary.Headline) -> Double?, format: (Double) -> String) in
            rows.append((label, europe.map { value($0).map(format) ?? "–" }))
        }
        row("market size, MEUR/yr", \.marketSize, Self.amount)
        row("share, EU origin", \.shareEU, Self.percent)
        row("share, EU-licensed origin", \.shareEULicensed, Self.percent)
        row("share, non-EU origin", \.shareNonEU, Self.percent)
        for group in scenario.groups {
            row("share, \(group.id)", { $0.groups[group.id]?.share }, Self.percent)
        }
        for group in scenario.groups {
            row("revenue, \(group.id), MEUR/yr", { $0.groups[group.id]?.revenue }, Self.amount)
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
