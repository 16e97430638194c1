import Foundation
import GSL

/// One sensitivity index with its bootstrap confidence interval.
public struct SensitivityIndex: Sendable {
    public let value: Double
    public let lower: Double
    public let upper: Double
}

/// First-order and total Sobol indices of one output, per factor.
public struct SobolIndices: Sendable {
    public let first: [SensitivityIndex]
    public let total: [SensitivityIndex]
    public let base: Int
    public let warnings: [String]
}

public enum SensitivityAnalysis {
    /// Below this many base points the indices' intervals are typically too wide to rank factors.
    public static let smallBase = 500

    /// Saltelli (2010) first-order and Jansen total-effect estimators on runs laid out as `Design.Source.saltelli`
    /// (per base point: A, AB^(1…k), B), with percentile bootstrap intervals over the base points.
    public static func sobol(_ f: [Double], factors k: Int, resamples: Int = 1000, confidence: Double = 0.95, seed: UInt64) -> SobolIndices
    {
        let n = f.count / (k + 2)
        let fA = (0..<n).map { f[$0 * (k + 2)] }
        let fB = (0..<n).map { f[$0 * (k + 2) + k + 1] }
        let fAB = (0..<k).map { i in (0..<n).map { f[$0 * (k + 2) + 1 + i] } }
        func estimate(_ sample: [Int]) -> (first: [Double], total: [Double]) {
            let both = sample.map { fA[$0] } + sample.map { fB[$0] }
            let mean = both.reduce(0, +) / Double(both.count)
            let variance = both.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(both.count)
            let m = Double(sample.count)
            // Centred: fB·(fAB − fA) has the same expectation, but a KPI far from 0 (a share of 0.23 moving by 0.02)
            // would swell its variance, and with it the interval, tenfold.
            let first = (0..<k).map { i in sample.reduce(0) { $0 + (fB[$1] - mean) * (fAB[i][$1] - fA[$1]) } / m / variance }
            let total = (0..<k).map { i in sample.reduce(0) { $0 + (fA[$1] - fAB[i][$1]) * (fA[$1] - fAB[i][$1]) } / (2 * m) / variance }
            return (first, total)
        }
        let point = estimate(Array(0..<n))
        let stream = RunStreams.stream(seed: seed, run: 0, path: "bootstrap")
        var firsts = [[Double]](repeating: [], count: k)
        var totals = [[Double]](repeating: [], count: k)
        for _ in 0..<resamples {
            let draw = estimate((0..<n).map { _ in stream.integer(below: n) })
            for i in 0..<k {
                firsts[i].append(draw.first[i])
                totals[i].append(draw.total[i])
            }
        }
        let tail = (1 - confidence) / 2
        func interval(_ value: Double, _ draws: [Double]) -> SensitivityIndex {
            let sorted = draws.sorted()
            return SensitivityIndex(
                value: value, lower: Statistics.quantile(sorted: sorted, tail), upper: Statistics.quantile(sorted: sorted, 1 - tail))
        }
        let first = (0..<k).map { interval(point.first[$0], firsts[$0]) }
        let total = (0..<k).map { interval(point.total[$0], totals[$0]) }
        var warnings: [String] = []
        if n < smallBase { warnings.append("only \(n) base points: the intervals are wide; \(smallBase) or more are usual") }
        for (i, (s, t)) in zip(first, total).enumerated() {
            for (name, index) in [("first-order", s), ("total", t)] where index.upper < 0 || index.lower > 1 {
                warnings.append("factor \(i + 1): the \(name) index lies outside [0, 1] beyond its interval: too few base points")
            }
        }
        return SobolIndices(first: first, total: total, base: n, warnings: warnings)
    }

    /// Morris's screening measures of one output: μ* (mean absolute elementary effect), μ and σ, per factor.
    public static func morris(_ f: [Double], design: Design) -> [(muStar: Double, mu: Double, sigma: Double)] {
        var effects = [[Double]](repeating: [], count: design.factors.count)
        for run in 1..<f.count {
            guard let move = design.morrisMove(run) else { continue }
            effects[move.factor].append((f[run] - f[run - 1]) / move.delta)
        }
        return effects.map { e in
            let n = Double(e.count)
            let mu = e.reduce(0, +) / n
            let sigma = e.count > 1 ? (e.reduce(0) { $0 + ($1 - mu) * ($1 - mu) } / (n - 1)).squareRoot() : 0
            return (e.reduce(0) { $0 + abs($1) } / n, mu, sigma)
        }
    }
}
