import CCairo

/// Draws a `ChartModel` on a Cairo context: background, title, legend, grid, axes, bars or lines, labels.
///
/// The same painter draws the PNG and the SVG, so both show the same layout. Fonts come from Cairo's toy font
/// API ("DejaVu Sans" through fontconfig); Cairo guards its font caches with locks, so painters on different
/// threads are safe as long as each uses its own context, which `CairoCanvas` guarantees.
struct ChartPainter {
    /// The font family asked of fontconfig (installed by `fonts-dejavu-core`).
    static let fontFamily = "DejaVu Sans"

    /// Outer margin around everything.
    let padding = 16.0
    /// Title font size.
    let titleSize = 18.0
    /// Axis name and legend font size.
    let labelSize = 12.0
    /// Tick label font size.
    let tickSize = 11.0
    /// Value label font size.
    let valueSize = 10.0

    /// The context to draw on.
    let context: OpaquePointer
    /// What to draw.
    let model: ChartModel
    /// The canvas width in pixels.
    let width: Double
    /// The canvas height in pixels.
    let height: Double

    /// Draws the whole chart.
    func paint() {
        configureFonts()
        setColor(ChartPalette.background)
        cairo_paint(context)
        var top = drawTitle(top: padding)
        if model.series.count > 1 {
            top = drawLegend(top: top)
        }
        let yScale = valueScale()
        let yTicks = yScale.ticks
        let yLabels = yTicks.map(yScale.label)
        setFont(size: tickSize)
        let tickWidth = yLabels.map(textWidth).max() ?? 0
        let left = padding + labelSize * 1.2 + 8 + tickWidth + 6
        let right = width - padding - 12
        let xAxisHeight: Double
        let groupAxis: CategoryAxis?
        if model.kind == .bar {
            let axis = categoryAxis(plotWidth: right - left, maxHeight: (height - top) * 0.3)
            groupAxis = axis
            xAxisHeight = axis.height
        } else {
            groupAxis = nil
            xAxisHeight = tickSize * 1.4
        }
        let bottom = height - padding - labelSize * 1.2 - 6 - xAxisHeight - 6
        let plot = PlotArea(x: left, y: top + valueSize + 6, width: right - left, height: bottom - top - valueSize - 6)
        guard plot.width > 20, plot.height > 20 else { return }
        drawGrid(plot: plot, scale: yScale, ticks: yTicks, labels: yLabels)
        if let groupAxis {
            drawBars(plot: plot, scale: yScale, axis: groupAxis)
        } else {
            drawLines(plot: plot, yScale: yScale)
        }
        drawAxes(plot: plot, scale: yScale)
        drawAxisNames(plot: plot)
    }

    /// The value axis: linear from zero for bars, or logarithmic when the model asks for it.
    private func valueScale() -> NiceScale {
        if model.logarithmic {
            let high = model.allValues.filter { $0 > 0 }.max() ?? 10
            return .logarithmic(covering: model.allValues, ceiling: model.kind == .bar ? high * 1.15 : high)
        }
        return NiceScale(covering: scaleValues(), includeZero: model.kind == .bar)
    }

    /// The values the y scale must cover: the data plus, for bars, headroom for the value labels.
    private func scaleValues() -> [Double] {
        let values = model.allValues
        guard model.kind == .bar, let low = values.min(), let high = values.max() else { return values }
        let headroom = (max(high, 0) - min(low, 0)) * 0.06
        return values + [high > 0 ? high + headroom : high, low < 0 ? low - headroom : low]
    }

    /// Draws the centred title and returns the y below it.
    private func drawTitle(top: Double) -> Double {
        guard !model.title.isEmpty else { return top }
        setFont(size: titleSize, bold: true)
        setColor(ChartPalette.text)
        let title = fitted(model.title, maxWidth: width - 2 * padding)
        drawText(title, x: width / 2, y: top + ascent, anchor: .center)
        return top + titleSize * 1.25 + 6
    }

    /// Draws one legend entry per series in rows that wrap, and returns the y below the legend.
    private func drawLegend(top: Double) -> Double {
        setFont(size: labelSize)
        let swatch = labelSize
        let rowHeight = labelSize * 1.5
        var x = padding
        var y = top
        for (index, series) in model.series.enumerated() {
            let name = fitted(series.name, maxWidth: min(260, width - 2 * padding - swatch - 6))
            let entryWidth = swatch + 6 + textWidth(name)
            if x > padding && x + entryWidth > width - padding {
                x = padding
                y += rowHeight
            }
            setColor(ChartPalette.series(index))
            cairo_rectangle(context, x, y + (rowHeight - swatch) / 2, swatch, swatch)
            cairo_fill(context)
            setColor(ChartPalette.text)
            drawText(name, x: x + swatch + 6, y: y + (rowHeight + ascent) / 2 - 1)
            x += entryWidth + 18
        }
        return y + rowHeight + 4
    }

    /// Draws horizontal grid lines with their tick labels left of the plot.
    private func drawGrid(plot: PlotArea, scale: NiceScale, ticks: [Double], labels: [String]) {
        setFont(size: tickSize)
        cairo_set_line_width(context, 1)
        for (tick, label) in zip(ticks, labels) {
            let y = (plot.yPosition(tick, on: scale)).rounded() + 0.5
            setColor(ChartPalette.grid)
            cairo_move_to(context, plot.x, y)
            cairo_line_to(context, plot.maxX, y)
            cairo_stroke(context)
            setColor(ChartPalette.mutedText)
            drawText(label, x: plot.x - 6, y: y + ascent * 0.35, anchor: .trailing)
        }
    }

    /// Draws the y axis, the x axis and, when the range crosses zero, a zero line.
    private func drawAxes(plot: PlotArea, scale: NiceScale) {
        setColor(ChartPalette.axis)
        cairo_set_line_width(context, 1)
        let left = plot.x.rounded() + 0.5
        let bottom = plot.maxY.rounded() + 0.5
        cairo_move_to(context, left, plot.y)
        cairo_line_to(context, left, bottom)
        cairo_line_to(context, plot.maxX, bottom)
        if !scale.isLogarithmic && scale.lower < 0 && scale.upper > 0 {
            let zero = plot.yPosition(0, on: scale).rounded() + 0.5
            cairo_move_to(context, left, zero)
            cairo_line_to(context, plot.maxX, zero)
        }
        cairo_stroke(context)
    }

    /// Draws the x axis name under the plot and the y axis name rotated left of it.
    private func drawAxisNames(plot: PlotArea) {
        setFont(size: labelSize, bold: true)
        setColor(ChartPalette.text)
        let xName = fitted(model.xAxisLabel, maxWidth: plot.width)
        drawText(xName, x: plot.x + plot.width / 2, y: height - padding, anchor: .center)
        let yName = fitted(model.yAxisLabel, maxWidth: plot.height)
        drawRotatedText(
            yName,
            x: padding + labelSize / 2,
            y: plot.y + plot.height / 2,
            angle: -Double.pi / 2,
            anchor: .center
        )
    }
}
