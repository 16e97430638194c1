import Foundation

/// The multinomial logit of DESIGN §1.4 for one (region, segment, class) cell, with scratch buffers
/// allocated once per simulation.
final class ChoiceModel {
    let groups: Int
    let classes: Int
    let sovereignty: UnsafeMutableBufferPointer<Double>
    /// Per group: utilities, then their exponentials, in the free and sensitive pools.
    let free: UnsafeMutableBufferPointer<Double>
    let sensitive: UnsafeMutableBufferPointer<Double>
    /// P[g], the class's choice probabilities; valid after `choose`.
    let probability: UnsafeMutableBufferPointer<Double>
    /// Psens[g]; valid after `choose`.
    let sensitiveProbability: UnsafeMutableBufferPointer<Double>

    init(sovereignty: [Double], classes: Int) {
        groups = sovereignty.count
        self.classes = classes
        self.sovereignty = .copy(sovereignty)
        let zeros = [Double](repeating: 0, count: groups)
        free = .copy(zeros)
        sensitive = .copy(zeros)
        probability = .copy(zeros)
        sensitiveProbability = .copy(zeros)
    }

    deinit {
        for buffer in [sovereignty, free, sensitive, probability, sensitiveProbability] { buffer.deallocate() }
    }

    /// Fills `probability` and `sensitiveProbability` for region `r`, class `c`, given each group's
    /// utility `V` without its procurement bonus and sovereignty terms. Returns whether any available
    /// group has a qualified offer (when none does, the mandate has nothing to send workloads to).
    @discardableResult
    func choose(r: Int, c: Int, utility: UnsafeMutableBufferPointer<Double>, parameters p: ParameterState) -> Bool {
        let rc = r * classes + c
        let freeWeight = p.sovereigntyPreference[rc]
        let sensitiveWeight = freeWeight + p.sensitivePreference[rc]
        var maxFree = -Double.infinity
        var maxSensitive = -Double.infinity
        for g in 0..<groups where p.available[g] {
            let v = utility[g] + p.procurementBonus[rc * groups + g]
            free[g] = v + freeWeight * sovereignty[g]
            sensitive[g] = v + sensitiveWeight * sovereignty[g]
            maxFree = max(maxFree, free[g])
            maxSensitive = max(maxSensitive, sensitive[g])
        }
        // Softmax with the maximum subtracted, so no exponential overflows.
        var sumFree = 0.0
        var sumSensitive = 0.0
        var sumQualified = 0.0
        for g in 0..<groups {
            guard p.available[g] else {
                free[g] = 0
                sensitive[g] = 0
                continue
            }
            free[g] = exp(free[g] - maxFree)
            sensitive[g] = exp(sensitive[g] - maxSensitive)
            sumFree += free[g]
            sumSensitive += sensitive[g]
            sumQualified += p.qualified[g] * sensitive[g]
        }
        let sigma = p.sensitive[rc]
        let mandate = p.mandate[rc]
        let qualifiedOfferExists = sumQualified > 0
        for g in 0..<groups {
            let pFree = free[g] / sumFree
            let pSensitive = sensitive[g] / sumSensitive
            sensitiveProbability[g] = pSensitive
            let sensitivePool =
                qualifiedOfferExists
                ? mandate * p.qualified[g] * sensitive[g] / sumQualified + (1 - mandate) * pSensitive
                : pSensitive
            probability[g] = (1 - sigma) * pFree + sigma * sensitivePool
        }
        return qualifiedOfferExists
    }
}
