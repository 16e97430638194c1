import Foundation
import GSL

/// Which points an experiment runs (DESIGN §4).
public enum DesignKind: String, Sendable, CaseIterable {
    case grid, lhs, sobol, random
}

/// The parameter values of every run, computed run by run so that no design is held in memory whole (a Latin
/// hypercube keeps one permutation per factor) and any slice can be computed alone — for chunks, shards and resumes.
public struct Design: Sendable {
    public let factors: [Factor]
    public let runs: Int
    public let source: Source
    public let seed: UInt64

    public enum Source: Sendable {
        case generated(DesignKind)
        /// Rows read from a user's CSV (columns = the factors' paths): SALib or any other sampler can drive a sweep.
        case table(file: String, rows: [[Double]])
        /// Saltelli's scheme for Sobol indices: per base point j, the runs A_j, AB_j^(1…k), B_j (k + 2 runs), with A and
        /// B the two halves of a 2k-dimensional Sobol point.
        case saltelli(base: Int)
        /// Morris's elementary effects: `trajectories` one-at-a-time paths of k + 1 runs on a `levels`-point grid.
        case morris(trajectories: Int, levels: Int)
    }

    /// Per-factor permutations of a Latin hypercube.
    private let strata: [[Int]]

    /// `runs` is ignored by a grid (the product of the factors' levels) and a table (its rows).
    public init(factors: [Factor], source: Source, runs requested: Int, seed: UInt64) throws(DesignError) {
        guard !factors.isEmpty else { throw .noFactors }
        var runs = requested
        switch source {
        case .generated(.grid):
            var product = 1
            for factor in factors {
                guard let levels = factor.gridLevels else { throw .gridNeedsLevels(factor.path) }
                product *= levels.count
            }
            runs = product
        case .generated(.sobol):
            guard factors.count <= SobolSequence.maxDimension else { throw .tooManyForSobol(factors.count) }
        case .table(_, let rows):
            runs = rows.count
        case .saltelli(let base):
            guard 2 * factors.count <= SobolSequence.maxDimension else { throw .tooManyForSobol(2 * factors.count) }
            runs = base * (factors.count + 2)
        case .morris(let trajectories, let levels):
            guard levels >= 2, levels % 2 == 0 else { throw .morrisLevels(levels) }
            runs = trajectories * (factors.count + 1)
        default:
            break
        }
        guard runs > 0 else { throw .noRuns }
        self.factors = factors
        self.runs = runs
        self.source = source
        self.seed = seed
        if case .generated(.lhs) = source {
            strata = factors.map { factor in Self.permutation(of: runs, stream: RunStreams.stream(seed: seed, run: -1, path: factor.path)) }
        } else {
            strata = []
        }
    }

    private static func permutation(of n: Int, stream: RandomStream) -> [Int] {
        var p = Array(0..<n)
        // Fisher–Yates, with GSL's uniform integers.
        for i in stride(from: n - 1, to: 0, by: -1) { p.swapAt(i, stream.integer(below: i + 1)) }
        return p
    }

    /// The values of runs `range`, in order; one array of factor values per run.
    public func rows(_ range: Range<Int>) throws -> [[Double]] {
        switch source {
        case .table(_, let rows):
            return Array(rows[range])
        case .generated(.grid):
            let levels = factors.map { $0.gridLevels! }
            return range.map { run in
                // Mixed radix, the last factor fastest.
                var rest = run
                var row = [Double](repeating: 0, count: factors.count)
                for k in factors.indices.reversed() {
                    row[k] = levels[k][rest % levels[k].count]
                    rest /= levels[k].count
                }
                return row
            }
        case .generated(.random):
            return range.map { run in
                factors.map { f in f.value(at: RunStreams.stream(seed: seed, run: run, path: f.path).uniformPositive()) }
            }
        case .generated(.lhs):
            return range.map { run in
                factors.indices.map { k in
                    let jitter = RunStreams.stream(seed: seed, run: run, path: factors[k].path).uniformPositive()
                    return factors[k].value(at: (Double(strata[k][run]) + jitter) / Double(runs))
                }
            }
        case .generated(.sobol):
            // Point 0 of the sequence is the origin, which no quantile accepts: run i takes point i + 1.
            let sequence = try SobolSequence(dimension: factors.count)
            sequence.skip(range.lowerBound + 1)
            return range.map { _ in zip(factors, sequence.next()).map { $0.value(at: $1) } }
        case .saltelli:
            return try saltelliRows(range)
        case .morris(_, let levels):
            return range.map { run in
                let k = factors.count
                let (start, order) = morrisTrajectory(run / (k + 1), levels: levels)
                var position = start
                for s in 0..<(run % (k + 1)) { position[order[s]] += levels / 2 }
                // Cell mid-points, so that every quantile is defined.
                return zip(factors, position).map { $0.value(at: (Double($1) + 0.5) / Double(levels)) }
            }
        }
    }

    /// Saltelli's runs: base point j = r / (k + 2) is Sobol point j + 1; the run is A, one of the AB^(i), or B.
    private func saltelliRows(_ range: Range<Int>) throws -> [[Double]] {
        let k = factors.count
        let sequence = try SobolSequence(dimension: 2 * k)
        var base = range.lowerBound / (k + 2)
        sequence.skip(base + 1)
        var point = sequence.next()
        return range.map { run in
            while base < run / (k + 2) {
                point = sequence.next()
                base += 1
            }
            let m = run % (k + 2)
            var unit = m == k + 1 ? Array(point[k...]) : Array(point[..<k])
            if m > 0, m <= k { unit[m - 1] = point[k + m - 1] }
            return zip(factors, unit).map { $0.value(at: $1) }
        }
    }

    /// Morris trajectory t: a start on the grid's lower half (so a move of levels/2 cells up stays on it) and the
    /// random order in which the factors move, from the trajectory's own stream.
    private func morrisTrajectory(_ t: Int, levels: Int) -> (start: [Int], order: [Int]) {
        let stream = RunStreams.stream(seed: seed, run: t, path: "morris")
        let start = factors.map { _ in stream.integer(below: levels - levels / 2) }
        var order = Array(factors.indices)
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, stream.integer(below: i + 1)) }
        return (start, order)
    }

    /// For Morris: the factor run r moved and the move in the unit cube (½), or nil for a trajectory's first run.
    public func morrisMove(_ run: Int) -> (factor: Int, delta: Double)? {
        guard case .morris(_, let levels) = source else { return nil }
        let k = factors.count
        guard run % (k + 1) > 0 else { return nil }
        let (_, order) = morrisTrajectory(run / (k + 1), levels: levels)
        return (order[run % (k + 1) - 1], Double(levels / 2) / Double(levels))
    }

    public var kindName: String {
        switch source {
        case .generated(let kind): kind.rawValue
        case .table(let file, _): "file:\(file)"
        case .saltelli(let base): "saltelli(base=\(base))"
        case .morris(let r, let levels): "morris(trajectories=\(r),levels=\(levels))"
        }
    }
}

public enum DesignError: Error, CustomStringConvertible, Sendable {
    case noFactors, noRuns
    case gridNeedsLevels(String)
    case tooManyForSobol(Int)
    case morrisLevels(Int)

    public var description: String {
        switch self {
        case .noFactors: "nothing varies: give at least one --vary or --uncertain"
        case .noRuns: "the design has no runs: give --runs N (N ≥ 1)"
        case .gridNeedsLevels(let path): "\(path): a grid needs a list of values or LO:HI:N with N points"
        case .tooManyForSobol(let n): "\(n) dimensions needed: GSL's Sobol sequence has at most \(SobolSequence.maxDimension)"
        case .morrisLevels(let p): "Morris needs an even number of levels ≥ 2, not \(p)"
        }
    }
}

/// Counter-based randomness (DESIGN §4): run i's numbers for a parameter derive from (seed, i, path) alone, so adding
/// runs or parameters never changes the values of the others, and shards and resumed sweeps draw the same numbers.
public enum RunStreams {
    /// A GSL stream seeded by SplitMix64 of the seed, the run index and an FNV-1a hash of the path.
    public static func stream(seed: UInt64, run: Int, path: String) -> RandomStream {
        // RandomStream allocation only fails when memory is exhausted.
        try! RandomStream(seed: UInt(truncatingIfNeeded: streamSeed(seed: seed, run: run, path: path)))
    }

    static func streamSeed(seed: UInt64, run: Int, path: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in path.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return splitMix(splitMix(seed ^ hash) ^ UInt64(bitPattern: Int64(run)))
    }

    static func splitMix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
