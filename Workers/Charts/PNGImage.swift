import CCairo

/// A decoded PNG, read back through Cairo, so tests and callers can check a rendered chart's size and pixels
/// without another image library.
public struct PNGImage: Sendable, Equatable {
    /// The width in pixels.
    public let width: Int
    /// The height in pixels.
    public let height: Int
    /// The pixels, row by row, as 0xAARRGGBB (alpha is 0xFF for opaque images).
    public let pixels: [UInt32]

    /// Decodes `bytes` as a PNG.
    /// - Throws: `GraphError` `.pngEncoding` when the bytes are not a PNG Cairo can read.
    public init(decoding bytes: [UInt8]) throws(GraphError) {
        final class Reader {
            let bytes: [UInt8]
            var offset = 0
            init(_ bytes: [UInt8]) { self.bytes = bytes }
        }
        let reader = Reader(bytes)
        let read: cairo_read_func_t = { closure, data, length in
            guard let closure, let data else { return CAIRO_STATUS_READ_ERROR }
            let reader = Unmanaged<Reader>.fromOpaque(closure).takeUnretainedValue()
            let count = Int(length)
            guard reader.offset + count <= reader.bytes.count else { return CAIRO_STATUS_READ_ERROR }
            reader.bytes.withUnsafeBufferPointer { buffer in
                guard let base = buffer.baseAddress, count > 0 else { return }
                data.update(from: base + reader.offset, count: count)
            }
            reader.offset += count
            return CAIRO_STATUS_SUCCESS
        }
        let surface = withExtendedLifetime(reader) {
            cairo_image_surface_create_from_png_stream(read, Unmanaged.passUnretained(reader).toOpaque())
        }
        guard let surface else {
            throw GraphError(.pngEncoding, "Cairo returned no surface for the PNG; pass PNG bytes")
        }
        defer { cairo_surface_destroy(surface) }
        try CairoCanvas.check(cairo_surface_status(surface), .pngEncoding, "decoding a PNG")
        cairo_surface_flush(surface)
        let width = Int(cairo_image_surface_get_width(surface))
        let height = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        var pixels: [UInt32] = []
        pixels.reserveCapacity(width * height)
        if let data = cairo_image_surface_get_data(surface) {
            for row in 0..<height {
                let line = UnsafeRawPointer(data + row * stride)
                for column in 0..<width {
                    pixels.append(line.loadUnaligned(fromByteOffset: column * 4, as: UInt32.self))
                }
            }
        }
        self.width = width
        self.height = height
        self.pixels = pixels
    }
}
