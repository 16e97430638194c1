import CGSL

public enum Statistics {
    /// The p-quantile of ascending data, interpolating between order statistics at (n − 1)·p
    /// (`gsl_stats_quantile_from_sorted_data`; numpy's default too).
    public static func quantile(sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        return sorted.withUnsafeBufferPointer { gsl_stats_quantile_from_sorted_data($0.baseAddress, 1, sorted.count, p) }
    }
}
