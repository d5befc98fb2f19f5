import CCairo

/// Runs one drawing function on a Cairo surface and encodes the result, as PNG or as SVG.
///
/// Each call owns its surface and context and destroys both before returning, also on failure, so renders on
/// different threads share nothing but Cairo's internal, locked font caches. Every Cairo status is checked and
/// mapped to a `GraphError`.
enum CairoCanvas {
    /// The drawing function: given a context and the size in pixels, it draws the whole chart.
    typealias Draw = (_ context: OpaquePointer, _ width: Double, _ height: Double) -> Void

    /// Draws on an RGB image surface and returns the PNG bytes.
    /// - Throws: `GraphError` `.surfaceCreation`, `.drawing` or `.pngEncoding`.
    static func png(width: Int, height: Int, draw: Draw) throws(GraphError) -> [UInt8] {
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height)) else {
            throw GraphError(.surfaceCreation, "Cairo returned no image surface; check that memory is available")
        }
        defer { cairo_surface_destroy(surface) }
        try check(cairo_surface_status(surface), .surfaceCreation, "creating a \(width)x\(height) image surface")
        try paint(on: surface, width: width, height: height, draw: draw)
        cairo_surface_flush(surface)
        return try PNGEncoder.encode(rgb24: surface)
    }

    /// Draws on an SVG surface that streams into memory and returns the finished document, with Cairo's
    /// process-global surface id made stable (see `SVGNormalizer`).
    /// - Throws: `GraphError` `.surfaceCreation`, `.drawing` or `.svgEncoding`.
    static func svg(width: Int, height: Int, draw: Draw) throws(GraphError) -> [UInt8] {
        let sink = CairoByteSink(capacity: 64 * 1024)
        return try withExtendedLifetime(sink) { () throws(GraphError) -> [UInt8] in
            guard
                let surface = cairo_svg_surface_create_for_stream(
                    CairoByteSink.write, sink.closure, Double(width), Double(height))
            else {
                throw GraphError(.surfaceCreation, "Cairo returned no SVG surface; check that memory is available")
            }
            defer { cairo_surface_destroy(surface) }
            try check(cairo_surface_status(surface), .surfaceCreation, "creating a \(width)x\(height) SVG surface")
            cairo_svg_surface_restrict_to_version(surface, CAIRO_SVG_VERSION_1_1)
            cairo_svg_surface_set_document_unit(surface, CAIRO_SVG_UNIT_USER)
            try paint(on: surface, width: width, height: height, draw: draw)
            cairo_surface_finish(surface)
            try check(cairo_surface_status(surface), .svgEncoding, "finishing the SVG document")
            return SVGNormalizer.normalized(sink.bytes)
        }
    }

    /// Makes a context on `surface`, runs `draw` and checks the context's status.
    private static func paint(
        on surface: OpaquePointer,
        width: Int,
        height: Int,
        draw: Draw
    ) throws(GraphError) {
        guard let context = cairo_create(surface) else {
            throw GraphError(.surfaceCreation, "Cairo returned no drawing context; check that memory is available")
        }
        defer { cairo_destroy(context) }
        try check(cairo_status(context), .surfaceCreation, "creating a drawing context")
        draw(context, Double(width), Double(height))
        try check(cairo_status(context), .drawing, "drawing the chart")
        try check(cairo_surface_status(surface), .drawing, "drawing the chart")
    }

    /// Throws a `GraphError` with `code` when `status` is not success.
    static func check(_ status: cairo_status_t, _ code: GraphError.Code, _ step: String) throws(GraphError) {
        guard status != CAIRO_STATUS_SUCCESS else { return }
        let reason = cairo_status_to_string(status).map { String(cString: $0) } ?? "status \(status.rawValue)"
        throw GraphError(
            code,
            "Cairo failed while \(step): \(reason); check the chart size and available memory, "
                + "and that libcairo and its fonts are installed"
        )
    }
}
