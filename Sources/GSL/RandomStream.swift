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

    /// `RandomStream(seed: seed).uniformPositive()` without the stream: MT19937's first number needs only words 0, 1
    /// and 397 of the seeded state, where a stream seeds all 624 and twists them all (~25,000 instructions).
    public static func firstUniformPositive(seed: UInt) -> Double {
        // gsl_rng_set (rng/mt.c): seed 0 stands for 4357; word i from word i − 1 by Knuth's multiplier, on 32 bits.
        var word = UInt32(truncatingIfNeeded: seed == 0 ? 4357 : seed)
        let first = word
        word = 1_812_433_253 &* (word ^ (word >> 30)) &+ 1
        let second = word
        for i: UInt32 in 2...397 { word = 1_812_433_253 &* (word ^ (word >> 30)) &+ i }
        // The twist's new word 0, tempered.
        let y = (first & 0x8000_0000) | (second & 0x7fff_ffff)
        var k = word ^ (y >> 1) ^ (y & 1 == 0 ? 0 : 0x9908_b0df)
        k ^= k >> 11
        k ^= (k << 7) & 0x9d2c_5680
        k ^= (k << 15) & 0xefc6_0000
        k ^= k >> 18
        // On 0, uniform_pos draws again: the stream's business.
        guard k != 0 else { return try! RandomStream(seed: seed).uniformPositive() }
        return Double(k) / 4_294_967_296
    }

    /// Uniform integer in 0..<n.
    public func integer(below n: Int) -> Int { Int(gsl_rng_uniform_int(rng, UInt(n))) }

    /// Normal with mean 0 and standard deviation `sd`.
    public func gaussian(sd: Double) -> Double { gsl_ran_gaussian(rng, sd) }
}
