/// The rectangle inside the axes where bars and lines are drawn, in device pixels.
struct PlotArea: Sendable, Equatable {
    var x: Double
    var y: Double
    var width: Double
    var height: Double

    /// The right edge.
    var maxX: Double { x + width }
    /// The bottom edge (the x axis).
    var maxY: Double { y + height }

    /// The vertical pixel position of `value` on `scale`.
    func yPosition(_ value: Double, on scale: NiceScale) -> Double {
        maxY - scale.fraction(of: value) * height
    }

    /// The horizontal pixel position of `value` on `scale`.
    func xPosition(_ value: Double, on scale: NiceScale) -> Double {
        x + scale.fraction(of: value) * width
    }
}
