/// Protobuf wire-size arithmetic, so encoders can choose the smaller layout and size reports need not serialize.
enum WireSize {
    /// Bytes of `value` as a varint.
    static func varint(_ value: UInt64) -> Int {
        value == 0 ? 1 : (64 - value.leadingZeroBitCount + 6) / 7
    }

    /// Bytes of a length-delimited field with a one-byte tag and a payload of `payload` bytes.
    static func lengthDelimited(_ payload: Int) -> Int {
        1 + varint(UInt64(payload)) + payload
    }
}
