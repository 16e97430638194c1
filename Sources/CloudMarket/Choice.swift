import Foundation
import VectorMath

/// The multinomial logit of DESIGN §1.4, with scratch buffers allocated once per simulation.
///
/// `exp(V + F − max)` factors as `exp(V − max V) · exp(F − max F)`, where V, the market utility, depends on
/// (region, segment) and F = B + w·sov, the procurement bonus and sovereignty terms, on (region, class). Each factor
/// is computed once for the cells that share it, so a cell's softmax costs multiplications instead of exponentials.
///
/// Classes are chosen two at a time, as the lanes of `SIMD2` values (`ClassPair`): each lane does the arithmetic its
/// class alone would, so the numbers do not depend on the pairing, and the loops over groups run half as often.
final class ChoiceModel {
    let groups: Int
    let regions: Int
    let segments: Int
    let classes: Int
    let sovereignty: UnsafeMutableBufferPointer<Double>
    /// Per group: the first group of the same sovereignty, whose class factors it shares when their bonuses agree.
    private let sovereigntyTwin: UnsafeMutableBufferPointer<Int>
    /// The classes, two by two.
    private let classPairs: UnsafeMutableBufferPointer<ClassPair>
    /// Per (r, s, g): the market utility V without class terms; the caller fills them before `setMarkets`.
    private let utilities: UnsafeMutablePointer<Double>
    /// Per (r, s, g): exp(V − max V), or exp(0) for a group outside the choice set, whose class factors are 0 (a product
    /// of 0 either way, without selecting); valid after `setMarkets`.
    private let marketWeights: UnsafeMutablePointer<Double>
    /// Per region: the region whose class terms and factors it uses, itself or the first.
    private let classRegion: UnsafeMutableBufferPointer<Int>
    /// Per (r, class pair, g): F = B + w·sov, and exp(F − max F) (0 outside the choice set); valid after `setClasses`.
    private let classTerms: UnsafeMutablePointer<Pools>
    private let classWeights: UnsafeMutablePointer<Pools>
    /// Per (r, class pair): the sensitive shares; valid after `setClasses`.
    private let classShares: UnsafeMutablePointer<SensitiveShares>
    /// Per group: q, the qualified share of its offer, in both lanes; valid after `setClasses`.
    private let qualified: UnsafeMutablePointer<SIMD2<Double>>
    /// Per group: the exponentials of the class pair whose choice `choose` is handing out.
    private let pools: UnsafeMutablePointer<Pools>

    /// `classInputsFollowFirstRegion`: per region, whether its class factors are always the first region's.
    init(sovereignty: [Double], regions: Int, segments: Int, classes: Int, classInputsFollowFirstRegion: [Bool]) {
        groups = sovereignty.count
        self.regions = regions
        self.segments = segments
        self.classes = classes
        self.sovereignty = .copy(sovereignty)
        sovereigntyTwin = .copy(sovereignty.map { s in sovereignty.firstIndex { $0.bitPattern == s.bitPattern }! })
        classPairs = .copy((0..<((classes + 1) / 2)).map { ClassPair($0, classes: classes, groups: sovereignty.count) })
        utilities = .filled(regions * segments * groups, with: .zero)
        marketWeights = .filled(regions * segments * groups, with: .zero)
        classRegion = .copy(classInputsFollowFirstRegion.enumerated().map { r, followsFirst in followsFirst ? 0 : r })
        classTerms = .filled(regions * classPairs.count * groups, with: .zero)
        classWeights = .filled(regions * classPairs.count * groups, with: .zero)
        classShares = .filled(regions * classPairs.count, with: SensitiveShares(sensitive: .zero, mandate: .zero))
        qualified = .filled(groups, with: .zero)
        pools = .filled(groups, with: .zero)
    }

    deinit {
        sovereignty.deallocate()
        sovereigntyTwin.deallocate()
        classPairs.deallocate()
        utilities.deallocate()
        marketWeights.deallocate()
        classRegion.deallocate()
        classTerms.deallocate()
        classWeights.deallocate()
        classShares.deallocate()
        qualified.deallocate()
        pools.deallocate()
    }

    /// The class factors and sensitive shares of every (region, class) from the parameters in force; once per
    /// evaluation, before `choose`.
    func setClasses(_ p: ParameterState) {
        for g in 0..<groups { qualified[g] = SIMD2(repeating: p.qualified[g]) }
        for r in 0..<regions {
            let regionStart = r * classes  // of region r's classes in per-(r, c) values
            for (k, pair) in classPairs.enumerated() {
                classShares[r * classPairs.count + k] = SensitiveShares(
                    sensitive: pair.lanes(p.sensitive, from: regionStart), mandate: pair.lanes(p.mandate, from: regionStart))
                if classRegion[r] == r { setClassFactors(r: r, k: k, p) }
            }
        }
    }

    /// The class terms and factors of pair k in region r.
    private func setClassFactors(r: Int, k: Int, _ p: ParameterState) {
        let (groups, sovereignty, sovereigntyTwin, available) = (groups, sovereignty, sovereigntyTwin, p.available)
        let pair = classPairs[k]
        let regionStart = r * classes
        let freeWeights = pair.lanes(p.sovereigntyPreference, from: regionStart)
        let weights = Pools(free: freeWeights, sensitive: freeWeights + pair.lanes(p.sensitivePreference, from: regionStart))
        let bonus = p.procurementBonus.baseAddress! + regionStart * groups
        let bonuses = (bonus + pair.firstRow, bonus + pair.secondRow)
        let rowStart = (r * classPairs.count + k) * groups
        let (terms, factors) = (classTerms + rowStart, classWeights + rowStart)
        var maximum = Pools(free: SIMD2(repeating: -.infinity), sensitive: SIMD2(repeating: -.infinity))
        for g in 0..<groups where available[g] {
            let bonus = SIMD2(bonuses.0[g], bonuses.1[g])
            let f = Pools(free: bonus + weights.free * sovereignty[g], sensitive: bonus + weights.sensitive * sovereignty[g])
            terms[g] = f
            // Swift.max in each lane.
            maximum.free.replace(with: f.free, where: f.free .>= maximum.free)
            maximum.sensitive.replace(with: f.sensitive, where: f.sensitive .>= maximum.sensitive)
        }
        for g in 0..<groups {
            let twin = sovereigntyTwin[g]
            if !available[g] {
                factors[g] = .zero
            } else if twin < g, available[twin], bonuses.0[twin] == bonuses.0[g], bonuses.1[twin] == bonuses.1[g] {
                factors[g] = factors[twin]
            } else {
                factors[g] = Pools(
                    free: exponential(terms[g].free - maximum.free), sensitive: exponential(terms[g].sensitive - maximum.sensitive))
            }
        }
    }

    /// exp in each lane; a leader in both lanes, exp(0), costs no call.
    @inline(__always) private func exponential(_ x: SIMD2<Double>) -> SIMD2<Double> {
        x == .zero ? SIMD2(repeating: 1) : cm_exp2(x)
    }

    /// The utilities V of market (r, s), by group.
    @inline(__always) func utility(r: Int, s: Int) -> UnsafeMutablePointer<Double> {
        utilities + (r * segments + s) * groups
    }

    /// The market factors of every market from its utilities, for the classes `choose` then serves.
    func setMarkets(available: UnsafeMutableBufferPointer<Bool>) {
        let (groups, markets, marketWeights) = (groups, regions * segments, marketWeights)
        var (utility, exponent) = (utilities, marketWeights)
        for _ in 0..<markets {
            var maximum = -Double.infinity
            for g in 0..<groups where available[g] { maximum = Swift.max(maximum, utility[g]) }
            // Outside the choice set exp(0): a finite weight, which the class factors' 0 cancels.
            for g in 0..<groups { exponent[g] = available[g] ? utility[g] - maximum : 0 }
            utility += groups
            exponent += groups
        }
        // All markets' exponentials in one pass, two at a time.
        cm_exp_all(marketWeights, marketWeights, markets * groups)
    }

    /// Below this, a pool's sum may have lost terms to underflow (both factors are at most 1, but their product
    /// can be tiny when V and F span hundreds of log units); the class is then computed without factoring.
    private static let smallestFactoredSum = 0x1p-600

    /// Hands `body` the choice of every class in market (r, s), readied by `setMarkets`, whose revenues by (class,
    /// group) start at `installed`, a pair of classes at a time: a choice is valid only while `body` runs.
    @inline(__always) func choose(
        r: Int, s: Int, installed revenues: UnsafePointer<Double>, parameters p: ParameterState,
        _ body: (_ classes: ClassPair, _ choice: ClassPairChoice) -> Void
    ) {
        // Locals, not properties: the stores below could otherwise alias them, and each would be reloaded.
        let (groups, pools, qualified) = (groups, pools, qualified)
        let marketWeights = marketWeights + (r * segments + s) * groups
        let shares = classShares + r * classPairs.count
        var weights = classWeights + classRegion[r] * classPairs.count * groups
        for k in 0..<classPairs.count {
            let pair = classPairs[k]
            let revenue = (revenues + pair.firstRow, revenues + pair.secondRow)
            var sums = Pools.zero
            var qualifiedSums = SIMD2<Double>.zero
            var installed = SIMD2<Double>.zero
            for g in 0..<groups {
                let market = SIMD2(repeating: marketWeights[g])
                let e = Pools(free: market * weights[g].free, sensitive: market * weights[g].sensitive)
                pools[g] = e
                sums.free += e.free
                sums.sensitive += e.sensitive
                qualifiedSums += qualified[g] * e.sensitive
                installed += SIMD2(revenue.0[g], revenue.1[g])
            }
            // Usual in both lanes: sums large enough to trust the factoring, and a qualified offer to send mandates to.
            let usual =
                (sums.free .>= Self.smallestFactoredSum) .& (sums.sensitive .>= Self.smallestFactoredSum) .& (qualifiedSums .> 0)
            let choice =
                all(usual)
                ? ClassPairChoice(
                    exponentials: pools, qualified: qualified, sums: sums, qualifiedSums: qualifiedSums, shares: shares[k],
                    installed: installed)
                : unusualChoice(r: r, s: s, k: k, sums: sums, qualifiedSums: qualifiedSums, installed: installed, parameters: p)
            body(pair, choice)
            weights += groups
        }
    }

    /// The choice of pair k in market (r, s) when a lane's sums are too small or it has no qualified offer; out of line,
    /// so that the usual case keeps its values in registers.
    @inline(never) private func unusualChoice(
        r: Int, s: Int, k: Int, sums: Pools, qualifiedSums: SIMD2<Double>, installed: SIMD2<Double>, parameters p: ParameterState
    ) -> ClassPairChoice {
        var (sums, qualifiedSums) = (sums, qualifiedSums)
        for lane in 0..<2 where !(SIMD2(sums.free[lane], sums.sensitive[lane]).min() >= Self.smallestFactoredSum) {
            (sums.free[lane], sums.sensitive[lane], qualifiedSums[lane]) = exponentiateDirectly(r: r, s: s, k: k, lane: lane, parameters: p)
        }
        return ClassPairChoice(
            exponentials: pools, qualified: qualified, sums: sums, qualifiedSums: qualifiedSums,
            shares: classShares[r * classPairs.count + k], installed: installed, withoutQualifiedOffer: .!(qualifiedSums .> 0))
    }

    /// The exponentials exp(V + F − max) of the class in `lane` of pair k without factoring, into that lane of `pools`,
    /// and their sums.
    private func exponentiateDirectly(r: Int, s: Int, k: Int, lane: Int, parameters p: ParameterState) -> (Double, Double, Double) {
        let utility = utility(r: r, s: s)
        let terms = classTerms + (classRegion[r] * classPairs.count + k) * groups
        let term = { (g: Int) in SIMD2(terms[g].free[lane], terms[g].sensitive[lane]) }
        var maximum = SIMD2(repeating: -Double.infinity)
        for g in 0..<groups where p.available[g] {
            let u = utility[g] + term(g)
            maximum.replace(with: u, where: u .>= maximum)
        }
        var sums = SIMD2<Double>.zero
        var sumQualified = 0.0
        for g in 0..<groups {
            let x = utility[g] + term(g) - maximum
            let e = p.available[g] ? cm_exp2(x) : .zero
            (pools[g].free[lane], pools[g].sensitive[lane]) = (e[0], e[1])
            sums += e
            sumQualified += p.qualified[g] * e[1]
        }
        return (sums[0], sums[1], sumQualified)
    }
}

/// One group's values in the free and the sensitive pool, for the two classes of a `ClassPair`.
struct Pools {
    var free: SIMD2<Double>
    var sensitive: SIMD2<Double>

    static let zero = Pools(free: .zero, sensitive: .zero)
}

/// Two classes side by side as the lanes of `SIMD2` values: classes 2k and 2k + 1, or, when k is the last pair of an
/// odd number of classes, class 2k in both lanes.
struct ClassPair {
    let first: Int
    let second: Int
    /// Where their rows of `groups` values start in a (class, group) block.
    let firstRow: Int
    let secondRow: Int

    init(_ k: Int, classes: Int, groups: Int) {
        first = 2 * k
        second = min(2 * k + 1, classes - 1)
        (firstRow, secondRow) = (first * groups, second * groups)
    }

    /// The class in `lane`.
    subscript(lane: Int) -> Int { lane == 0 ? first : second }

    /// How many lanes hold a class of their own: 1 when the second lane repeats the first.
    var distinctLanes: Int { second == first ? 1 : 2 }

    /// `values[base + c]` for the pair's classes c.
    @inline(__always) func lanes(_ values: UnsafeMutableBufferPointer<Double>, from base: Int) -> SIMD2<Double> {
        SIMD2(values[base + first], values[base + second])
    }
}

/// The sensitive scope σ and mandate m of a pair of classes in one region, as the products the choice uses.
struct SensitiveShares {
    /// 1 − σ, σ, σ·m and σ·(1 − m).
    let free: SIMD2<Double>
    let sensitive: SIMD2<Double>
    let mandated: SIMD2<Double>
    let unmandated: SIMD2<Double>

    init(sensitive sigma: SIMD2<Double>, mandate m: SIMD2<Double>) {
        free = 1 - sigma
        sensitive = sigma
        mandated = sigma * m
        unmandated = sigma * (1 - m)
    }
}

/// The choice of a pair of classes in one market, lane by lane: P = (1 − σ)·Pfree + σ·(m·Pqual + (1 − m)·Psens),
/// each pool's shares its exponentials over their sum.
struct ClassPairChoice {
    /// Per group: the exponentials in both pools.
    private let exponentials: UnsafePointer<Pools>
    /// Per group: q, the qualified share of its offer, in both lanes.
    private let qualified: UnsafePointer<SIMD2<Double>>
    /// Whether any available group has a qualified offer (when none does, the mandate has nothing to send workloads to).
    let qualifiedOfferExists: SIMDMask<SIMD2<Int64>>
    /// P[g] = freeScale·e_free[g] + (qualifiedScale·q[g] + sensitiveFactor)·e_sens[g].
    private let freeScale: SIMD2<Double>
    private let qualifiedScale: SIMD2<Double>
    private let sensitiveFactor: SIMD2<Double>
    /// Psens[g] = sensitiveScale·e_sens[g].
    private let sensitiveScale: SIMD2<Double>
    /// M = Σg X, each class's installed base.
    let installed: SIMD2<Double>

    /// `withoutQualifiedOffer`: the lanes where no available group has a qualified offer, whose mandated share then goes
    /// to the sensitive pool. The usual case leaves it false, and the selections fold away: the compiler would make them
    /// one lane at a time, and the arithmetic around them with them.
    @inline(__always) init(
        exponentials: UnsafeMutablePointer<Pools>, qualified: UnsafeMutablePointer<SIMD2<Double>>, sums: Pools,
        qualifiedSums: SIMD2<Double>, shares: SensitiveShares, installed: SIMD2<Double>,
        withoutQualifiedOffer: SIMDMask<SIMD2<Int64>> = .init(repeating: false)
    ) {
        self.exponentials = UnsafePointer(exponentials)
        self.qualified = UnsafePointer(qualified)
        self.installed = installed
        qualifiedOfferExists = .!withoutQualifiedOffer
        freeScale = shares.free / sums.free
        sensitiveScale = 1 / sums.sensitive
        qualifiedScale = (shares.mandated / qualifiedSums).replacing(with: 0, where: withoutQualifiedOffer)
        sensitiveFactor = shares.unmandated.replacing(with: shares.sensitive, where: withoutQualifiedOffer) * sensitiveScale
    }

    /// P[g] in each lane.
    @inline(__always) func probability(_ g: Int) -> SIMD2<Double> {
        freeScale * exponentials[g].free + (qualifiedScale * qualified[g] + sensitiveFactor) * exponentials[g].sensitive
    }

    /// Psens[g] in each lane.
    func sensitiveProbability(_ g: Int) -> SIMD2<Double> { exponentials[g].sensitive * sensitiveScale }
}

/// The last argument and value of a pure function at each of a few call sites, so that a repeated
/// argument costs a comparison instead of a call. Arguments match bit for bit, so the value is always
/// the one the function itself would return.
final class Memo {
    private let arguments: UnsafeMutableBufferPointer<Double>
    private let values: UnsafeMutableBufferPointer<Double>

    init(slots: Int) {
        // An empty slot answers NaN for NaN, as exp, log and log1p do.
        arguments = .filled(slots, with: .nan)
        values = .filled(slots, with: .nan)
    }

    deinit {
        arguments.deallocate()
        values.deallocate()
    }

    /// `f(x)`, remembered in `slot`.
    @inline(__always) func callAsFunction(_ slot: Int, _ x: Double, _ f: (Double) -> Double) -> Double {
        if arguments[slot].bitPattern == x.bitPattern { return values[slot] }
        let y = f(x)
        arguments[slot] = x
        values[slot] = y
        return y
    }
}
