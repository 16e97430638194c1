import Foundation
import Testing
import VectorMath

@Suite struct VectorMathTests {
    /// Distance in units in the last place between two doubles of the same sign.
    static func ulps(_ a: Double, _ b: Double) -> Double {
        a == b ? 0 : abs(a - b) / max(a.ulp, b.ulp)
    }

    /// Arguments over the ranges the model uses: exponents of utility differences (≤ 0, down to underflow), shares
    /// and capital ratios (tiny to a few hundred), growth rates (−0.9 to +3).
    static let exponents = stride(from: -745.0, through: 5, by: 0.37).map { $0 }
    static let positives = (0..<2_000).map { i in pow(10, -300 + Double(i) * 0.1531) }
    static let growths = stride(from: -0.9, through: 3, by: 0.0007).map { $0 }

    @Test func exponentialIsWithinLibmvecBoundOfTheCLibrary() {
        for x in Self.exponents {
            let y = cm_exp2(SIMD2(x, -x / 7))
            #expect(Self.ulps(y[0], exp(x)) <= 4, "exp(\(x)) = \(y[0]), C library \(exp(x))")
            #expect(Self.ulps(y[1], exp(-x / 7)) <= 4, "exp(\(-x / 7)) = \(y[1]), C library \(exp(-x / 7))")
        }
    }

    @Test func logarithmsAreWithinLibmvecBoundOfTheCLibrary() {
        for x in Self.positives {
            #expect(Self.ulps(cm_log2(SIMD2(x, 1))[0], log(x)) <= 4, "log(\(x))")
        }
        for x in Self.growths {
            #expect(Self.ulps(cm_log1p2(SIMD2(x, 0))[0], log1p(x)) <= 4, "log1p(\(x))")
        }
    }

    /// The choice model skips exp(0) for a market's leader and writes 1: the vector call must agree exactly.
    @Test func exactValuesStayExact() {
        #expect(cm_exp2(SIMD2(0, -0.0)) == SIMD2(1, 1))
        #expect(cm_log2(SIMD2(1, 0)) == SIMD2(0, -.infinity))
        #expect(cm_exp2(SIMD2(-.infinity, -800)) == SIMD2(0, 0))
        #expect(cm_log1p2(SIMD2(0, -1)) == SIMD2(0, -.infinity))
    }

    /// A value's result depends on that value alone: not on its neighbour in the vector, nor on where an array of odd
    /// length puts it, so that a cell's number does not change with the scenario's layout.
    @Test func eachLaneDependsOnlyOnItsArgument() {
        let values = (0..<7).map { -0.3 * Double($0) - 0.01 }
        var all = values
        all.withUnsafeMutableBufferPointer { cm_exp_all($0.baseAddress!, $0.baseAddress!, $0.count) }
        for (i, x) in values.enumerated() {
            for partner in [0.0, -50, x] {
                #expect(cm_exp2(SIMD2(x, partner))[0] == all[i])
                #expect(cm_exp2(SIMD2(partner, x))[1] == all[i])
            }
        }
        var logs = [Double](repeating: 0, count: values.count)
        let arguments = values.map { -$0 }
        arguments.withUnsafeBufferPointer { x in
            logs.withUnsafeMutableBufferPointer { cm_log_all(x.baseAddress!, $0.baseAddress!, $0.count) }
        }
        #expect(logs == arguments.map { cm_log2(SIMD2($0, 2))[0] })
        var growths = [0.05, 0.2, -0.5]
        let expected = growths.map { cm_log1p2(SIMD2(repeating: $0))[0] }
        growths.withUnsafeMutableBufferPointer { cm_log1p_all($0.baseAddress!, $0.baseAddress!, $0.count) }
        #expect(growths == expected)
    }
}
