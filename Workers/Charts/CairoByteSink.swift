import CCairo

/// Collects the bytes Cairo writes to a stream (PNG or SVG) into a Swift array.
///
/// Cairo calls `write` with an opaque closure pointer; the pointer is an unretained reference to a sink that
/// the caller keeps alive (`withExtendedLifetime`) for as long as the surface can write. One sink per surface,
/// used on one thread, so it needs no locking.
final class CairoByteSink {
    /// The bytes written so far.
    private(set) var bytes: [UInt8] = []

    /// Makes an empty sink, reserving room for `capacity` bytes.
    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    /// The opaque pointer to hand to Cairo as the stream closure; valid while `self` is alive.
    var closure: UnsafeMutableRawPointer {
        Unmanaged.passUnretained(self).toOpaque()
    }

    /// The `cairo_write_func_t` that appends to the sink behind `closure`.
    static let write: cairo_write_func_t = { closure, data, length in
        guard let closure else { return CAIRO_STATUS_WRITE_ERROR }
        let sink = Unmanaged<CairoByteSink>.fromOpaque(closure).takeUnretainedValue()
        if length > 0 {
            guard let data else { return CAIRO_STATUS_WRITE_ERROR }
            sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
        }
        return CAIRO_STATUS_SUCCESS
    }
}
