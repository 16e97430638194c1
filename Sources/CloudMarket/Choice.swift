import Foundation

/// The multinomial logit of DESIGN §1.4, with scratch buffers allocated once per simulation.
///
/// `exp(V + F − max)` factors as `exp(V − max V) · exp(F − max F)`, where V, the market utility, depends on
/// (region, segment) and F = B + w·sov, the procurement bonus and sovereignty terms, on (region, class). Each factor
/// is computed once for the cells that share it, so a cell's softmax costs multiplications instead of exponentials.
///
/// The free and sensitive pools differ only in their sovereignty weight, so each group's two class terms and
/// exponentials travel together as the lanes of one `SIMD2` (free, sensitive).
final class ChoiceModel {
    let groups: Int
    let regions: Int
    let classes: Int
    let sovereignty: UnsafeMutableBufferPointer<Double>
    /// Per group: the market utility V without class terms; the caller fills it before `setMarket`.
    let utility: UnsafeMutableBufferPointer<Double>
    /// Per group: exp(V − max V), 0 for a group outside the choice set; valid after `setMarket`.
    private let marketWeights: UnsafeMutableBufferPointer<Double>
    /// Per (r, c, g): F = B + w·sov in both pools, and exp(F − max F) (0 outside the choice set); valid after `setClasses`.
    private let classTerms: UnsafeMutableBufferPointer<SIMD2<Double>>
    private let classWeights: UnsafeMutableBufferPointer<SIMD2<Double>>
    /// Per (c, g): the cell's exponentials in the (free, sensitive) pools; valid after `choose`.
    private let pools: UnsafeMutableBufferPointer<SIMD2<Double>>
    /// Per class: the pools' sums, Σ q·exp(Usens), and then 1/Σ of the sensitive pool; valid after `choose`.
    private let sums: UnsafeMutableBufferPointer<SIMD2<Double>>
    private let qualifiedSums: UnsafeMutableBufferPointer<Double>
    private let sensitiveScales: UnsafeMutableBufferPointer<Double>
    /// Per (c, g): P[c, g], the choice probabilities; valid after `choose`.
    private let probabilities: UnsafeMutableBufferPointer<Double>
    private let exponentials: DistinctExponentials

    init(sovereignty: [Double], regions: Int, classes: Int) {
        groups = sovereignty.count
        self.regions = regions
        self.classes = classes
        self.sovereignty = .copy(sovereignty)
        utility = .filled(groups, with: .zero)
        marketWeights = .filled(groups, with: .zero)
        classTerms = .filled(regions * classes * groups, with: .zero)
        classWeights = .filled(regions * classes * groups, with: .zero)
        pools = .filled(classes * groups, with: .zero)
        sums = .filled(classes, with: .zero)
        qualifiedSums = .filled(classes, with: .zero)
        sensitiveScales = .filled(classes, with: .zero)
        probabilities = .filled(classes * groups, with: .zero)
        exponentials = DistinctExponentials(capacity: 2 * regions * groups)
    }

    deinit {
        sovereignty.deallocate()
        utility.deallocate()
        marketWeights.deallocate()
        classTerms.deallocate()
        classWeights.deallocate()
        pools.deallocate()
        sums.deallocate()
        qualifiedSums.deallocate()
        sensitiveScales.deallocate()
        probabilities.deallocate()
    }

    /// P[c, g] and Psens[c, g]; valid after `choose`.
    @inline(__always) func probability(_ c: Int, _ g: Int) -> Double { probabilities[c * groups + g] }
    @inline(__always) func probabilities(_ c: Int) -> UnsafePointer<Double> { UnsafePointer(probabilities.baseAddress! + c * groups) }
    func sensitiveProbability(_ c: Int, _ g: Int) -> Double { pools[c * groups + g][1] * sensitiveScales[c] }

    /// Whether any available group had a qualified offer for class c (when none does, the mandate has nothing to
    /// send workloads to); valid after `choose`.
    func qualifiedOfferExists(_ c: Int) -> Bool { qualifiedSums[c] > 0 }

    /// The class factors of every (region, class) from the parameters in force; once per evaluation, before `choose`.
    func setClasses(_ p: ParameterState) {
        let (groups, sovereignty, available, bonuses) = (groups, sovereignty, p.available, p.procurementBonus.baseAddress!)
        let (terms, factors) = (classTerms.baseAddress!, classWeights.baseAddress!)
        for c in 0..<classes {
            exponentials.reset()
            for r in 0..<regions {
                let rc = r * classes + c
                let (bonus, term, factor) = (bonuses + rc * groups, terms + rc * groups, factors + rc * groups)
                let freeWeight = p.sovereigntyPreference[rc]
                let weights = SIMD2(freeWeight, freeWeight + p.sensitivePreference[rc])
                // A region whose copy of the class has the first region's weights and bonuses has its factors too.
                let first = c * groups
                if r > 0, p.sovereigntyPreference[c] == freeWeight, p.sensitivePreference[c] == p.sensitivePreference[rc],
                    (0..<groups).allSatisfy({ bonus[$0] == bonuses[first + $0] })
                {
                    for g in 0..<groups { (term[g], factor[g]) = (terms[first + g], factors[first + g]) }
                    continue
                }
                var maximum = SIMD2(repeating: -Double.infinity)
                for g in 0..<groups where available[g] {
                    let f = bonus[g] + weights * sovereignty[g]
                    term[g] = f
                    maximum.replace(with: f, where: f .>= maximum)  // Swift.max in each lane
                }
                for g in 0..<groups {
                    let x = term[g] - maximum
                    factor[g] = available[g] ? SIMD2(exponentials(x[0]), exponentials(x[1])) : .zero
                }
            }
        }
    }

    /// The market factors from `utility`, for the (region, segment) whose classes `choose` then serves.
    func setMarket(available: UnsafeMutableBufferPointer<Bool>) {
        let (groups, utility, marketWeights) = (groups, utility, marketWeights)
        var maximum = -Double.infinity
        for g in 0..<groups where available[g] { maximum = Swift.max(maximum, utility[g]) }
        // Utilities rarely repeat within a market: only the leader's exp(0) is worth skipping.
        for g in 0..<groups {
            let x = utility[g] - maximum
            marketWeights[g] = available[g] ? (x == 0 ? 1 : exp(x)) : 0
        }
    }

    /// Below this, a pool's sum may have lost terms to underflow (both factors are at most 1, but their product
    /// can be tiny when V and F span hundreds of log units); the cell is then computed without factoring.
    private static let smallestFactoredSum = 0x1p-600

    /// Fills the probabilities of every class of region `r` in the market last given to `setMarket`.
    ///
    /// Each step runs over all classes before the next begins: the classes' sums and divisions are independent
    /// chains that the processor then overlaps, where class by class it would wait on each in turn.
    func choose(r: Int, parameters p: ParameterState) {
        // Locals, not properties: the stores below could otherwise alias them, and each would be reloaded.
        let (groups, marketWeights, pools, qualified) = (groups, marketWeights, pools.baseAddress!, p.qualified)
        for c in 0..<classes {
            let rc = r * classes + c
            let weights = classWeights.baseAddress! + rc * groups
            let row = pools + c * groups
            var sum = SIMD2<Double>.zero
            var sumQualified = 0.0
            for g in 0..<groups {
                let e = marketWeights[g] * weights[g]
                row[g] = e
                sum += e
                sumQualified += qualified[g] * e[1]
            }
            if !(sum.min() >= Self.smallestFactoredSum) {
                (sum, sumQualified) = exponentiateDirectly(r: r, c: c, parameters: p)
            }
            sums[c] = sum
            qualifiedSums[c] = sumQualified
        }
        for c in 0..<classes {
            // P = (1 − σ)·Pfree + σ·(m·Pqual + (1 − m)·Psens), each pool's shares its exponentials over their sum.
            let rc = r * classes + c
            let sigma = p.sensitive[rc]
            let mandate = p.mandate[rc]
            let qualifiedOfferExists = qualifiedSums[c] > 0
            let scales = SIMD2(1 - sigma, 1) / sums[c]
            sensitiveScales[c] = scales[1]
            let qualifiedScale = qualifiedOfferExists ? sigma * mandate / qualifiedSums[c] : 0
            let sensitiveFactor = sigma * (qualifiedOfferExists ? 1 - mandate : 1) * scales[1]
            let row = pools + c * groups
            let out = probabilities.baseAddress! + c * groups
            for g in 0..<groups {
                out[g] = scales[0] * row[g][0] + (qualifiedScale * qualified[g] + sensitiveFactor) * row[g][1]
            }
        }
    }

    /// Class c's `pools` as exp(V + F − max) without factoring, and their sums.
    private func exponentiateDirectly(r: Int, c: Int, parameters p: ParameterState) -> (SIMD2<Double>, Double) {
        let rc = r * classes + c
        var maximum = SIMD2(repeating: -Double.infinity)
        for g in 0..<groups where p.available[g] {
            let u = utility[g] + classTerms[rc * groups + g]
            maximum.replace(with: u, where: u .>= maximum)
        }
        var sums = SIMD2<Double>.zero
        var sumQualified = 0.0
        for g in 0..<groups {
            let x = utility[g] + classTerms[rc * groups + g] - maximum
            let e = p.available[g] ? SIMD2(exp(x[0]), exp(x[1])) : .zero
            pools[c * groups + g] = e
            sums += e
            sumQualified += p.qualified[g] * e[1]
        }
        return (sums, sumQualified)
    }
}

/// `exp(x)` over a few arguments, each distinct one computed once: in one class, groups of the same sovereignty share
/// their argument, as do the regions' copies of the class, and a leader's is 0. `reset` starts a new set.
final class DistinctExponentials {
    private let arguments: UnsafeMutableBufferPointer<Double>
    private let values: UnsafeMutableBufferPointer<Double>
    private var count = 0

    init(capacity: Int) {
        arguments = .filled(capacity, with: .zero)
        values = .filled(capacity, with: .zero)
    }

    deinit {
        arguments.deallocate()
        values.deallocate()
    }

    func reset() { count = 0 }

    @inline(__always) func callAsFunction(_ x: Double) -> Double {
        if x == 0 { return 1 }
        let (arguments, values) = (arguments, values)
        for i in 0..<count where arguments[i].bitPattern == x.bitPattern { return values[i] }
        let y = exp(x)
        if count < arguments.count {
            arguments[count] = x
            values[count] = y
            count += 1
        }
        return y
    }
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
