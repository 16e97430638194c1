import Foundation

/// The reported variables at one reporting time (DESIGN §1.6).
///
/// Region index `regions` and segment index `segments` stand for `ALL`. A value that is undefined at
/// that moment (a share of an empty market, a group without investment, a region without adoption) is
/// NaN here and absent from every output; the state itself is checked finite during the run.
public struct Snapshot: Sendable {
    public let time: Double
    let regions: Int
    let segments: Int
    let groups: Int
    /// Per (region-or-ALL, segment-or-ALL, group).
    let revenue: [Double]
    let share: [Double]
    let flowShare: [Double]
    /// Per (region-or-ALL, segment-or-ALL).
    let marketSize: [Double]
    /// Σc a·M, the business contested at that moment: the weights that sum flow shares over segments.
    let contested: [Double]
    let growth: [Double]
    /// Per (origin, region-or-ALL, segment-or-ALL), origins in `Origin.allCases` order (see `index(of:cell:)`).
    let shareByOrigin: [Double]
    let flowShareByOrigin: [Double]
    let sensitiveQualified: [Double]
    /// Per group.
    let capability: [Double]
    let investment: [Double]
    let knowledgeStock: [Double]
    /// Per region.
    let adoption: [Double]

    func cell(_ r: Int, _ s: Int) -> Int { r * (segments + 1) + s }

    /// Where `origin`'s value for `cell` sits in `shareByOrigin` and `flowShareByOrigin`.
    func index(of origin: Origin, cell: Int) -> Int {
        origin.position * (regions + 1) * (segments + 1) + cell
    }

    /// The value of `variable` for the given indices (nil index = not applicable), or nil when undefined.
    func value(_ variable: Variable, region r: Int?, segment s: Int?, group g: Int?) -> Double? {
        let v: Double
        switch variable.keys {
        case .regionSegmentGroup:
            let i = cell(r!, s!) * groups + g!
            switch variable {
            case .revenue: v = revenue[i]
            case .share: v = share[i]
            default: v = flowShare[i]
            }
        case .regionSegment:
            let i = cell(r!, s!)
            switch variable {
            case .marketSize: v = marketSize[i]
            case .growth: v = growth[i]
            case .shareEU: v = shareByOrigin[index(of: .eu, cell: i)]
            case .shareEULicensed: v = shareByOrigin[index(of: .euLicensed, cell: i)]
            case .shareNonEU: v = shareByOrigin[index(of: .nonEU, cell: i)]
            case .flowShareEU: v = flowShareByOrigin[index(of: .eu, cell: i)]
            case .flowShareNonEU: v = flowShareByOrigin[index(of: .nonEU, cell: i)]
            default: v = sensitiveQualified[i]
            }
        case .group:
            switch variable {
            case .capability: v = capability[g!]
            case .investment: v = investment[g!]
            default: v = knowledgeStock[g!]
            }
        case .region:
            v = adoption[r!]
        }
        return v.isNaN ? nil : v
    }
}

/// Accumulates one reporting time's cells into every aggregate they belong to. One per simulation, reused for every
/// snapshot: its sums live in one allocation, zeroed by `start`.
final class SnapshotRecorder {
    let regions: Int
    let segments: Int
    let groups: Int
    /// Per group: its origin's position in `Origin.allCases`.
    private let originIndex: [Int]
    private(set) var time = 0.0
    private let storage: UnsafeMutableBufferPointer<Double>
    private let revenue: UnsafeMutablePointer<Double>
    /// Σc a·M·P and Σc a·M: the contested flows.
    private let flow: UnsafeMutablePointer<Double>
    private let contested: UnsafeMutablePointer<Double>
    /// Σc M·P: the fallback weights when nothing is contested.
    private let installedChoice: UnsafeMutablePointer<Double>
    private let market: UnsafeMutablePointer<Double>
    /// Σ M·γ, for the growth of aggregates; the growth rate in force for real (region, segment) cells.
    private let weightedGamma: UnsafeMutablePointer<Double>
    private let regionGrowth: UnsafeMutablePointer<Double>
    /// Numerators and denominators of `sensitive_qualified`, weighted by σ·a·M and, as fallback, σ·M.
    private let qualifiedFlow: UnsafeMutablePointer<Double>
    private let sensitiveFlow: UnsafeMutablePointer<Double>
    private let qualifiedStock: UnsafeMutablePointer<Double>
    private let sensitiveStock: UnsafeMutablePointer<Double>
    /// Per group and per region: NaN until set (a group without investment, a region without adoption).
    private let capability: UnsafeMutablePointer<Double>
    private let investment: UnsafeMutablePointer<Double>
    private let knowledgeStock: UnsafeMutablePointer<Double>
    private let adoption: UnsafeMutablePointer<Double>
    /// Where the NaN-initialised part of `storage` begins.
    private let perGroupStart: Int

    init(layout: Layout, origins: [Origin]) {
        regions = layout.regions
        segments = layout.segments
        groups = layout.groups
        originIndex = origins.map(\.position)
        let cells = (regions + 1) * (segments + 1)
        perGroupStart = 3 * cells * groups + 8 * cells
        storage = .filled(perGroupStart + 3 * groups + regions, with: 0)
        var next = storage.baseAddress!
        let take = { (count: Int) -> UnsafeMutablePointer<Double> in
            defer { next += count }
            return next
        }
        (revenue, flow, installedChoice) = (take(cells * groups), take(cells * groups), take(cells * groups))
        (contested, market, weightedGamma, regionGrowth) = (take(cells), take(cells), take(cells), take(cells))
        (qualifiedFlow, sensitiveFlow, qualifiedStock, sensitiveStock) = (take(cells), take(cells), take(cells), take(cells))
        (capability, investment, knowledgeStock, adoption) = (take(groups), take(groups), take(groups), take(regions))
    }

    deinit { storage.deallocate() }

    /// Forgets the previous snapshot's sums.
    func start(time: Double) {
        self.time = time
        storage[..<perGroupStart].update(repeating: 0)
        storage[perGroupStart...].update(repeating: .nan)
    }

    /// The four aggregates a real (r, s) cell belongs to: itself, ALL regions, ALL segments, and both (a vector, not an
    /// array: no allocation per cell).
    private func aggregates(_ r: Int, _ s: Int) -> SIMD4<Int> {
        SIMD4(r * (segments + 1) + s, regions * (segments + 1) + s, r * (segments + 1) + segments, regions * (segments + 1) + segments)
    }

    /// Records one (region, segment, class) cell: its revenues, contested rate `a`, the market's growth g and γ = ln(1 + g),
    /// and the choice made there (in `lane` of `choice`).
    func addCell(
        r: Int, s: Int, revenues: UnsafePointer<Double>, contested a: Double, growth: Double, gamma: Double, choice: ClassPairChoice,
        lane: Int, sensitive sigma: Double, mandate m: Double, qualified: UnsafeMutableBufferPointer<Double>
    ) {
        var m0 = 0.0
        for g in 0..<groups { m0 += revenues[g] }
        var qualifiedPlacement = choice.qualifiedOfferExists[lane] ? m : 0
        for g in 0..<groups { qualifiedPlacement += (1 - m) * choice.sensitiveProbability(g)[lane] * qualified[g] }
        regionGrowth[r * (segments + 1) + s] = growth
        let cells = aggregates(r, s)
        for k in 0..<cells.scalarCount {
            let cell = cells[k]
            let (revenue, flow, installedChoice) = (revenue + cell * groups, flow + cell * groups, installedChoice + cell * groups)
            for g in 0..<groups {
                let p = choice.probability(g)[lane]
                revenue[g] += revenues[g]
                flow[g] += a * m0 * p
                installedChoice[g] += m0 * p
            }
            contested[cell] += a * m0
            market[cell] += m0
            weightedGamma[cell] += m0 * gamma
            qualifiedFlow[cell] += sigma * a * m0 * qualifiedPlacement
            sensitiveFlow[cell] += sigma * a * m0
            qualifiedStock[cell] += sigma * m0 * qualifiedPlacement
            sensitiveStock[cell] += sigma * m0
        }
    }

    func setGroup(_ g: Int, capability c: Double, investment i: Double, knowledgeStock k: Double) {
        capability[g] = c
        investment[g] = i
        knowledgeStock[g] = k
    }

    func setAdoption(_ r: Int, _ a: Double) { adoption[r] = a }

    /// The group's and the origins' shares, from the accumulated sums.
    func finish() -> Snapshot {
        let cells = (regions + 1) * (segments + 1)
        var share = [Double](repeating: .nan, count: cells * groups)
        var flowShare = share
        var growth = [Double](repeating: .nan, count: cells)
        var sensitiveQualified = growth
        // Per (origin, cell), origins in `Origin.allCases` order.
        var shareByOrigin = [Double](repeating: .nan, count: Origin.allCases.count * cells)
        var flowShareByOrigin = shareByOrigin
        for cell in 0..<cells {
            let isRealSegment = cell % (segments + 1) != segments
            if isRealSegment, cell < regions * (segments + 1) {
                growth[cell] = regionGrowth[cell]
            } else if isRealSegment, market[cell] > 0 {
                // A segment's growth over ALL regions: the market-weighted continuous rate.
                growth[cell] = expm1(weightedGamma[cell] / market[cell])
            }
            // When nothing is contested at this moment, flows are weighted by the installed base instead.
            let (flowWeights, flowTotal) =
                contested[cell] > 0 ? (flow, contested[cell]) : (installedChoice, market[cell])
            if sensitiveFlow[cell] > 0 {
                sensitiveQualified[cell] = qualifiedFlow[cell] / sensitiveFlow[cell]
            } else if sensitiveStock[cell] > 0 {
                sensitiveQualified[cell] = qualifiedStock[cell] / sensitiveStock[cell]
            }
            guard market[cell] > 0 else { continue }
            for o in Origin.allCases.indices {
                shareByOrigin[o * cells + cell] = 0
                flowShareByOrigin[o * cells + cell] = 0
            }
            for g in 0..<groups {
                let i = cell * groups + g
                share[i] = revenue[i] / market[cell]
                flowShare[i] = flowWeights[i] / flowTotal
                shareByOrigin[originIndex[g] * cells + cell] += share[i]
                flowShareByOrigin[originIndex[g] * cells + cell] += flowShare[i]
            }
        }
        let copy = { (values: UnsafeMutablePointer<Double>, count: Int) in Array(UnsafeBufferPointer(start: values, count: count)) }
        return Snapshot(
            time: time, regions: regions, segments: segments, groups: groups, revenue: copy(revenue, cells * groups), share: share,
            flowShare: flowShare, marketSize: copy(market, cells), contested: copy(contested, cells), growth: growth,
            shareByOrigin: shareByOrigin, flowShareByOrigin: flowShareByOrigin, sensitiveQualified: sensitiveQualified,
            capability: copy(capability, groups), investment: copy(investment, groups), knowledgeStock: copy(knowledgeStock, groups),
            adoption: copy(adoption, regions))
    }
}
