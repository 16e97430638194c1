import Foundation
import Testing

@testable import Experiments

/// The Ishigami function, sin x₁ + 7 sin² x₂ + 0.1 x₃⁴ sin x₁ on [−π, π]³: Sobol indices known in closed form.
func ishigami(_ x: [Double]) -> Double { sin(x[0]) + 7 * sin(x[1]) * sin(x[1]) + 0.1 * pow(x[2], 4) * sin(x[0]) }

let ishigamiFactors = (1...3).map { Factor(path: "x\($0)", values: .interval(lower: -.pi, upper: .pi, levels: nil)) }

@Suite struct SensitivityTests {
    /// DESIGN §6: S1 .3139/.4424/0 and ST .5576/.4424/.2437 within the bootstrap intervals of the library's estimator.
    @Test func ishigamiIndicesLieWithinTheirIntervals() throws {
        let design = try Design(factors: ishigamiFactors, source: .saltelli(base: 4096), runs: 0, seed: 7)
        #expect(design.runs == 4096 * 5)
        let f = try design.rows(0..<design.runs).map(ishigami)
        let indices = SensitivityAnalysis.sobol(f, factors: 3, resamples: 500, seed: 7)
        let expectedFirst = [0.3139, 0.4424, 0]
        let expectedTotal = [0.5576, 0.4424, 0.2437]
        for i in 0..<3 {
            let s = indices.first[i]
            let t = indices.total[i]
            #expect(s.lower <= expectedFirst[i] && expectedFirst[i] <= s.upper, "S1[\(i + 1)] = \(s)")
            #expect(t.lower <= expectedTotal[i] && expectedTotal[i] <= t.upper, "ST[\(i + 1)] = \(t)")
            #expect(t.upper - t.lower < 0.1, "ST[\(i + 1)] interval too wide: \(t)")
        }
        #expect(indices.warnings.isEmpty)
    }

    /// A KPI far from zero (a share of 0.23 that moves by 0.02) gets the indices and intervals of the same KPI centred:
    /// without centring, Ishigami + 100 widened the S1 intervals about tenfold.
    @Test func indicesAndIntervalsIgnoreTheKPIsLevel() throws {
        let design = try Design(factors: ishigamiFactors, source: .saltelli(base: 512), runs: 0, seed: 5)
        let f = try design.rows(0..<design.runs).map(ishigami)
        let plain = SensitivityAnalysis.sobol(f, factors: 3, resamples: 200, seed: 5)
        let shifted = SensitivityAnalysis.sobol(f.map { $0 + 100 }, factors: 3, resamples: 200, seed: 5)
        for (a, b) in zip(plain.first + plain.total, shifted.first + shifted.total) {
            for (x, y) in [(a.value, b.value), (a.lower, b.lower), (a.upper, b.upper)] { #expect(abs(x - y) < 1e-9, "\(a) vs \(b)") }
        }
    }

    @Test func fewBasePointsAreWarnedAbout() throws {
        let design = try Design(factors: ishigamiFactors, source: .saltelli(base: 64), runs: 0, seed: 1)
        let indices = SensitivityAnalysis.sobol(try design.rows(0..<design.runs).map(ishigami), factors: 3, resamples: 200, seed: 1)
        #expect(indices.warnings.first?.hasPrefix("only 64 base points") == true)
    }

    /// Morris on a linear function: every elementary effect is the slope times the range, so μ* = |a|·(hi − lo), σ = 0.
    @Test func morrisOfALinearFunctionIsExact() throws {
        let factors = [
            Factor(path: "a", values: .interval(lower: 0, upper: 2, levels: nil)),
            Factor(path: "b", values: .interval(lower: -1, upper: 1, levels: nil)),
            Factor(path: "c", values: .interval(lower: 0, upper: 10, levels: nil)),
        ]
        let design = try Design(factors: factors, source: .morris(trajectories: 20, levels: 4), runs: 0, seed: 3)
        #expect(design.runs == 80)
        let f = try design.rows(0..<design.runs).map { 3 * $0[0] - 2 * $0[1] + 0 * $0[2] }
        let measures = SensitivityAnalysis.morris(f, design: design)
        #expect(abs(measures[0].muStar - 6) < 1e-12 && abs(measures[0].mu - 6) < 1e-12 && measures[0].sigma < 1e-12)
        #expect(abs(measures[1].muStar - 4) < 1e-12 && abs(measures[1].mu + 4) < 1e-12)
        #expect(measures[2].muStar == 0)
    }
}
