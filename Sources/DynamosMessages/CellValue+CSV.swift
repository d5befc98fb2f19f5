extension CellValue {
    /// The value an unquoted CSV field stands for.
    ///
    /// Empty is null; a canonical integer (`-12`, not `012`, `+12` or `-0`) that fits `Int64` is an integer; a
    /// decimal with a `.` or an exponent (`0.8`, `1e+16`) is a real; anything else is text. Quoted fields are
    /// always text and do not come through here.
    public init(csvField field: some StringProtocol) {
        let bytes = Array(field.utf8)
        self = bytes.withUnsafeBufferPointer { CellValue(csvFieldBytes: $0[...]) }
    }

    init(csvFieldBytes bytes: Slice<UnsafeBufferPointer<UInt8>>) {
        if bytes.isEmpty {
            self = .null
        } else if let integer = CellValue.canonicalInteger(bytes) {
            self = .integer(integer)
        } else if let real = CellValue.decimal(bytes) {
            self = .real(real)
        } else {
            self = .text(String(decoding: bytes, as: UTF8.self))
        }
    }

    private static func canonicalInteger(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Int64? {
        var index = bytes.startIndex
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative {
            index += 1
        }
        let digits = bytes.endIndex - index
        guard digits > 0, digits <= 19 else { return nil }
        if bytes[index] == UInt8(ascii: "0") && (digits > 1 || negative) {
            return nil
        }
        var magnitude: UInt64 = 0
        while index < bytes.endIndex {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            magnitude = magnitude * 10 + UInt64(digit)
            index += 1
        }
        if negative {
            return magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil
        }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    private static func decimal(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Double? {
        var sawDigit = false
        var sawPointOrExponent = false
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): sawDigit = true
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): sawPointOrExponent = true
            case UInt8(ascii: "+"), UInt8(ascii: "-"): continue
            default: return nil
            }
        }
        guard sawDigit, sawPointOrExponent else { return nil }
        return Double(String(decoding: bytes, as: UTF8.self))
    }
}
