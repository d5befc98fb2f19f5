/// A chart drawn twice from the same layout: a PNG for quick viewing and an SVG for scalable output.
///
/// The bytes are deterministic: the same table and options give byte-identical PNG and SVG.
public struct RenderedChart: Sendable, Equatable {
    /// The encoded PNG image (8-bit RGB, `width` x `height` pixels).
    public var png: [UInt8]
    /// The SVG document as UTF-8, `width` x `height` user units (pixels).
    public var svg: [UInt8]
    /// The width in pixels.
    public var width: Int
    /// The height in pixels.
    public var height: Int
    /// The kind of chart that was drawn.
    public var kind: ChartKind

    /// Makes a rendered chart from its encodings and geometry.
    public init(png: [UInt8], svg: [UInt8], width: Int, height: Int, kind: ChartKind) {
        self.png = png
        self.svg = svg
        self.width = width
        self.height = height
        self.kind = kind
    }
}
