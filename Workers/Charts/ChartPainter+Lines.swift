import CCairo

extension ChartPainter {
    /// Draws one line with point markers per series over the numeric x axis, and the x tick labels.
    func drawLines(plot: PlotArea, yScale: NiceScale) {
        let xScale = NiceScale(covering: model.xValues, includeZero: false)
        drawXTicks(plot: plot, scale: xScale)
        let markers = model.pointCount <= 120
        cairo_set_line_width(context, 2)
        cairo_set_line_join(context, CAIRO_LINE_JOIN_ROUND)
        for (index, series) in model.series.enumerated() {
            setColor(ChartPalette.series(index))
            var drawing = false
            for (x, value) in zip(model.xValues, series.values) {
                guard let value, !yScale.isLogarithmic || value > 0 else {
                    drawing = false
                    continue
                }
                let px = plot.xPosition(x, on: xScale)
                let py = plot.yPosition(value, on: yScale)
                if drawing {
                    cairo_line_to(context, px, py)
                } else {
                    cairo_move_to(context, px, py)
                    drawing = true
                }
            }
            cairo_stroke(context)
            guard markers else { continue }
            for (x, value) in zip(model.xValues, series.values) {
                guard let value, !yScale.isLogarithmic || value > 0 else { continue }
                cairo_new_sub_path(context)
                cairo_arc(
                    context, plot.xPosition(x, on: xScale), plot.yPosition(value, on: yScale), 3, 0, 2 * Double.pi)
            }
            cairo_fill(context)
        }
    }

    /// Draws the x tick marks and their labels under the axis.
    private func drawXTicks(plot: PlotArea, scale: NiceScale) {
        setFont(size: tickSize)
        cairo_set_line_width(context, 1)
        for tick in scale.ticks {
            let x = plot.xPosition(tick, on: scale).rounded() + 0.5
            setColor(ChartPalette.axis)
            cairo_move_to(context, x, plot.maxY)
            cairo_line_to(context, x, plot.maxY + 4)
            cairo_stroke(context)
            setColor(ChartPalette.mutedText)
            drawText(NumberText.tick(tick, step: scale.step), x: x, y: plot.maxY + 6 + ascent, anchor: .center)
        }
    }
}
