import CCairo

/// Encodes a Cairo RGB24 image surface as a PNG with zlib directly.
///
/// Cairo's own PNG writer goes through libpng with adaptive filtering, which tries every filter on every row and
/// took most of a chart's render time. Charts are large flat areas, so one fixed filter (Sub, which turns runs of
/// one colour into runs of zeros) and zlib's run-length strategy give small files at a fraction of the cost.
/// Hand-written rather than through libpng because libpng reports errors with `longjmp`, which must not cross Swift
/// frames; the format itself (signature, IHDR, IDAT, IEND, each with a CRC-32) is small.
enum PNGEncoder {
    /// The PNG bytes of `surface`, which must be a flushed `CAIRO_FORMAT_RGB24` image surface.
    /// - Throws: `GraphError` `.pngEncoding` when zlib fails.
    static func encode(rgb24 surface: OpaquePointer) throws(GraphError) -> [UInt8] {
        let width = Int(cairo_image_surface_get_width(surface))
        let height = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        guard width > 0, height > 0, let data = cairo_image_surface_get_data(surface) else {
            throw GraphError(.pngEncoding, "the image surface has no pixels to encode")
        }
        let rowBytes = 1 + width * 3
        var raw = [UInt8](repeating: 0, count: rowBytes * height)
        raw.withUnsafeMutableBufferPointer { out in
            for y in 0..<height {
                let row = UnsafeRawPointer(data + y * stride).assumingMemoryBound(to: UInt32.self)
                let base = y * rowBytes
                out[base] = 1
                var previous: (UInt8, UInt8, UInt8) = (0, 0, 0)
                for x in 0..<width {
                    let pixel = row[x]
                    let red = UInt8(truncatingIfNeeded: pixel >> 16)
                    let green = UInt8(truncatingIfNeeded: pixel >> 8)
                    let blue = UInt8(truncatingIfNeeded: pixel)
                    let offset = base + 1 + x * 3
                    out[offset] = red &- previous.0
                    out[offset + 1] = green &- previous.1
                    out[offset + 2] = blue &- previous.2
                    previous = (red, green, blue)
                }
            }
        }
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header: [UInt8] = []
        header += bigEndian(UInt32(width)) + bigEndian(UInt32(height))
        header += [8, 2, 0, 0, 0]
        appendChunk("IHDR", header, to: &png)
        appendChunk("IDAT", try deflate(raw), to: &png)
        appendChunk("IEND", [], to: &png)
        return png
    }

    private static func deflate(_ input: [UInt8]) throws(GraphError) -> [UInt8] {
        var stream = z_stream()
        let initialized = deflateInit2_(
            &stream, 6, Z_DEFLATED, 15, 8, Z_RLE, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard initialized == Z_OK else {
            throw GraphError(.pngEncoding, "zlib could not start deflating (code \(initialized))")
        }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(input.count))))
        var input = input
        let result = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = UInt32(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = UInt32(target.count)
                return CCairo.deflate(&stream, Z_FINISH)
            }
        }
        guard result == Z_STREAM_END else {
            throw GraphError(.pngEncoding, "zlib could not compress the image (code \(result))")
        }
        return Array(output.prefix(Int(stream.total_out)))
    }

    private static func appendChunk(_ type: String, _ body: [UInt8], to png: inout [UInt8]) {
        let typed = Array(type.utf8) + body
        png += bigEndian(UInt32(body.count))
        png += typed
        let checksum = typed.withUnsafeBufferPointer { crc32(0, $0.baseAddress, UInt32($0.count)) }
        png += bigEndian(UInt32(truncatingIfNeeded: checksum))
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xff), UInt8((value >> 8) & 0xff), UInt8(value & 0xff)]
    }
}
