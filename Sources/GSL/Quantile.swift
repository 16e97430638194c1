import CGSL

/// Inverse cumulative distribution functions (`gsl_cdf_*_Pinv`): a uniform draw or a stratified design point in (0, 1)
/// becomes a draw from the distribution, so random, Latin-hypercube and Sobol designs all sample the same way.
public enum Quantile {
    public static func gaussian(_ p: Double, mean: Double, sd: Double) -> Double { mean + gsl_cdf_gaussian_Pinv(p, sd) }

    /// ln X ~ N(zeta, sigma²).
    public static func lognormal(_ p: Double, zeta: Double, sigma: Double) -> Double { gsl_cdf_lognormal_Pinv(p, zeta, sigma) }

    public static func beta(_ p: Double, a: Double, b: Double) -> Double { gsl_cdf_beta_Pinv(p, a, b) }

    public static func uniform(_ p: Double, lower: Double, upper: Double) -> Double { gsl_cdf_flat_Pinv(p, lower, upper) }
}
