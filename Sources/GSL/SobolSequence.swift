import CGSL
import GSLShim

/// GSL's Sobol low-discrepancy sequence (`gsl_qrng_sobol`), point after point, in [0, 1)^dimension.
/// Not thread-safe: one sequence per task.
public final class SobolSequence {
    /// GSL's Sobol generator supports up to 40 dimensions.
    public static let maxDimension = 40
    public let dimension: Int
    private let generator: UnsafeMutablePointer<gsl_qrng>
    private var point: [Double]

    public init(dimension: Int) throws(GSLError) {
        ensureErrorHandler()
        guard dimension >= 1, dimension <= Self.maxDimension else {
            throw GSLError(
                status: Int32(GSL_EINVAL), reason: "GSL's Sobol sequence has 1 to \(Self.maxDimension) dimensions, not \(dimension)",
                operation: "allocating a Sobol sequence")
        }
        guard let made = gsl_qrng_alloc(cm_qrng_sobol(), UInt32(dimension)) else {
            throw allocationFailure("allocating a \(dimension)-dimensional Sobol sequence")
        }
        self.dimension = dimension
        generator = made
        point = Array(repeating: 0, count: dimension)
    }

    deinit { gsl_qrng_free(generator) }

    /// The next point of the sequence (the first is the origin).
    public func next() -> [Double] {
        _ = point.withUnsafeMutableBufferPointer { gsl_qrng_get(generator, $0.baseAddress) }
        return point
    }

    /// Moves `count` points on, as `next()` would.
    public func skip(_ count: Int) {
        for _ in 0..<count { _ = next() }
    }
}
