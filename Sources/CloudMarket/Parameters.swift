import Foundation

/// Every quantity that levers or time can change (DESIGN §1.3), as plain arrays: the values before any lever.
struct ParameterValues {
    /// Per (r, c).
    var mandate: [Double]
    var sensitive: [Double]
    var churn: [Double]
    var sovereigntyPreference: [Double]
    var sensitivePreference: [Double]
    /// Per g.
    var qualified: [Double]
    var investment: [Double]
    var available: [Bool]
    /// Per (r, c, g).
    var procurementBonus: [Double]
    /// Per (r, s): annual growth rate.
    var growth: [Double]
    /// Per (g, s).
    var price: [Double]
    var appeal: [Double]
    /// Per r: Bass coefficients.
    var bassP: [Double]
    var bassQ: [Double]
}

/// The same quantities evaluated at one moment, in buffers allocated once and overwritten by every
/// right-hand-side evaluation: the hot loop then pays no reference counting, copy-on-write or
/// exclusivity checks.
final class ParameterState {
    /// Every `Double` quantity in one allocation, of which the fields below are slices, so that `reset` is one copy.
    private let storage: UnsafeMutableBufferPointer<Double>
    /// The lever-free values of `storage`.
    private let leverFree: UnsafeMutableBufferPointer<Double>
    let mandate: UnsafeMutableBufferPointer<Double>
    let sensitive: UnsafeMutableBufferPointer<Double>
    let churn: UnsafeMutableBufferPointer<Double>
    let sovereigntyPreference: UnsafeMutableBufferPointer<Double>
    let sensitivePreference: UnsafeMutableBufferPointer<Double>
    let qualified: UnsafeMutableBufferPointer<Double>
    let investment: UnsafeMutableBufferPointer<Double>
    let procurementBonus: UnsafeMutableBufferPointer<Double>
    let growth: UnsafeMutableBufferPointer<Double>
    let price: UnsafeMutableBufferPointer<Double>
    let appeal: UnsafeMutableBufferPointer<Double>
    let bassP: UnsafeMutableBufferPointer<Double>
    let bassQ: UnsafeMutableBufferPointer<Double>
    let available: UnsafeMutableBufferPointer<Bool>

    init(_ v: ParameterValues) {
        let fields = [
            v.mandate, v.sensitive, v.churn, v.sovereigntyPreference, v.sensitivePreference, v.qualified, v.investment,
            v.procurementBonus, v.growth, v.price, v.appeal, v.bassP, v.bassQ,
        ]
        let storage = UnsafeMutableBufferPointer<Double>.copy(fields.flatMap { $0 })
        var start = 0
        var slices = fields.map { field in
            defer { start += field.count }
            return UnsafeMutableBufferPointer(rebasing: storage[start..<(start + field.count)])
        }.makeIterator()
        mandate = slices.next()!
        sensitive = slices.next()!
        churn = slices.next()!
        sovereigntyPreference = slices.next()!
        sensitivePreference = slices.next()!
        qualified = slices.next()!
        investment = slices.next()!
        procurementBonus = slices.next()!
        growth = slices.next()!
        price = slices.next()!
        appeal = slices.next()!
        bassP = slices.next()!
        bassQ = slices.next()!
        self.storage = storage
        leverFree = .copy(Array(storage))
        available = .copy(v.available)
    }

    /// Puts back the lever-free values (`ParameterSchedule.evaluate` then overwrites growth, investment and availability).
    func reset() {
        _ = storage.update(fromContentsOf: leverFree)
    }

    /// A copy in plain arrays, safe to keep after this state is gone.
    var values: ParameterValues {
        ParameterValues(
            mandate: Array(mandate), sensitive: Array(sensitive), churn: Array(churn),
            sovereigntyPreference: Array(sovereigntyPreference), sensitivePreference: Array(sensitivePreference),
            qualified: Array(qualified), investment: Array(investment), available: Array(available),
            procurementBonus: Array(procurementBonus), growth: Array(growth), price: Array(price), appeal: Array(appeal),
            bassP: Array(bassP), bassQ: Array(bassQ))
    }

    deinit {
        storage.deallocate()
        leverFree.deallocate()
        available.deallocate()
    }
}

extension UnsafeMutableBufferPointer {
    /// A new buffer holding a copy of `values`; the caller deallocates it.
    static func copy(_ values: [Element]) -> Self {
        let buffer = allocate(capacity: values.count)
        _ = buffer.initialize(from: values)
        return buffer
    }

    /// A new buffer of `count` copies of `value`; the caller deallocates it.
    static func filled(_ count: Int, with value: Element) -> Self {
        let buffer = allocate(capacity: count)
        buffer.initialize(repeating: value)
        return buffer
    }
}

extension UnsafeMutablePointer {
    /// A new allocation of `count` copies of `value`; the caller deallocates it. Unlike a buffer's `baseAddress`, the
    /// pointer needs no unwrapping where it is used.
    static func filled(_ count: Int, with value: Pointee) -> Self {
        let pointer = allocate(capacity: count)
        pointer.initialize(repeating: value, count: count)
        return pointer
    }
}

/// A lever with its filters resolved to the flat indices of the cells it acts on.
final class CompiledLever {
    let lever: Lever
    /// (r, c) cells, (r, s) cells, (g, s) cells, (r, c, g) cells, groups or regions, as the kind needs.
    let cells: [Int]
    /// Funding only: (group, normalised weight).
    let fundingWeights: [(group: Int, weight: Double)]

    init(_ lever: Lever, in scenario: Scenario, layout: Layout) {
        self.lever = lever
        let f = lever.filter
        let regions = scenario.regions.indices.filter { f.regions?.contains(scenario.regions[$0].id) ?? true }
        let segments = scenario.segments.indices.filter { f.segments?.contains(scenario.segments[$0]) ?? true }
        let classes = scenario.classes.indices.filter { f.classes?.contains(scenario.classes[$0].id) ?? true }
        let groups = scenario.groups.indices.filter { g in
            (f.groups?.contains(scenario.groups[g].id) ?? true) && (f.origins?.contains(scenario.groups[g].origin) ?? true)
        }
        var weights: [(group: Int, weight: Double)] = []
        switch lever.kind {
        case .mandate, .sensitiveScope, .portability, .trustShock:
            cells = regions.flatMap { r in classes.map { c in layout.regionClass(r, c) } }
        case .qualification:
            cells = groups
        case .procurement:
            cells = regions.flatMap { r in classes.flatMap { c in groups.map { g in layout.regionClassGroup(r, c, g) } } }
        case .demand:
            cells = regions.flatMap { r in segments.map { s in layout.regionSegment(r, s) } }
        case .price, .appeal:
            cells = groups.flatMap { g in segments.map { s in layout.groupSegment(g, s) } }
        case .adoption:
            cells = regions
        case .funding(_, _, _, let split):
            cells = groups
            let raw = groups.map { g in split.map { $0[scenario.groups[g].id] ?? 0 } ?? 1 }
            let total = raw.reduce(0, +)
            weights = zip(groups, raw).filter { $0.1 > 0 }.map { (group: $0.0, weight: $0.1 / total) }
        }
        fundingWeights = weights
    }

    /// Moments where this lever switches on, stops ramping, switches off.
    var breakpoints: [Double] {
        switch lever.kind {
        case .funding(_, let years, _, _): [lever.start, lever.start + years]
        case .trustShock: [lever.start]
        default: [lever.start, lever.start + lever.ramp] + (lever.end.map { [$0] } ?? [])
        }
    }

    /// ρ at time `t`, with on/off decided at `regime`.
    ///
    /// Integration passes the midpoint of the interval between two breakpoints as `regime`, so a step
    /// that starts exactly at the interval's end does not leak into the last solver step; reporting
    /// passes `t` itself, so a step starting exactly then counts (DESIGN §1.6).
    @inline(__always) func ramp(at t: Double, regime: Double) -> Double {
        if regime < lever.start { return 0 }
        if let end = lever.end, regime >= end { return 0 }
        return lever.ramp > 0 ? min(1, max(0, (t - lever.start) / lever.ramp)) : 1
    }

    /// Inlined into `ParameterSchedule.evaluate`, which otherwise retains and releases every lever around the call.
    @inline(__always) func apply(to p: ParameterState, at t: Double, regime: Double) {
        switch lever.kind {
        case .funding(let amount, let years, let leverage, _):
            guard regime >= lever.start, regime < lever.start + years else { return }
            for (g, w) in fundingWeights { p.investment[g] += amount * (1 + leverage) * w / years }
            return
        case .trustShock(let magnitude, let halfLife):
            guard regime >= lever.start else { return }
            let factor = 1 + magnitude * exp2(-(t - lever.start) / halfLife)
            for i in cells {
                p.sovereigntyPreference[i] *= factor
                p.sensitivePreference[i] *= factor
            }
            return
        default:
            break
        }
        let rho = ramp(at: t, regime: regime)
        guard rho > 0 else { return }
        switch lever.kind {
        case .mandate(let level): for i in cells { p.mandate[i] += (level - p.mandate[i]) * rho }
        case .qualification(let level): for i in cells { p.qualified[i] += (level - p.qualified[i]) * rho }
        case .sensitiveScope(let level): for i in cells { p.sensitive[i] += (level - p.sensitive[i]) * rho }
        case .portability(let k): for i in cells { p.churn[i] *= 1 + (k - 1) * rho }
        case .procurement(let bonus): for i in cells { p.procurementBonus[i] += bonus * rho }
        case .demand(let extra): for i in cells { p.growth[i] += extra * rho }
        case .price(let factor): for i in cells { p.price[i] *= 1 + (factor - 1) * rho }
        case .appeal(let delta): for i in cells { p.appeal[i] += delta * rho }
        case .adoption(let pFactor, let qFactor):
            for r in cells {
                p.bassP[r] *= 1 + (pFactor - 1) * rho
                p.bassQ[r] *= 1 + (qFactor - 1) * rho
            }
        case .funding, .trustShock: break
        }
    }
}

/// The scenario's parameters before any lever, and the levers, ready to be evaluated at any time.
struct ParameterSchedule {
    let start: Double
    let base: ParameterValues
    /// Per (r, s): the growth law.
    let growthLaws: [Growth]
    /// Per g: (I0, ι) or nil.
    let investmentLaws: [Investment?]
    let availableFrom: [Double?]
    let levers: [CompiledLever]
    /// Per region: whether its classes' sovereignty preferences and procurement bonuses always equal the first
    /// region's (the same lever-free values, and every lever that changes them covering both regions or neither), so
    /// that their class factors are the first region's too.
    let classInputsFollowFirstRegion: [Bool]

    init(_ scenario: Scenario, layout: Layout) {
        start = scenario.horizon.start
        let classes = scenario.classes
        let perRegionClass = { (value: (CustomerClass) -> Double) in
            scenario.regions.flatMap { _ in classes.map(value) }
        }
        base = ParameterValues(
            mandate: perRegionClass(\.mandate),
            sensitive: perRegionClass(\.sensitive),
            churn: perRegionClass(\.churn),
            sovereigntyPreference: perRegionClass(\.sovereigntyPreference),
            sensitivePreference: perRegionClass(\.sensitivePreference),
            qualified: scenario.groups.map(\.qualified),
            investment: Array(repeating: 0, count: layout.groups),
            available: Array(repeating: true, count: layout.groups),
            procurementBonus: Array(repeating: 0, count: layout.regions * layout.classes * layout.groups),
            growth: Array(repeating: 0, count: layout.regions * layout.segments),
            price: scenario.groups.flatMap(\.price),
            appeal: scenario.groups.flatMap(\.appeal),
            bassP: scenario.regions.map { $0.adoption?.p ?? 0 },
            bassQ: scenario.regions.map { $0.adoption?.q ?? 0 })
        growthLaws = scenario.regions.flatMap { $0.markets.map(\.growth) }
        investmentLaws = scenario.groups.map(\.investment)
        availableFrom = scenario.groups.map(\.availableFrom)
        levers = scenario.levers.map { CompiledLever($0, in: scenario, layout: layout) }
        classInputsFollowFirstRegion = Self.classInputsFollowFirstRegion(base: base, levers: levers, layout: layout)
    }

    private static func classInputsFollowFirstRegion(base: ParameterValues, levers: [CompiledLever], layout: Layout) -> [Bool] {
        let rowOfClasses = layout.classes
        let rowOfClassGroups = layout.classes * layout.groups
        // Each input as a row of `width` values per region, and the cells of the levers that change each kind of row.
        let inputs = [
            (base.sovereigntyPreference, rowOfClasses), (base.sensitivePreference, rowOfClasses), (base.procurementBonus, rowOfClassGroups),
        ]
        let changes: [(cells: Set<Int>, width: Int)] = levers.compactMap { compiled in
            switch compiled.lever.kind {
            case .trustShock: (Set(compiled.cells), rowOfClasses)
            case .procurement: (Set(compiled.cells), rowOfClassGroups)
            default: nil
            }
        }
        return (0..<layout.regions).map { r in
            let sameValues = inputs.allSatisfy { values, width in
                (0..<width).allSatisfy { values[r * width + $0].bitPattern == values[$0].bitPattern }
            }
            let sameLevers = changes.allSatisfy { cells, width in
                (0..<width).allSatisfy { cells.contains(r * width + $0) == cells.contains($0) }
            }
            return sameValues && sameLevers
        }
    }

    /// Fills `p` with the values in force at `t` (on/off switches decided at `regime`; see `CompiledLever.ramp`).
    func evaluate(into p: ParameterState, at t: Double, regime: Double) {
        p.reset()
        let elapsed = t - start
        // A law with the previous law's half-life, or a group with the previous group's investment growth,
        // reuses its exp2 or pow: the costliest calls here, and the same in most scenarios.
        var halfLife = Double.nan
        var decay = Double.nan
        for (i, law) in growthLaws.enumerated() {
            if let longRun = law.longRun, let h = law.halfLife {
                if h.bitPattern != halfLife.bitPattern {
                    halfLife = h
                    decay = exp2(-elapsed / h)
                }
                p.growth[i] = longRun + (law.rate - longRun) * decay
            } else {
                p.growth[i] = law.rate
            }
        }
        var rate = Double.nan
        var compounded = Double.nan
        for (g, law) in investmentLaws.enumerated() {
            if let law, law.growth.bitPattern != rate.bitPattern {
                rate = law.growth
                compounded = pow(1 + rate, elapsed)
            }
            p.investment[g] = law.map { $0.level * compounded } ?? 0
            p.available[g] = availableFrom[g].map { regime >= $0 } ?? true
        }
        for lever in levers { lever.apply(to: p, at: t, regime: regime) }
    }

    /// Every time inside (t0, t1) where a parameter jumps or changes its law.
    var breakpoints: [Double] {
        levers.flatMap(\.breakpoints) + availableFrom.compactMap { $0 }
    }
}
