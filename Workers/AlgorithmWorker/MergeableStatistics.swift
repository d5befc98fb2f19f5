/// Statistics computed from merge state (sums and counts), shared so the aggregate finishes partials the way
/// the engine defines them.
public enum MergeableStatistics {
    /// The sample standard deviation (divisor n - 1) from the count, sum and sum of squares of the values;
    /// nil for fewer than two values. Rounding can make the variance slightly negative; it is clamped to 0.
    public static func sampleStandardDeviation(count: Int, sum: Double, sumOfSquares: Double) -> Double? {
        guard count > 1 else { return nil }
        let n = Double(count)
        let variance = (sumOfSquares - sum * sum / n) / (n - 1)
        return Swift.max(variance, 0).squareRoot()
    }

    /// The mean from a sum and a count; nil for no values.
    public static func average(count: Int, sum: Double) -> Double? {
        count > 0 ? sum / Double(count) : nil
    }
}
