import Foundation
import GSL
import VectorMath

/// Why a run could not finish.
public enum SimulationError: Error, CustomStringConvertible, Sendable {
    case growthAtOrBelowMinusOne(region: String, segment: String, time: Double, growth: Double)
    case nonFinite(time: Double)
    case solver(GSLError)

    public var description: String {
        switch self {
        case .growthAtOrBelowMinusOne(let region, let segment, let time, let growth):
            "growth of \(region)/\(segment) is \(growth) at t = \(time); it must stay above -1 (check its demand levers and long_run)"
        case .nonFinite(let time):
            "the state became non-finite near t = \(time) (try a tighter tolerance or another solver method)"
        case .solver(let error):
            "the ODE solver failed: \(error)"
        }
    }
}

/// One scenario, compiled for repeated integration (DESIGN §1.5).
public final class Simulation {
    public let scenario: Scenario
    let layout: Layout
    let schedule: ParameterSchedule
    /// K[g](t0) for each knowledge slot.
    let initialKnowledge: [Double]
    /// Group and state index of each knowledge slot; region, state index and ceiling of each adoption slot.
    private let knowledgeStocks: [(group: Int, index: Int)]
    private let adoptionLevels: [(region: Int, index: Int, ceiling: Double)]
    let reportingTimes: [Double]

    // Scratch reused by every right-hand-side evaluation.
    private let parameters: ParameterState
    private let choice: ChoiceModel
    private let capability: UnsafeMutableBufferPointer<Double>
    /// Per knowledge slot: K/K0, then its log.
    private let knowledgeLogs: UnsafeMutableBufferPointer<Double>
    /// Per (r, s): γ = ln(1 + g).
    private let growthRates: UnsafeMutableBufferPointer<Double>
    /// Per (r, s, g): the share S, and ln S.
    private let shares: UnsafeMutableBufferPointer<Double>
    private let logShares: UnsafeMutableBufferPointer<Double>
    private let groupTotals: UnsafeMutableBufferPointer<Double>
    /// Per (r, s, g): whether the network term takes ln(share_floor) rather than ln(share). The integration keeps
    /// it fixed through each step and switches it where the share crosses the floor, so that max(S, floor) — a
    /// kink — never falls inside a step.
    private let flooredShares: UnsafeMutableBufferPointer<Bool>
    private let logShareFloor: Double
    /// The (r, s, g) cells whose share crosses the floor at the switch the driver last stopped at.
    private var floorCrossings: [Int] = []
    private let floorDistances: UnsafeMutableBufferPointer<Double>
    private let recorder: SnapshotRecorder
    /// Per group: dX/dt of the two classes of a pair.
    private let changes: UnsafeMutablePointer<SIMD2<Double>>
    /// ln p[g,s] by (g, s): prices change only with price levers, not at every evaluation.
    private let logPrice: Memo

    public init(scenario: Scenario) {
        self.scenario = scenario
        let layout = Layout(scenario)
        self.layout = layout
        schedule = ParameterSchedule(scenario, layout: layout)
        let delta = scenario.model.depreciation
        initialKnowledge = scenario.groups.compactMap { group in
            group.investment.map { $0.level / (delta + log1p($0.growth)) }
        }
        knowledgeStocks = layout.knowledgeSlot.enumerated().compactMap { g, slot in
            slot.map { (group: g, index: layout.knowledgeIndex($0)) }
        }
        adoptionLevels = zip(scenario.regions, layout.adoptionSlot).enumerated().compactMap { r, region in
            guard let slot = region.1, let adoption = region.0.adoption else { return nil }
            return (region: r, index: layout.adoptionIndex(slot), ceiling: adoption.ceiling)
        }
        reportingTimes = scenario.horizon.reportingTimes
        parameters = ParameterState(schedule.base)
        choice = ChoiceModel(
            sovereignty: scenario.groups.map(\.sovereignty), regions: layout.regions, segments: layout.segments, classes: layout.classes,
            classInputsFollowFirstRegion: schedule.classInputsFollowFirstRegion)
        capability = .filled(layout.groups, with: .zero)
        knowledgeLogs = .filled(knowledgeStocks.count, with: .zero)
        growthRates = .filled(layout.regions * layout.segments, with: .zero)
        shares = .filled(layout.regions * layout.segments * layout.groups, with: .zero)
        logShares = .filled(layout.regions * layout.segments * layout.groups, with: .zero)
        groupTotals = .filled(layout.groups, with: .zero)
        flooredShares = .filled(layout.regions * layout.segments * layout.groups, with: false)
        logShareFloor = log(scenario.model.shareFloor)
        floorDistances = .filled(4 * layout.groups, with: .zero)
        recorder = SnapshotRecorder(layout: layout, origins: scenario.groups.map(\.origin))
        changes = .filled(layout.groups, with: .zero)
        logPrice = Memo(slots: layout.groups * layout.segments)
    }

    deinit {
        for buffer in [capability, knowledgeLogs, growthRates, shares, logShares, groupTotals, floorDistances] { buffer.deallocate() }
        flooredShares.deallocate()
        changes.deallocate()
    }

    /// `X = size·mix·share0`, `K = I0/(δ + ln(1+ι))`, `A = initial`.
    func initialState() -> [Double] {
        var y = Array(repeating: 0.0, count: layout.stateCount)
        for (r, region) in scenario.regions.enumerated() {
            for s in 0..<layout.segments {
                for c in 0..<layout.classes {
                    let base = layout.revenueBase(r, s, c)
                    for g in 0..<layout.groups {
                        y[base + g] = region.markets[s].size * region.classMix[c] * region.initialShares[s][g]
                    }
                }
            }
            if let slot = layout.adoptionSlot[r], let adoption = region.adoption {
                y[layout.adoptionIndex(slot)] = adoption.initial
            }
        }
        for (slot, k0) in initialKnowledge.enumerated() { y[layout.knowledgeIndex(slot)] = k0 }
        return y
    }

    /// Integrates the horizon, stopping and restarting the driver at every breakpoint and reporting time.
    public func run() throws -> Trajectory {
        var evaluations = 0
        let snapshots = try snapshots(at: reportingTimes, evaluations: &evaluations)
        return Trajectory(scenario: scenario, snapshots: snapshots, rightHandSideEvaluations: evaluations)
    }

    /// The reported variables at each of `times` (ascending, inside the horizon; any time, not only reporting
    /// times — a calibration samples data at quarter mid-points). The driver stops at each of them as at breakpoints,
    /// and also at `alsoStoppingAt` (up to the last of `times`) without reporting there: stopping where a full run
    /// stops gives the full run's numbers.
    public func snapshots(at times: [Double], alsoStoppingAt extraStops: [Double] = []) throws -> [Snapshot] {
        var evaluations = 0
        return try snapshots(at: times, alsoStoppingAt: extraStops, evaluations: &evaluations)
    }

    private func snapshots(at times: [Double], alsoStoppingAt extraStops: [Double] = [], evaluations: inout Int) throws -> [Snapshot] {
        let t0 = scenario.horizon.start
        precondition(
            zip(times, times.dropFirst()).allSatisfy { $0 <= $1 } && times.allSatisfy { $0 >= t0 && $0 <= reportingTimes.last! },
            "sample times must be ascending and inside the horizon")
        guard let t1 = times.last else { return [] }
        let solver = scenario.solver
        // Behind a pointer, not in a captured `var`: that would be boxed, with an exclusivity check at every read.
        let regime = UnsafeMutablePointer<Double>.filled(1, with: t0)
        defer { regime.deallocate() }
        // The driver, and with it this closure, lives only as long as this call: capturing `self` makes no cycle.
        let driver = try ODEDriver(
            dimension: layout.stateCount, method: solver.method, absoluteTolerance: solver.absoluteTolerance,
            relativeTolerance: solver.relativeTolerance, initialStep: solver.initialStep
        ) { t, y, dydt in
            try self.derivatives(t: t, y: y, into: dydt, regime: regime.pointee)
        }
        let stops = Set(times + (schedule.breakpoints + extraStops).filter { $0 > t0 && $0 < t1 }).filter { $0 > t0 }.sorted()
        var y = initialState()
        var t = t0
        lockFlooredShares(y)
        var snapshots: [Snapshot] = []
        snapshots.reserveCapacity(times.count)
        var next = 0
        while next < times.count, times[next] == t0 {
            snapshots.append(try snapshot(at: t0, y))
            next += 1
        }
        for stop in stops {
            regime.pointee = (t + stop) / 2
            do {
                while try driver.advance(&y, time: &t, to: stop, locatingSwitches: firstFloorCrossing) {
                    flipFloorCrossings()
                    try driver.reset()
                }
            } catch let error as GSLError {
                throw SimulationError.solver(error)
            }
            guard y.allSatisfy(\.isFinite) else { throw SimulationError.nonFinite(time: t) }
            try driver.reset()
            while next < times.count, times[next] == stop {
                snapshots.append(try snapshot(at: stop, y))
                next += 1
            }
        }
        evaluations = driver.evaluations
        return snapshots
    }

    /// Adds `η·ln(max(S, floor))` to the choice's utilities of every market, which `computeBaseUtility` left at
    /// `A + C − β·ln p`; with `lockedFloors`, whether S counts as under the floor is `flooredShares`' answer, not the
    /// share's.
    private func computeUtilities(y: UnsafeBufferPointer<Double>, lockedFloors: Bool) {
        let (eta, floor, logFloor) = (scenario.model.networkEffect, scenario.model.shareFloor, logShareFloor)
        guard eta != 0 else { return }
        let (groups, cells) = (layout.groups, shares.count)
        // Plain pointers and wrapping index arithmetic: these loops run at every evaluation.
        let (shares, logShares, floored) = (shares.baseAddress!, logShares.baseAddress!, flooredShares.baseAddress!)
        for r in 0..<layout.regions {
            for s in 0..<layout.segments {
                let market = shares + layout.regionSegment(r, s) &* groups
                let total = sumClasses(r: r, s: s, of: y, into: market)
                let inverseTotal = total > 0 ? 1 / total : 0
                for g in 0..<groups { market[g] *= inverseTotal }
            }
        }
        // Within a step an unfloored share may dip under the floor; never to 0, but ln must stay finite.
        for cell in 0..<cells { logShares[cell] = max(shares[cell], .leastNormalMagnitude) }
        cm_log_all(logShares, logShares, cells)
        let utilities = choice.utility(r: 0, s: 0)  // every market's, one after the other
        for cell in 0..<cells {
            let underFloor = lockedFloors ? floored[cell] : shares[cell] < floor
            utilities[cell] += eta * (underFloor ? logFloor : logShares[cell])
        }
    }

    /// `Σc X[r,s,c,g] − floor·Σc,h X[r,s,c,h]` of each group g of market (r, s), into `distances`: negative exactly when
    /// g's share is under the floor. Linear in X, so it also gives its own rate from the state's.
    private func distancesToFloor(
        r: Int, s: Int, of y: UnsafeBufferPointer<Double>, into distances: UnsafeMutableBufferPointer<Double>
    ) {
        let floorRevenue = scenario.model.shareFloor * sumClasses(r: r, s: s, of: y, into: distances.baseAddress!)
        for g in 0..<layout.groups { distances[g] -= floorRevenue }
    }

    /// Σc X[r,s,c,g] of each group g of market (r, s) into `totals`; returns the market's total.
    @inline(__always)
    private func sumClasses(r: Int, s: Int, of y: UnsafeBufferPointer<Double>, into totals: UnsafeMutablePointer<Double>) -> Double {
        let (groups, classes) = (layout.groups, layout.classes)
        let revenue = y.baseAddress! + layout.revenueBase(r, s, 0)
        // Two groups at a time, each summed over c in order; an odd last group alone. Rows are walked by pointer.
        var g = 0
        while g &+ 1 < groups {
            var (pair, row) = (SIMD2(revenue[g], revenue[g &+ 1]), revenue + g)
            for _ in 1..<classes {
                row += groups
                pair += SIMD2(row[0], row[1])
            }
            (totals[g], totals[g &+ 1]) = (pair[0], pair[1])
            g &+= 2
        }
        if g < groups {
            var (last, row) = (revenue[g], revenue + g)
            for _ in 1..<classes {
                row += groups
                last += row[0]
            }
            totals[g] = last
        }
        var market = 0.0
        for g in 0..<groups { market += totals[g] }
        return market
    }

    /// Sets `flooredShares` from the state: the exact max(S, floor).
    private func lockFlooredShares(_ y: [Double]) {
        y.withUnsafeBufferPointer { y in
            for r in 0..<layout.regions {
                for s in 0..<layout.segments {
                    let floored = flooredShares.baseAddress! + layout.regionSegment(r, s) * layout.groups
                    distancesToFloor(r: r, s: s, of: y, into: groupTotals)
                    for g in 0..<layout.groups { floored[g] = groupTotals[g] < 0 }
                }
            }
        }
    }

    /// The first moment in `step` at which a share crossed the floor against its lock, found on the step's
    /// interpolant of `distancesToFloor` with Brent's method; nil when none did. Remembers the cells crossing then.
    private func firstFloorCrossing(in step: ODEStep) throws -> Double? {
        guard scenario.model.networkEffect != 0 else { return nil }
        let groups = layout.groups
        // Distances at the end of the step, then, for a market where a share crossed, at its start and their rates.
        let (end, start, startRate, endRate) = (
            floorDistances.extracting(0..<groups), floorDistances.extracting(groups..<(2 * groups)),
            floorDistances.extracting((2 * groups)..<(3 * groups)), floorDistances.extracting((3 * groups)..<(4 * groups))
        )
        var first: Double?
        for r in 0..<layout.regions {
            for s in 0..<layout.segments {
                let rs = layout.regionSegment(r, s) * groups
                distancesToFloor(r: r, s: s, of: step.endState, into: end)
                var crossedHere = false
                for g in 0..<groups where flooredShares[rs + g] != (end[g] < 0) {
                    if !crossedHere {
                        distancesToFloor(r: r, s: s, of: step.startState, into: start)
                        distancesToFloor(r: r, s: s, of: step.startRate, into: startRate)
                        distancesToFloor(r: r, s: s, of: step.endRate, into: endRate)
                        crossedHere = true
                    }
                    var moment = step.start  // when the share was already across at the start of the step
                    if (start[g] < 0) != (end[g] < 0) {
                        let fraction = try RootFinder.brent(in: 0, 1) {
                            step.interpolate(from: start[g], to: end[g], rates: startRate[g], endRate[g], at: $0)
                        }
                        moment += fraction.x * (step.end - step.start)
                    }
                    if first == nil || moment < first! {
                        (first, floorCrossings) = (moment, [rs + g])
                    } else if moment == first {
                        floorCrossings.append(rs + g)
                    }
                }
            }
        }
        return first
    }

    private func flipFloorCrossings() {
        for cell in floorCrossings { flooredShares[cell].toggle() }
        floorCrossings.removeAll(keepingCapacity: true)
    }

    /// C = θ·ln(K/K0) of every group, then the utilities `A + C − β·ln p` of every market, the same in every region.
    private func computeBaseUtility(y: UnsafeBufferPointer<Double>) {
        let theta = scenario.model.capabilityElasticity
        for (slot, stock) in knowledgeStocks.enumerated() { knowledgeLogs[slot] = y[stock.index] / initialKnowledge[slot] }
        cm_log_all(knowledgeLogs.baseAddress!, knowledgeLogs.baseAddress!, knowledgeLogs.count)
        for (slot, stock) in knowledgeStocks.enumerated() { capability[stock.group] = theta * knowledgeLogs[slot] }
        let beta = scenario.model.priceSensitivity
        let (appeal, price, capability) = (parameters.appeal, parameters.price, capability)
        for s in 0..<layout.segments {
            let utility = choice.utility(r: 0, s: s)
            for g in 0..<layout.groups {
                let gs = layout.groupSegment(g, s)
                utility[g] = appeal[gs] + capability[g] - beta * logPrice(gs, price[gs], log)
            }
        }
        let firstRegion = choice.utility(r: 0, s: 0)
        for r in stride(from: 1, to: layout.regions, by: 1) {
            choice.utility(r: r, s: 0).update(from: firstRegion, count: layout.segments * layout.groups)
        }
    }

    /// γ = ln(1 + g) of every market into `growthRates`, or a thrown error when a growth has reached −1.
    private func computeGrowthRates(at t: Double) throws {
        for r in 0..<layout.regions {
            for s in 0..<layout.segments {
                let growth = parameters.growth[layout.regionSegment(r, s)]
                guard growth > -1 else {
                    throw SimulationError.growthAtOrBelowMinusOne(
                        region: scenario.regions[r].id, segment: scenario.segments[s], time: t, growth: growth)
                }
            }
        }
        cm_log1p_all(parameters.growth.baseAddress!, growthRates.baseAddress!, growthRates.count)
    }

    /// Readies the logit choice of every (region, segment) market with the parameters in force, and hands each market
    /// to `body` with its continuous growth γ while `choice` can `choose` there.
    @inline(__always)
    private func forEachMarket(
        at t: Double, y: UnsafeBufferPointer<Double>, lockedFloors: Bool, _ body: (_ r: Int, _ s: Int, _ gamma: Double) throws -> Void
    ) throws {
        try computeGrowthRates(at: t)
        computeBaseUtility(y: y)
        computeUtilities(y: y, lockedFloors: lockedFloors)
        choice.setClasses(parameters)
        choice.setMarkets(available: parameters.available)
        for r in 0..<layout.regions {
            for s in 0..<layout.segments { try body(r, s, growthRates[layout.regionSegment(r, s)]) }
        }
    }

    func derivatives(t: Double, y: UnsafeBufferPointer<Double>, into dydt: UnsafeMutableBufferPointer<Double>, regime: Double) throws {
        schedule.evaluate(into: parameters, at: t, regime: regime)
        let (groups, classes, choice, changes) = (layout.groups, layout.classes, choice, changes)
        let (x, dx, churns) = (y.baseAddress!, dydt.baseAddress!, parameters.churn.baseAddress!)
        try forEachMarket(at: t, y: y, lockedFloors: true) { r, s, gamma in
            // The market's classes are consecutive in the state.
            let first = layout.revenueBase(r, s, 0)
            let (revenues, rates, regionChurns) = (x + first, dx + first, churns + r * classes)
            choice.choose(r: r, s: s, installed: revenues, parameters: parameters) { pair, choice in
                // A lone last class fills both lanes: its second lane rewrites the same numbers.
                let (revenue, rate) = (
                    (revenues + pair.firstRow, revenues + pair.secondRow), (rates + pair.firstRow, rates + pair.secondRow)
                )
                let churn = SIMD2(regionChurns[pair.first], regionChurns[pair.second])
                let flow = (max(gamma, 0) + churn) * choice.installed
                let lost = churn + max(-gamma, 0)
                for g in 0..<groups {
                    // Through `changes`: stored whole, the two classes' changes are computed together (taken straight
                    // lane by lane, the compiler would compute them one at a time).
                    changes[g] = flow * choice.probability(g) - lost * SIMD2(revenue.0[g], revenue.1[g])
                    let change = changes[g]
                    (rate.0[g], rate.1[g]) = (change[0], change[1])
                }
            }
        }
        let delta = scenario.model.depreciation
        for (g, k) in knowledgeStocks {
            dydt[k] = parameters.investment[g] - delta * y[k]
        }
        for (r, i, ceiling) in adoptionLevels {
            dydt[i] = (parameters.bassP[r] + parameters.bassQ[r] * y[i]) * (ceiling - y[i])
        }
    }

    /// The reported variables of DESIGN §1.6 at time t, with the parameters in force at t.
    private func snapshot(at t: Double, _ state: [Double]) throws -> Snapshot {
        schedule.evaluate(into: parameters, at: t, regime: t)
        recorder.start(time: t)
        try state.withUnsafeBufferPointer { y in
            try forEachMarket(at: t, y: y, lockedFloors: false) { r, s, gamma in
                choice.choose(r: r, s: s, installed: y.baseAddress! + layout.revenueBase(r, s, 0), parameters: parameters) { pair, choice in
                    for lane in 0..<pair.distinctLanes {
                        let base = layout.revenueBase(r, s, pair[lane])
                        let rc = layout.regionClass(r, pair[lane])
                        recorder.addCell(
                            r: r, s: s, revenues: y.baseAddress! + base, contested: max(gamma, 0) + parameters.churn[rc],
                            growth: parameters.growth[layout.regionSegment(r, s)], gamma: gamma, choice: choice, lane: lane,
                            sensitive: parameters.sensitive[rc], mandate: parameters.mandate[rc],
                            qualified: parameters.qualified)
                    }
                }
            }
            for (g, k) in knowledgeStocks {
                recorder.setGroup(g, capability: capability[g], investment: parameters.investment[g], knowledgeStock: y[k])
            }
            for (r, i, _) in adoptionLevels { recorder.setAdoption(r, y[i]) }
        }
        return recorder.finish()
    }
}
