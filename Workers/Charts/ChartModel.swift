/// What a chart shows, independent of how it is drawn: the chosen kind, labels and the series of numbers.
///
/// Built once per render from the table (see `ChartModel+Table.swift`) and painted on both the PNG and the
/// SVG surface, so the two outputs show the same thing.
struct ChartModel: Sendable, Equatable {
    /// The chart kind.
    var kind: ChartKind
    /// The title at the top.
    var title: String
    /// The label under the x axis (the group column names).
    var xAxisLabel: String
    /// The label beside the y axis (the value column names).
    var yAxisLabel: String
    /// One label per point: the group values for bars (line charts label their x axis with `xValues`).
    var categories: [String]
    /// The numeric x position of every point, ascending; empty for bar charts.
    var xValues: [Double]
    /// The series, each with one value per point (`nil` where there is none).
    var series: [ChartSeries]
    /// Whether the value axis is logarithmic (values that differ by orders of magnitude).
    var logarithmic = false

    /// The number of points (bars per series, or points per line).
    var pointCount: Int { categories.count }

    /// Every drawable value over all series.
    var allValues: [Double] { series.flatMap { $0.values.compactMap { $0 } } }
}

/// One drawn value column: its name (legend entry) and one value per point.
struct ChartSeries: Sendable, Equatable {
    /// The column name, e.g. `average(Salschal)`.
    var name: String
    /// One finite value per point, `nil` for null or non-finite cells.
    var values: [Double?]
}
