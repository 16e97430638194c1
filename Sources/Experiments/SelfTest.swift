import CloudMarket
import Foundation
import GSL
import ScenarioIO

/// `cloudmarket selftest`: the model and the numerics checked on this machine against results known in closed form
/// or certified (DESIGN §6), so an analyst can trust a new build, compiler or cluster node before running on it.
public enum SelfTest {
    public struct Check: Sendable {
        public let name: String
        /// What is compared with what.
        public let against: String
        /// The largest error found, in the check's own measure (relative, absolute or a count outside intervals).
        public let error: Double
        public let tolerance: Double
        public var passed: Bool { error <= tolerance }
    }

    /// Every check, the baseline's conservation ones on `baseline`.
    public static func run(baseline: Scenario) throws -> [Check] {
        let scenario = try ScenarioTemplate(text: smallScenario, fileName: "selftest").scenario(overrides: [])
        let trajectory = try Simulation(scenario: scenario).run()
        return [
            compoundGrowth(scenario, trajectory), logitRelaxation(scenario, trajectory), bass(scenario, trajectory),
            try conservation(baseline), try ishigami(), try misra1a(),
        ]
    }

    /// One region and segment, three groups, a plain class and one with sensitive workloads under a mandate; constant
    /// parameters and no network effect, so that shares, market and adoption have closed forms.
    static let smallScenario = """
        name: selftest
        horizon: {start: 2020, end: 2035}
        solver: {method: rk8pd, abs_tol: 1.0e-12, rel_tol: 1.0e-12, initial_step: 0.001}
        model: {price_sensitivity: 1.2, capability_elasticity: 0.3, depreciation: 0.15, network_effect: 0}
        segments: [IaaS]
        regions:
          FR:
            segments: {IaaS: {size: 1000, growth: 0.25}}
            classes: {sme: 0.6, public: 0.4}
            shares: {IaaS: {us: 0.5, fr: 0.3, eu: 0.2}}
            adoption: {initial: 0.27, ceiling: 0.9, p: 0.01, q: 0.35}
        groups:
          us: {origin: non_eu, appeal: 1.0}
          fr: {origin: eu, appeal: 0.2, price: 0.9, qualified: 0.6}
          eu: {origin: eu, appeal: 0.0, price: 1.1}
        classes:
          sme: {sensitive: 0, sovereignty_pref: 0, sensitive_pref: 0, mandate: 0, churn: 0.1}
          public: {sensitive: 0.4, sovereignty_pref: 0.5, sensitive_pref: 1.5, mandate: 0.5, churn: 0.3}
        """

    private static func worst(_ errors: some Sequence<Double>) -> Double { errors.reduce(0) { max($0, $1.isNaN ? .infinity : $1) } }

    /// M(t0 + k) = M0·(1+g)^k at whole years.
    static func compoundGrowth(_ s: Scenario, _ run: Trajectory) -> Check {
        let market = s.regions[0].markets[0]
        let errors = run.times.map { t in
            let expected = market.size * pow(1 + market.growth.rate, t - s.horizon.start)
            return abs((run.value(.marketSize, region: "FR", segment: "IaaS", at: t) ?? .nan) / expected - 1)
        }
        return Check(name: "compound growth", against: "market size vs M0·(1+g)^t, relative", error: worst(errors), tolerance: 1e-9)
    }

    /// With constant parameters each class's share relaxes to its logit probabilities: S = P + (S0 − P)·e^(−(ln(1+g)+χ)t).
    static func logitRelaxation(_ s: Scenario, _ run: Trajectory) -> Check {
        let region = s.regions[0]
        let gamma = log1p(region.markets[0].growth.rate)
        let probabilities = s.classes.map { logit(s.groups, $0, beta: s.model.priceSensitivity) }
        var errors: [Double] = []
        for t in run.times {
            for (g, group) in s.groups.enumerated() {
                let expected = s.classes.indices.reduce(0.0) { sum, c in
                    let p = probabilities[c][g]
                    let decay = exp(-(gamma + s.classes[c].churn) * (t - s.horizon.start))
                    return sum + region.classMix[c] * (p + (region.initialShares[0][g] - p) * decay)
                }
                errors.append(abs((run.value(.share, region: "FR", segment: "IaaS", group: group.id, at: t) ?? .nan) - expected))
            }
        }
        return Check(name: "logit relaxation", against: "shares vs the closed form, absolute", error: worst(errors), tolerance: 1e-9)
    }

    /// DESIGN §1.4's choice with constant utilities: free workloads by the plain logit; sensitive ones, a mandated part
    /// to qualified offers in proportion to their weight, the rest by the logit with the sensitive preference.
    static func logit(_ groups: [Group], _ c: CustomerClass, beta: Double) -> [Double] {
        let v = groups.map { $0.appeal[0] - beta * log($0.price[0]) }
        func softmax(_ u: [Double]) -> [Double] {
            let e = u.map(exp)
            let total = e.reduce(0, +)
            return e.map { $0 / total }
        }
        let free = softmax(zip(v, groups).map { $0 + c.sovereigntyPreference * $1.sovereignty })
        let sensitiveUtility = zip(v, groups).map { $0 + (c.sovereigntyPreference + c.sensitivePreference) * $1.sovereignty }
        let sensitive = softmax(sensitiveUtility)
        let qualified = zip(sensitiveUtility, groups).map { $1.qualified * exp($0) }
        let qualifiedTotal = qualified.reduce(0, +)
        return groups.indices.map { g in
            let pool = qualifiedTotal > 0 ? c.mandate * qualified[g] / qualifiedTotal + (1 - c.mandate) * sensitive[g] : sensitive[g]
            return (1 - c.sensitive) * free[g] + c.sensitive * pool
        }
    }

    /// Bass diffusion with constant p, q: (p + qA)/(c − A) = R0·e^((p+qc)t).
    static func bass(_ s: Scenario, _ run: Trajectory) -> Check {
        let a = s.regions[0].adoption!
        let r0 = (a.p + a.q * a.initial) / (a.ceiling - a.initial)
        let errors = run.times.map { t in
            let r = r0 * exp((a.p + a.q * a.ceiling) * (t - s.horizon.start))
            return abs((run.value(.adoption, region: "FR", at: t) ?? .nan) - (a.ceiling * r - a.p) / (a.q + r))
        }
        return Check(name: "Bass adoption", against: "adoption vs the closed form, absolute", error: worst(errors), tolerance: 1e-10)
    }

    /// Choice moves revenue between groups but never creates or destroys it: on the baseline, the market in every
    /// region and segment is the same with every lever but the demand ones removed, a stronger network effect and
    /// doubled churn; to ten times the baseline's relative tolerance, as the two runs take different steps.
    static func conservation(_ s: Scenario) throws -> Check {
        var shaken = s
        shaken.levers = s.levers.filter { if case .demand = $0.kind { true } else { false } }
        shaken.model.networkEffect = s.model.networkEffect + 0.5
        for c in shaken.classes.indices { shaken.classes[c].churn *= 2 }
        let (a, b) = (try Simulation(scenario: s).run(), try Simulation(scenario: shaken).run())
        var errors: [Double] = []
        for t in a.times {
            for region in s.regions.map(\.id) {
                for segment in s.segments {
                    let m = a.value(.marketSize, region: region, segment: segment, at: t) ?? .nan
                    errors.append(abs((b.value(.marketSize, region: region, segment: segment, at: t) ?? .nan) / m - 1))
                }
            }
        }
        return Check(
            name: "conservation (\(s.name))", against: "market without choice levers, η + 0.5, 2×churn, relative", error: worst(errors),
            tolerance: 1e-7)
    }

    /// DESIGN §6: Ishigami's Sobol indices (S1 .3139/.4424/0, ST .5576/.4424/.2437) from Saltelli sampling on GSL's Sobol
    /// sequence and the Saltelli 2010 / Jansen estimators; the error is how many of the six fall outside their 95%
    /// bootstrap interval.
    static func ishigami() throws -> Check {
        let factors = (1...3).map { Factor(path: "x\($0)", values: .interval(lower: -.pi, upper: .pi, levels: nil)) }
        let design = try Design(factors: factors, source: .saltelli(base: 4096), runs: 0, seed: 7)
        let f = try design.rows(0..<design.runs).map { x in sin(x[0]) + 7 * pow(sin(x[1]), 2) + 0.1 * pow(x[2], 4) * sin(x[0]) }
        let indices = SensitivityAnalysis.sobol(f, factors: 3, resamples: 500, seed: 7)
        let analytic = Array(zip(indices.first + indices.total, [0.3139, 0.4424, 0, 0.5576, 0.4424, 0.2437]))
        let outside = analytic.filter { index, value in value < index.lower || value > index.upper }.count
        return Check(
            name: "Sobol indices (Ishigami)", against: "analytic S1, ST outside their 95% intervals, of 6", error: Double(outside),
            tolerance: 0)
    }

    /// NIST StRD Misra1a (https://www.itl.nist.gov/div898/strd/nls/data/misra1a.shtml), from NIST's first start:
    /// certified parameters to 1e-6, relative.
    static func misra1a() throws -> Check {
        let x = [77.6, 114.9, 141.1, 190.8, 239.9, 289.0, 332.8, 378.4, 434.8, 477.3, 536.8, 593.1, 689.1, 760.0]
        let y = [10.07, 14.73, 17.94, 23.93, 29.61, 35.18, 40.02, 44.82, 50.76, 55.05, 61.01, 66.40, 75.47, 81.78]
        let certified = [2.3894212918E+02, 5.5015643181E-04]
        let options = LeastSquaresOptions(stepTolerance: 1e-12, gradientTolerance: 1e-12)
        let solution = try NonlinearLeastSquares.solve(residualCount: x.count, initial: [500, 0.0001], options: options) { b, f in
            for i in x.indices { f[i] = b[0] * (1 - exp(-b[1] * x[i])) - y[i] }
        }
        let error = worst(zip(solution.parameters, certified).map { abs($0 / $1 - 1) })
        return Check(
            name: "least squares (NIST Misra1a)", against: "fitted vs certified parameters, relative", error: error, tolerance: 1e-6)
    }
}
