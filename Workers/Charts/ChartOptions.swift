/// How a chart is drawn: its size, which value columns to draw and, optionally, which kind of chart.
///
/// The defaults suit an algorithm result: every computed value column (`average(x)`, `sum(y)`, ...) except
/// `count`, drawn as bars, or as a line when the only group column is numeric with many distinct values.
public struct ChartOptions: Sendable, Equatable {
    /// The image width in pixels (100...8000).
    public var width: Int
    /// The image height in pixels (100...8000).
    public var height: Int
    /// The value columns to draw, in order; `nil` picks them from the table.
    public var valueColumns: [String]?
    /// The chart kind to draw; `nil` picks one from the table.
    public var kind: ChartKind?
    /// How many distinct values a numeric first column needs before it is drawn as a line rather than bars.
    public var lineThreshold: Int
    /// Linear (the default) or logarithmic value axis.
    public var valueScale: ValueScale
    /// The value axis title; `nil` names the drawn columns.
    public var valueAxisTitle: String?

    /// How values map to heights.
    public enum ValueScale: String, Sendable, Hashable, CaseIterable {
        /// Equal steps for equal differences; bars grow from zero.
        case linear
        /// Equal steps for equal ratios, for values that differ by orders of magnitude (milliseconds beside
        /// seconds); bars grow from the axis' lowest power of ten, and values at or below zero are not drawn.
        case logarithmic
    }

    /// Makes options.
    /// - Parameters:
    ///   - width: the image width in pixels.
    ///   - height: the image height in pixels.
    ///   - valueColumns: the value columns to draw; `nil` draws every computed value column except `count`.
    ///   - kind: force a bar or line chart; `nil` chooses from the table.
    ///   - lineThreshold: distinct values of a numeric first column from which a line chart is chosen.
    ///   - valueScale: a linear or logarithmic value axis.
    ///   - valueAxisTitle: the value axis title; `nil` names the drawn columns.
    public init(
        width: Int = 800,
        height: Int = 500,
        valueColumns: [String]? = nil,
        kind: ChartKind? = nil,
        lineThreshold: Int = 8,
        valueScale: ValueScale = .linear,
        valueAxisTitle: String? = nil
    ) {
        self.valueScale = valueScale
        self.valueAxisTitle = valueAxisTitle
        self.width = width
        self.height = height
        self.valueColumns = valueColumns
        self.kind = kind
        self.lineThreshold = lineThreshold
    }

    /// The accepted range of widths and heights.
    static let sizeRange = 100...8000

    /// Checks that the options can be used at all.
    func validate() throws(GraphError) {
        guard Self.sizeRange.contains(width), Self.sizeRange.contains(height) else {
            throw GraphError(
                .invalidOptions,
                "chart size \(width)x\(height) is outside \(Self.sizeRange.lowerBound)..."
                    + "\(Self.sizeRange.upperBound) pixels; pass a width and height in that range"
            )
        }
        if let valueColumns, valueColumns.isEmpty {
            throw GraphError(
                .invalidOptions,
                "valueColumns is empty; name at least one column or pass nil to draw the computed values"
            )
        }
    }
}
