/// The kind of chart drawn for a table, so callers and tests can see which layout was chosen.
public enum ChartKind: String, Sendable, Hashable, CaseIterable {
    /// One bar per group and value column: grouped bars with a legend when there are several value columns.
    case bar
    /// Points joined by lines over a numeric first column, e.g. a value per year.
    case line
}
