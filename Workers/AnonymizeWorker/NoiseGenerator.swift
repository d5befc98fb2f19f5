import Crypto

/// The repeatable random numbers behind `perturb`: xoshiro256** seeded from SHA-256 of (request seed, column).
///
/// A retry of a request must give byte-identical output, so noise cannot come from the system generator. The
/// state is the SHA-256 digest of: the seed's UTF-8 byte count as 8 little-endian bytes, the seed's UTF-8 bytes,
/// then the column name's UTF-8 bytes; read as four little-endian `UInt64`s. The length prefix keeps
/// `("ab", "c")` and `("a", "bc")` apart. Every column with one name restarts the same sequence.
struct NoiseGenerator {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    init(seed: String, column: String) {
        var hasher = SHA256()
        let seedBytes = Array(seed.utf8)
        withUnsafeBytes(of: UInt64(seedBytes.count).littleEndian) { hasher.update(bufferPointer: $0) }
        seedBytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        Array(column.utf8).withUnsafeBytes { hasher.update(bufferPointer: $0) }
        let digest = Array(hasher.finalize())
        func word(_ index: Int) -> UInt64 {
            (0..<8).reduce(UInt64(0)) { $0 | UInt64(digest[8 * index + $1]) << (8 * UInt64($1)) }
        }
        state = (word(0), word(1), word(2), word(3))
        if state == (0, 0, 0, 0) {
            state.0 = 0x9E37_79B9_7F4A_7C15
        }
    }

    /// The next 64 random bits (xoshiro256**).
    mutating func next() -> UInt64 {
        let result = rotate(state.1 &* 5, 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = rotate(state.3, 45)
        return result
    }

    /// A uniform value in `[-amplitude, +amplitude)`, from the top 53 bits of `next()`.
    mutating func noise(amplitude: Double) -> Double {
        let unit = Double(next() >> 11) * 0x1p-53
        return (2 * unit - 1) * amplitude
    }

    private func rotate(_ value: UInt64, _ count: UInt64) -> UInt64 {
        (value << count) | (value >> (64 - count))
    }
}
