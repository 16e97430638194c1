/// Sizes of a scenario's dimensions and the flat index of every cell and state variable.
///
/// The ODE state is `X[r,s,c,g]` (revenue run-rates), then `K` for each group with an investment
/// baseline, then `A` for each region with an adoption block.
struct Layout: Sendable {
    let regions: Int
    let segments: Int
    let classes: Int
    let groups: Int
    /// Position of group g's knowledge stock in `K`, or nil when g has no investment baseline.
    let knowledgeSlot: [Int?]
    /// Position of region r's adoption level in `A`, or nil when r has no adoption block.
    let adoptionSlot: [Int?]

    init(_ scenario: Scenario) {
        regions = scenario.regions.count
        segments = scenario.segments.count
        classes = scenario.classes.count
        groups = scenario.groups.count
        var next = 0
        knowledgeSlot = scenario.groups.map { group in
            guard group.investment != nil else { return nil }
            defer { next += 1 }
            return next
        }
        next = 0
        adoptionSlot = scenario.regions.map { region in
            guard region.adoption != nil else { return nil }
            defer { next += 1 }
            return next
        }
    }

    var revenueCount: Int { regions * segments * classes * groups }
    var knowledgeCount: Int { knowledgeSlot.lazy.compactMap { $0 }.count }
    var adoptionCount: Int { adoptionSlot.lazy.compactMap { $0 }.count }
    var stateCount: Int { revenueCount + knowledgeCount + adoptionCount }

    /// First index of the `G` revenues of cell (r, s, c).
    @inline(__always) func revenueBase(_ r: Int, _ s: Int, _ c: Int) -> Int { ((r * segments + s) * classes + c) * groups }
    @inline(__always) func knowledgeIndex(_ slot: Int) -> Int { revenueCount + slot }
    @inline(__always) func adoptionIndex(_ slot: Int) -> Int { revenueCount + knowledgeCount + slot }

    @inline(__always) func regionClass(_ r: Int, _ c: Int) -> Int { r * classes + c }
    @inline(__always) func regionSegment(_ r: Int, _ s: Int) -> Int { r * segments + s }
    @inline(__always) func groupSegment(_ g: Int, _ s: Int) -> Int { g * segments + s }
    @inline(__always) func regionClassGroup(_ r: Int, _ c: Int, _ g: Int) -> Int { (r * classes + c) * groups + g }
}
