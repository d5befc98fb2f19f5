/// The statistics the algorithm worker can compute, named as the thesis request form names them.
///
/// A closed set so requests are checked up front and result columns get predictable names
/// (`<function>(<column>)`, see `AlgorithmColumnName`).
public enum AlgorithmFunction: String, Sendable, Hashable, CaseIterable {
    /// The arithmetic mean of the included values (a real).
    case average
    /// The total of the included values; 0 when a group has none. Integer for integer columns.
    case sum
    /// The number of included (non-null, non-sentinel) values; works on any column type.
    case count
    /// The smallest included value; null when a group has none.
    case min
    /// The largest included value; null when a group has none.
    case max
    /// The middle included value, or the mean of the two middle ones (a real).
    case median
    /// The sample standard deviation (divisor n - 1, a real); null when a group has fewer than 2 values.
    case stddev
    /// The average of each value column in the two groups of one group column, their difference and ratio.
    case wageGap
    /// The first rows of the table unchanged, for inspection.
    case rows

    /// Whether results computed per provider with `partial: true` can be merged exactly by the aggregate.
    public var isMergeable: Bool {
        switch self {
        case .average, .sum, .count, .min, .max, .stddev, .rows: true
        case .median, .wageGap: false
        }
    }

    /// Whether the function needs numeric (integer, real or all-null) value columns.
    public var needsNumbers: Bool {
        switch self {
        case .average, .sum, .min, .max, .median, .stddev, .wageGap: true
        case .count, .rows: false
        }
    }

    /// The functions that produce one `<function>(<column>)` column per value column, grouped.
    public var isGroupedStatistic: Bool {
        switch self {
        case .average, .sum, .count, .min, .max, .median, .stddev: true
        case .wageGap, .rows: false
        }
    }
}
