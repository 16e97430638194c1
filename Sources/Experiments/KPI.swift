import CloudMarket
import Foundation
import ScenarioIO

/// A figure an experiment reports for each run: a measure at a year.
///
/// Written `VARIABLE[@REGION][/SEGMENT][:GROUP][@YEAR]`: `share_eu@2030`, `revenue:fr_providers@2025`,
/// `share@FR/IaaS+PaaS:us_hyperscalers@2030`. Region and segment default to `ALL`; a KPI without a year takes the
/// experiment's years.
public struct KPI: Sendable, Hashable, CustomStringConvertible {
    public let measure: Measure
    public let year: Double

    public init(measure: Measure, year: Double) {
        self.measure = measure
        self.year = year
    }

    /// `variable@region/segment:group@year`, every part spelled out.
    public var description: String {
        var text = measure.variable.rawValue
        if let region = measure.regionName { text += "@" + region }
        if let segment = measure.segmentName { text += "/" + segment }
        if let group = measure.groupName { text += ":" + group }
        return text + "@" + formatNumber(year)
    }

    /// The KPIs a text names: one per year when it has none of its own.
    public static func parse(_ text: String, years: [Double], in scenario: Scenario) throws(KPISyntaxError) -> [KPI] {
        var body = Substring(text)
        var ownYear: Double?
        if let at = body.lastIndex(of: "@"), let year = Double(body[body.index(after: at)...]) {
            ownYear = year
            body = body[..<at]
        }
        func part(after mark: Character, until ends: Set<Character>) -> String? {
            guard let start = body.firstIndex(of: mark) else { return nil }
            let rest = body[body.index(after: start)...]
            return String(rest.prefix { !ends.contains($0) })
        }
        let variable = String(body.prefix { !"@/:".contains($0) })
        let keys = Variable(rawValue: variable)?.keys
        let region = part(after: "@", until: ["/", ":"]) ?? (keys == .group ? "" : allID)
        let segment = part(after: "/", until: [":"]) ?? (keys == .regionSegment || keys == .regionSegmentGroup ? allID : "")
        let group = part(after: ":", until: []) ?? ""
        let measure: Measure
        do {
            measure = try Measure(variable: variable, region: region, segment: segment, group: group, in: scenario)
        } catch {
            let known = error.known.isEmpty ? "" : " (one of: \(error.known.joined(separator: ", ")))"
            throw KPISyntaxError(text: text, reason: "\(error.field.rawValue): \(error.message)\(known)")
        }
        let chosen = ownYear.map { [$0] } ?? years
        guard !chosen.isEmpty else { throw KPISyntaxError(text: text, reason: "no year: write VARIABLE…@YEAR or give --year") }
        let horizon = scenario.horizon
        for year in chosen where year < horizon.start || year > horizon.reportingTimes.last! {
            throw KPISyntaxError(
                text: text,
                reason: "\(formatNumber(year)) is outside the horizon \(formatNumber(horizon.start))–\(formatNumber(horizon.end))")
        }
        return chosen.map { KPI(measure: measure, year: $0) }
    }

    /// Each KPI's value in one run, in order; nil where the measure is undefined.
    ///
    /// The run stops at every reporting time as `cloudmarket run` does, so a KPI at a reporting time is the very number
    /// `timeseries.csv` holds (stopping elsewhere would move it by the solver's tolerance); it reports only the KPIs' years.
    public static func values(of kpis: [KPI], in scenario: Scenario) throws -> [Double?] {
        let years = Array(Set(kpis.map(\.year))).sorted()
        let snapshots = try Simulation(scenario: scenario).snapshots(at: years, alsoStoppingAt: scenario.horizon.reportingTimes)
        return kpis.map { kpi in kpi.measure.value(in: snapshots[years.firstIndex(of: kpi.year)!]) }
    }
}

public struct KPISyntaxError: Error, CustomStringConvertible, Sendable {
    public let text: String
    public let reason: String
    public var description: String { "--kpi \(text): \(reason); expected VARIABLE[@REGION][/SEGMENT][:GROUP][@YEAR]" }
}
