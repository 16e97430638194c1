import CGSL
import GSLShim

/// A seeded GSL Mersenne Twister (`gsl_rng_mt19937`). Not thread-safe: one stream per task.
public final class RandomStream {
    private let rng: UnsafeMutablePointer<gsl_rng>

    public init(seed: UInt) throws(GSLError) {
        ensureErrorHandler()
        guard let made = gsl_rng_alloc(cm_rng_mt19937()) else {
            throw allocationFailure("allocating a random stream")
        }
        rng = made
        gsl_rng_set(rng, seed)
    }

    deinit { gsl_rng_free(rng) }

    /// Uniform on [0, 1).
    public func uniform() -> Double { gsl_rng_uniform(rng) }

    /// Uniform on (0, 1): never exactly 0, so it can feed an inverse CDF.
    public func uniformPositive() -> Double { gsl_rng_uniform_pos(rng) }

    /// Uniform integer in 0..<n.
    public func integer(below n: Int) -> Int { Int(gsl_rng_uniform_int(rng, UInt(n))) }

    /// Normal with mean 0 and standard deviation `sd`.
    public func gaussian(sd: Double) -> Double { gsl_ran_gaussian(rng, sd) }
}
