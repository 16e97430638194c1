import Foundation

/// The multinomial logit of DESIGN §1.4 for one (region, segment, class) cell, with scratch buffers
/// allocated once per simulation.
///
/// The free and sensitive pools differ only in their sovereignty weight, so each group's two utilities,
/// exponentials and shares travel together as the lanes of one `SIMD2` (free, sensitive): one vector
/// operation (notably one division) does the work of two scalar ones, with the same IEEE result in each lane.
final class ChoiceModel {
    let groups: Int
    let classes: Int
    let sovereignty: UnsafeMutableBufferPointer<Double>
    /// Per group: utilities, then their exponentials, in the (free, sensitive) pools.
    private let pools: UnsafeMutableBufferPointer<SIMD2<Double>>
    /// Per group: (Pfree, Psens); valid after `choose`.
    private let shares: UnsafeMutableBufferPointer<SIMD2<Double>>
    /// P[g], the class's choice probabilities; valid after `choose`.
    let probability: UnsafeMutableBufferPointer<Double>
    /// Per group, the last exponential taken in each pool. The classes of one market share many of them
    /// (a group without sovereignty measured against the same leader; the leader itself, at exp(0)), and
    /// exp is the costliest step of the right-hand side.
    private let freeExp: Memo
    private let sensitiveExp: Memo

    init(sovereignty: [Double], classes: Int) {
        groups = sovereignty.count
        self.classes = classes
        self.sovereignty = .copy(sovereignty)
        pools = .allocate(capacity: groups)
        pools.initialize(repeating: .zero)
        shares = .allocate(capacity: groups)
        shares.initialize(repeating: .zero)
        probability = .copy([Double](repeating: 0, count: groups))
        freeExp = Memo(slots: groups)
        sensitiveExp = Memo(slots: groups)
    }

    deinit {
        sovereignty.deallocate()
        pools.deallocate()
        shares.deallocate()
        probability.deallocate()
    }

    /// Psens[g]; valid after `choose`.
    func sensitiveProbability(_ g: Int) -> Double { shares[g][1] }

    /// Fills `probability` and the shares behind `sensitiveProbability` for region `r`, class `c`, given each group's
    /// utility `V` without its procurement bonus and sovereignty terms. Returns whether any available
    /// group has a qualified offer (when none does, the mandate has nothing to send workloads to).
    @discardableResult
    func choose(r: Int, c: Int, utility: UnsafeMutableBufferPointer<Double>, parameters p: ParameterState) -> Bool {
        let rc = r * classes + c
        let bonus = UnsafeMutableBufferPointer(rebasing: p.procurementBonus[(rc * groups)..<((rc + 1) * groups)])
        let available = p.available
        let qualified = p.qualified
        let freeWeight = p.sovereigntyPreference[rc]
        let weights = SIMD2(freeWeight, freeWeight + p.sensitivePreference[rc])
        var maximum = SIMD2(repeating: -Double.infinity)
        for g in 0..<groups where available[g] {
            let u = (utility[g] + bonus[g]) + weights * sovereignty[g]
            pools[g] = u
            maximum.replace(with: u, where: u .>= maximum)  // Swift.max in each lane
        }
        // Softmax with the maximum subtracted, so no exponential overflows.
        var sums = SIMD2<Double>.zero
        var sumQualified = 0.0
        for g in 0..<groups {
            guard available[g] else {
                pools[g] = .zero
                continue
            }
            let x = pools[g] - maximum
            let free = freeExp(g, x[0], exp)
            // A group without sovereignty, when both pools have the same leader, has the same argument in both.
            let sensitive = x[1].bitPattern == x[0].bitPattern ? free : sensitiveExp(g, x[1], exp)
            pools[g] = SIMD2(free, sensitive)
            sums += pools[g]
            sumQualified += qualified[g] * sensitive
        }
        for g in 0..<groups { shares[g] = pools[g] / sums }
        let sigma = p.sensitive[rc]
        let mandate = p.mandate[rc]
        let qualifiedOfferExists = sumQualified > 0
        for g in 0..<groups {
            let (pFree, pSensitive) = (shares[g][0], shares[g][1])
            var sensitivePool = pSensitive
            if qualifiedOfferExists {
                // An unqualified group's m·q·e/Σ is +0 (m, q ≥ 0): skip the division, keep the sum.
                let qualifiedPool = qualified[g] == 0 ? 0 : mandate * qualified[g] * pools[g][1] / sumQualified
                sensitivePool = qualifiedPool + (1 - mandate) * pSensitive
            }
            probability[g] = (1 - sigma) * pFree + sigma * sensitivePool
        }
        return qualifiedOfferExists
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
        arguments = .allocate(capacity: slots)
        arguments.initialize(repeating: .nan)
        values = .allocate(capacity: slots)
        values.initialize(repeating: .nan)
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
