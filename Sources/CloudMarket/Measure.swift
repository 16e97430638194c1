import Foundation

/// A quantity read from a snapshot: a reported variable (DESIGN §1.6) for a region or `ALL`, a segment, `ALL` or a sum
/// of segments (`IaaS+PaaS`), and a group, an origin (`eu`) or a sum of groups (`aws+azure`).
///
/// Sums are what published figures need: Synergy reports IaaS+PaaS together, and "the big three" as one share.
/// A group whose id is spelled like an origin (`eu`) is that group, not the origin.
public struct Measure: Sendable, Hashable, CustomStringConvertible {
    public let variable: Variable
    /// Region index, `regions.count` for ALL; nil for per-group variables.
    let region: Int?
    /// Segment indices (`segments.count` for ALL); nil where the variable has no segment.
    let segments: [Int]?
    /// Group indices; nil where the variable has no group.
    let groups: [Int]?
    /// The names as written (nil where the variable has no such dimension).
    public let regionName: String?
    public let segmentName: String?
    public let groupName: String?
    /// `variable region segment group`, as written.
    public let description: String

    /// Which field of a measure was wrong, for the message.
    public enum Field: String, Sendable {
        case variable, region, segment, group
    }

    /// Why a measure cannot be read from this scenario; `known` lists the valid names for a "did you mean".
    public struct Problem: Error, Sendable {
        public let field: Field
        public let message: String
        public let offending: String
        public let known: [String]
    }

    /// Resolves names against a scenario. Empty strings stand for "not applicable".
    public init(variable name: String, region: String, segment: String, group: String, in scenario: Scenario) throws(Problem) {
        guard let variable = Variable(rawValue: name) else {
            throw Problem(
                field: .variable, message: "unknown variable '\(name)'", offending: name, known: Variable.allCases.map(\.rawValue))
        }
        self.variable = variable
        description = [name, region, segment, group].filter { !$0.isEmpty }.joined(separator: " ")
        regionName = region.isEmpty ? nil : region
        segmentName = segment.isEmpty ? nil : segment
        groupName = group.isEmpty ? nil : group
        let keys = variable.keys
        let needsRegion = keys != .group
        let needsSegment = keys == .regionSegment || keys == .regionSegmentGroup
        let needsGroup = keys == .group || keys == .regionSegmentGroup
        try Self.expectPresence(region, needed: needsRegion, field: .region, variable: variable)
        try Self.expectPresence(segment, needed: needsSegment, field: .segment, variable: variable)
        try Self.expectPresence(group, needed: needsGroup, field: .group, variable: variable)

        let regionIDs = scenario.regions.map(\.id)
        if needsRegion {
            let allowsAll = variable != .adoption
            if region == allID, allowsAll {
                self.region = regionIDs.count
            } else if let r = regionIDs.firstIndex(of: region) {
                self.region = r
            } else {
                throw Problem(
                    field: .region, message: "unknown region '\(region)'", offending: region,
                    known: regionIDs + (allowsAll ? [allID] : []))
            }
        } else {
            self.region = nil
        }
        segments = needsSegment ? try Self.segments(segment, variable: variable, in: scenario) : nil
        groups = needsGroup ? try Self.groups(group, variable: variable, in: scenario) : nil
    }

    private static func expectPresence(_ text: String, needed: Bool, field: Field, variable: Variable) throws(Problem) {
        if needed, text.isEmpty {
            throw Problem(field: field, message: "\(variable.rawValue) needs a \(field.rawValue)", offending: text, known: [])
        }
        if !needed, !text.isEmpty {
            throw Problem(
                field: field, message: "\(variable.rawValue) has no \(field.rawValue): leave it empty", offending: text, known: [])
        }
    }

    private static func segments(_ text: String, variable: Variable, in scenario: Scenario) throws(Problem) -> [Int] {
        if text == allID {
            guard variable != .growth else {
                throw Problem(
                    field: .segment, message: "growth is reported for real segments only; name them (IaaS+PaaS)",
                    offending: text, known: scenario.segments)
            }
            return [scenario.segments.count]
        }
        let parts = text.split(separator: "+", omittingEmptySubsequences: false).map(String.init)
        if parts.count > 1, variable == .sensitiveQualified {
            throw Problem(
                field: .segment, message: "sensitive_qualified cannot be summed over segments", offending: text, known: [])
        }
        return try indices(parts, among: scenario.segments, field: .segment, whole: text)
    }

    private static func groups(_ text: String, variable: Variable, in scenario: Scenario) throws(Problem) -> [Int] {
        let ids = scenario.groups.map(\.id)
        if let origin = Origin(rawValue: text), !ids.contains(text) {
            let members = scenario.groups.indices.filter { scenario.groups[$0].origin == origin }
            guard !members.isEmpty else {
                throw Problem(field: .group, message: "no group has origin \(text)", offending: text, known: ids)
            }
            guard variable != .capability else {
                throw Problem(field: .group, message: "capability cannot be summed over groups", offending: text, known: ids)
            }
            return members
        }
        let parts = text.split(separator: "+", omittingEmptySubsequences: false).map(String.init)
        if parts.count > 1, variable == .capability {
            throw Problem(field: .group, message: "capability cannot be summed over groups", offending: text, known: ids)
        }
        return try indices(parts, among: ids, field: .group, whole: text, extra: Origin.allCases.map(\.rawValue))
    }

    private static func indices(_ parts: [String], among ids: [String], field: Field, whole: String, extra: [String] = [])
        throws(Problem) -> [Int]
    {
        var out: [Int] = []
        for part in parts {
            guard let i = ids.firstIndex(of: part) else {
                let message =
                    part.isEmpty ? "empty name in the sum '\(whole)'" : "unknown \(field.rawValue) '\(part)'"
                throw Problem(field: field, message: message, offending: part, known: ids + extra)
            }
            guard !out.contains(i) else {
                throw Problem(field: field, message: "'\(part)' appears twice in '\(whole)'", offending: part, known: [])
            }
            out.append(i)
        }
        return out
    }

    /// The measure's value in a snapshot, or nil where it is undefined (an empty market, say).
    public func value(in snap: Snapshot) -> Double? {
        let cells = (segments ?? []).map { snap.cell(region!, $0) }
        let market = cells.reduce(0.0) { $0 + snap.marketSize[$1] }
        let revenue = { cells.reduce(0.0) { sum, cell in groups!.reduce(sum) { $0 + snap.revenue[cell * snap.groups + $1] } } }
        let v: Double
        switch variable {
        case .revenue:
            v = revenue()
        case .share:
            guard market > 0 else { return nil }
            v = revenue() / market
        case .flowShare:
            v = flowWeighted(cells, in: snap) { cell in groups!.reduce(0) { $0 + snap.flowShare[cell * snap.groups + $1] } }
        case .marketSize:
            v = market
        case .growth:
            // Over several segments: the market-weighted continuous rate, as for ALL regions.
            guard cells.count > 1 else { return snap.value(.growth, region: region, segment: segments![0], group: nil) }
            guard market > 0 else { return nil }
            v = expm1(cells.reduce(0.0) { $0 + snap.marketSize[$1] * log1p(snap.growth[$1]) } / market)
        case .shareEU, .shareEULicensed, .shareNonEU:
            let origin: Origin = variable == .shareEU ? .eu : variable == .shareNonEU ? .nonEU : .euLicensed
            guard market > 0 else { return nil }
            v = cells.reduce(0.0) { $0 + snap.shareByOrigin[snap.index(of: origin, cell: $1)] * snap.marketSize[$1] } / market
        case .flowShareEU, .flowShareNonEU:
            let origin: Origin = variable == .flowShareEU ? .eu : .nonEU
            v = flowWeighted(cells, in: snap) { snap.flowShareByOrigin[snap.index(of: origin, cell: $0)] }
        case .sensitiveQualified:
            return snap.value(variable, region: region, segment: segments![0], group: nil)
        case .capability:
            return snap.value(variable, region: nil, segment: nil, group: groups![0])
        case .investment, .knowledgeStock:
            v = groups!.reduce(0.0) { $0 + (snap.value(variable, region: nil, segment: nil, group: $1) ?? .nan) }
        case .adoption:
            return snap.value(.adoption, region: region, segment: nil, group: nil)
        }
        return v.isNaN ? nil : v
    }

    /// Flow shares summed over segments, weighted by each segment's contested business (by its market when nothing is
    /// contested anywhere), which is DESIGN §1.6's `Σc a·M·P / Σc a·M` taken over the union of the segments.
    private func flowWeighted(_ cells: [Int], in snap: Snapshot, _ flowShare: (Int) -> Double) -> Double {
        let contested = cells.reduce(0.0) { $0 + snap.contested[$1] }
        let weight = { (cell: Int) in contested > 0 ? snap.contested[cell] : snap.marketSize[cell] }
        let total = cells.reduce(0.0) { $0 + weight($1) }
        guard total > 0 else { return .nan }
        return cells.reduce(0.0) { $0 + (weight($1) > 0 ? flowShare($1) * weight($1) : 0) } / total
    }
}
