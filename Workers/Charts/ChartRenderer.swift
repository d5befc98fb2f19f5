public import DynamosMessages

/// Turns a result table into a chart image, so an analysis result can be looked at rather than read.
///
/// Picks the chart from the table (grouped bars for an aggregate result, a line for a numeric series), lays it
/// out once and draws it with Cairo on an image surface (PNG) and an SVG surface. Rendering is pure: no bus, no
/// files, and the same table and options give byte-identical PNG and SVG.
///
/// Thread safety: a renderer is a value and every `render` call creates and destroys its own Cairo surfaces
/// and contexts, so renders may run concurrently. Text goes through Cairo's toy font API and fontconfig, whose
/// caches are shared but locked; the first render in a process pays for loading the fontconfig configuration.
/// Like any blocking work, a large render should not hog the cooperative thread pool.
public struct ChartRenderer: Sendable {
    /// The options every render uses.
    public let options: ChartOptions

    /// Makes a renderer with the given options.
    public init(options: ChartOptions = .init()) {
        self.options = options
    }

    /// Draws `table` as a chart with `title` on top, as PNG and SVG.
    /// - Parameters:
    ///   - table: an algorithm result (group columns, then computed value columns, then `count`), a numeric
    ///     series (a numeric first column such as a year, then values), or a plain table with numbers.
    ///   - title: the chart title (any Unicode text; shortened with an ellipsis when too wide).
    /// - Throws: `GraphError`: `.emptyTable` or `.nothingNumeric` when there is nothing to draw,
    ///   `.unknownColumn`, `.notNumeric` or `.invalidOptions` when the options do not fit the table, and
    ///   `.surfaceCreation`, `.drawing`, `.pngEncoding` or `.svgEncoding` when Cairo fails.
    public func render(_ table: DataTable, title: String) throws(GraphError) -> RenderedChart {
        try options.validate()
        let model = try ChartModel(table: table, title: title, options: options)
        let draw: CairoCanvas.Draw = { context, width, height in
            ChartPainter(context: context, model: model, width: width, height: height).paint()
        }
        let png = try CairoCanvas.png(width: options.width, height: options.height, draw: draw)
        let svg = try CairoCanvas.svg(width: options.width, height: options.height, draw: draw)
        return RenderedChart(png: png, svg: svg, width: options.width, height: options.height, kind: model.kind)
    }
}
