import CCairo

extension ChartPainter {
    /// How the group labels under a bar chart are laid out: horizontal when they fit, else slanted, and only
    /// every `stride`-th label when even slanted labels would overlap.
    struct CategoryAxis {
        /// The labels, already shortened to fit.
        var labels: [String]
        /// Whether labels are slanted by 45 degrees.
        var slanted: Bool
        /// Draw every `stride`-th label.
        var stride: Int
        /// The height the labels take under the axis.
        var height: Double
    }

    /// The sine (and cosine) of 45 degrees, for slanted labels.
    private static let slant = 0.7071067811865476

    /// Lays out the group labels for a plot of the given width, using at most `maxHeight` below the axis.
    func categoryAxis(plotWidth: Double, maxHeight: Double) -> CategoryAxis {
        setFont(size: tickSize)
        let count = max(model.pointCount, 1)
        let slot = plotWidth / Double(count)
        let horizontal = model.categories.map { fitted($0, maxWidth: max(slot - 4, 0)) }
        if horizontal == model.categories {
            return CategoryAxis(labels: horizontal, slanted: false, stride: 1, height: tickSize * 1.4)
        }
        let longest = max(maxHeight - tickSize, tickSize) / Self.slant
        let slanted = model.categories.map { fitted($0, maxWidth: min(longest, 160)) }
        let widest = slanted.map(textWidth).max() ?? 0
        let stride = max(1, Int((tickSize * 1.2 / Self.slant / slot).rounded(.up)))
        return CategoryAxis(labels: slanted, slanted: true, stride: stride, height: widest * Self.slant + tickSize)
    }

    /// Draws grouped bars (one per series in each group), their value labels and the group labels.
    func drawBars(plot: PlotArea, scale: NiceScale, axis: CategoryAxis) {
        let count = model.pointCount
        let slot = plot.width / Double(count)
        let groupWidth = slot * (count == 1 ? 0.5 : 0.8)
        let barWidth = groupWidth / Double(model.series.count)
        let inset = barWidth > 6 ? 1.0 : 0
        let zero = scale.isLogarithmic ? plot.maxY : plot.yPosition(0, on: scale)
        for point in 0..<count {
            let groupStart = plot.x + Double(point) * slot + (slot - groupWidth) / 2
            for (index, series) in model.series.enumerated() {
                guard let value = series.values[point] else { continue }
                let x = groupStart + Double(index) * barWidth
                let y = plot.yPosition(value, on: scale)
                setColor(ChartPalette.series(index))
                cairo_rectangle(context, x + inset, min(y, zero), barWidth - 2 * inset, abs(zero - y))
                cairo_fill(context)
                drawValueLabel(value, centerX: x + barWidth / 2, top: y, width: barWidth, below: value < 0)
            }
        }
        drawCategoryLabels(plot: plot, axis: axis, slot: slot)
    }

    /// Draws a value above (or, for negative values, below) its bar when the label fits the bar's width.
    private func drawValueLabel(_ value: Double, centerX: Double, top: Double, width: Double, below: Bool) {
        setFont(size: valueSize)
        let label = NumberText.label(value)
        guard textWidth(label) <= width + 4 else { return }
        setColor(ChartPalette.text)
        let y = below ? top + valueSize + 2 : top - 3
        drawText(label, x: centerX, y: y, anchor: .center)
    }

    /// Draws the group labels under the axis, horizontal or slanted.
    private func drawCategoryLabels(plot: PlotArea, axis: CategoryAxis, slot: Double) {
        setFont(size: tickSize)
        setColor(ChartPalette.mutedText)
        for (point, label) in axis.labels.enumerated() where point % axis.stride == 0 {
            let center = plot.x + (Double(point) + 0.5) * slot
            if axis.slanted {
                let room = fitted(label, maxWidth: max(center - 2, 0) / Self.slant)
                drawRotatedText(room, x: center, y: plot.maxY + 8, angle: -Double.pi / 4, anchor: .trailing)
            } else {
                drawText(label, x: center, y: plot.maxY + 6 + ascent, anchor: .center)
            }
        }
    }
}
