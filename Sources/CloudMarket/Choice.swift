import Foundation

/// The multinomial logit of DESIGN §1.4 for one (region, segment, class) cell, with reusable scratch space.
struct ChoiceModel {
    let groups: Int
    let classes: Int
    let sovereignty: [Double]

    /// Per group: utilities and exponentials of the free and sensitive pools, and the blended probability.
    var freeUtility: [Double]
    var sensitiveUtility: [Double]
    /// P[g], the class's choice probabilities; valid after `choose`.
    var probability: [Double]
    /// Psens[g]; valid after `choose`.
    var sensitiveProbability: [Double]
    /// Whether any available group had a qualified offer at the last `choose`.
    var qualifiedOfferExists = false

    init(sovereignty: [Double], classes: Int) {
        groups = sovereignty.count
        self.classes = classes
        self.sovereignty = sovereignty
        freeUtility = Array(repeating: 0, count: groups)
        sensitiveUtility = Array(repeating: 0, count: groups)
        probability = Array(repeating: 0, count: groups)
        sensitiveProbability = Array(repeating: 0, count: groups)
    }

    /// Fills `probability` and `sensitiveProbability` for region `r`, class `c`, given each group's
    /// utility `V` without its procurement bonus and sovereignty terms.
    mutating func choose(r: Int, c: Int, utility: [Double], parameters p: ParameterState) {
        let rc = r * classes + c
        let free = p.sovereigntyPreference[rc]
        let sens = free + p.sensitivePreference[rc]
        var maxFree = -Double.infinity
        var maxSens = -Double.infinity
        for g in 0..<groups where p.available[g] {
            let v = utility[g] + p.procurementBonus[rc * groups + g]
            freeUtility[g] = v + free * sovereignty[g]
            sensitiveUtility[g] = v + sens * sovereignty[g]
            maxFree = max(maxFree, freeUtility[g])
            maxSens = max(maxSens, sensitiveUtility[g])
        }
        // Softmax with the maximum subtracted, so no exponential overflows.
        var sumFree = 0.0
        var sumSens = 0.0
        var sumQualified = 0.0
        for g in 0..<groups {
            guard p.available[g] else {
                freeUtility[g] = 0
                sensitiveUtility[g] = 0
                continue
            }
            freeUtility[g] = exp(freeUtility[g] - maxFree)
            sensitiveUtility[g] = exp(sensitiveUtility[g] - maxSens)
            sumFree += freeUtility[g]
            sumSens += sensitiveUtility[g]
            sumQualified += p.qualified[g] * sensitiveUtility[g]
        }
        let sigma = p.sensitive[rc]
        let mandate = p.mandate[rc]
        qualifiedOfferExists = sumQualified > 0
        for g in 0..<groups {
            let pFree = freeUtility[g] / sumFree
            let pSens = sensitiveUtility[g] / sumSens
            sensitiveProbability[g] = pSens
            let pSensitivePool =
                qualifiedOfferExists
                ? mandate * p.qualified[g] * sensitiveUtility[g] / sumQualified + (1 - mandate) * pSens
                : pSens
            probability[g] = (1 - sigma) * pFree + sigma * pSensitivePool
        }
    }
}
