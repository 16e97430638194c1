/// One reported value, tidy: empty strings where a dimension does not apply.
public struct Observation: Sendable {
    public let time: Double
    public let region: String
    public let segment: String
    public let group: String
    public let variable: Variable
    public let value: Double
}

/// A finished run: the reported variables at every reporting time.
public struct Trajectory: Sendable {
    public let scenario: Scenario
    public let snapshots: [Snapshot]
    /// Right-hand-side evaluations the ODE driver made (finite-difference Jacobians included).
    public let rightHandSideEvaluations: Int

    public var times: [Double] { snapshots.map(\.time) }

    /// The snapshot at a reporting time, or nil when `time` is not one.
    public func snapshot(at time: Double) -> Snapshot? {
        guard let k = scenario.horizon.reportingIndex(of: time), snapshots.indices.contains(k) else { return nil }
        return snapshots[k]
    }

    /// The value of a variable at a reporting time; nil where it is undefined or the time is not reported.
    /// `region` and `segment` are ids or `ALL`; `group` is needed by per-group variables only.
    public func value(_ variable: Variable, region: String = allID, segment: String = allID, group: String? = nil, at time: Double)
        -> Double?
    {
        guard let snap = snapshot(at: time) else { return nil }
        let r = region == allID ? scenario.regions.count : scenario.regions.firstIndex { $0.id == region }
        let s = segment == allID ? scenario.segments.count : scenario.segments.firstIndex(of: segment)
        let g = group.flatMap { id in scenario.groups.firstIndex { $0.id == id } }
        switch variable.keys {
        case .regionSegmentGroup: guard r != nil, s != nil, g != nil else { return nil }
        case .regionSegment: guard r != nil, s != nil else { return nil }
        case .group: guard g != nil else { return nil }
        case .region: guard let r, r < scenario.regions.count else { return nil }
        }
        return snap.value(variable, region: r, segment: s, group: g)
    }

    /// Every defined value, time by time: per (region, segment) with their groups, then per group, then per region.
    public func forEachObservation(_ body: (Observation) throws -> Void) rethrows {
        let regionIDs = scenario.regions.map(\.id) + [allID]
        let segmentIDs = scenario.segments + [allID]
        let groupIDs = scenario.groups.map(\.id)
        let marketVariables = Variable.allCases.filter { $0.keys == .regionSegment }
        let groupMarketVariables = Variable.allCases.filter { $0.keys == .regionSegmentGroup }
        let groupVariables = Variable.allCases.filter { $0.keys == .group }
        for snap in snapshots {
            let t = snap.time
            for (r, region) in regionIDs.enumerated() {
                for (s, segment) in segmentIDs.enumerated() {
                    for variable in marketVariables {
                        if let v = snap.value(variable, region: r, segment: s, group: nil) {
                            try body(Observation(time: t, region: region, segment: segment, group: "", variable: variable, value: v))
                        }
                    }
                    for (g, group) in groupIDs.enumerated() {
                        for variable in groupMarketVariables {
                            if let v = snap.value(variable, region: r, segment: s, group: g) {
                                try body(Observation(time: t, region: region, segment: segment, group: group, variable: variable, value: v))
                            }
                        }
                    }
                }
            }
            for (g, group) in groupIDs.enumerated() {
                for variable in groupVariables {
                    if let v = snap.value(variable, region: nil, segment: nil, group: g) {
                        try body(Observation(time: t, region: "", segment: "", group: group, variable: variable, value: v))
                    }
                }
            }
            for (r, region) in regionIDs.dropLast().enumerated() {
                if let v = snap.value(.adoption, region: r, segment: nil, group: nil) {
                    try body(Observation(time: t, region: region, segment: "", group: "", variable: .adoption, value: v))
                }
            }
        }
    }
}

/// A target's outcome in one run.
public struct TargetResult: Sendable {
    public let target: Target
    /// nil when the variable is undefined at the target's year (an empty market, say).
    public let value: Double?
    public var met: Bool { value.map(target.bound.isMet) ?? false }
}

extension Trajectory {
    /// Each target's value (a ratio when it has `relative_to`) and whether it is met.
    public func evaluate(_ targets: [Target]) -> [TargetResult] {
        targets.map { target in
            let at = { (year: Double) in
                value(target.variable, region: target.region, segment: target.segment, group: target.group, at: year)
            }
            var result = at(target.year)
            if let reference = target.relativeTo {
                result = result.flatMap { v in at(reference).flatMap { $0 != 0 ? v / $0 : nil } }
            }
            return TargetResult(target: target, value: result)
        }
    }
}
