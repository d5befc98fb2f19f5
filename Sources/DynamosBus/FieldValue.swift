/// A value in an AMQP field table: message headers and declaration arguments.
///
/// Covers the types RabbitMQ sends and understands (it reads `x-death` as an array of tables, and queue
/// arguments such as `x-delivery-limit` as integers).
public enum FieldValue: Sendable, Hashable {
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case bytes([UInt8])
    case timestamp(UInt64)
    case array([FieldValue])
    case table([String: FieldValue])
    case void

    /// The string, when this value is one (RabbitMQ sends strings as long strings or byte arrays).
    public var stringValue: String? {
        switch self {
        case .string(let text): text
        case .bytes(let bytes): String(decoding: bytes, as: UTF8.self)
        default: nil
        }
    }

    /// The integer, when this value is one.
    public var intValue: Int64? {
        switch self {
        case .int(let number): number
        case .timestamp(let stamp): Int64(exactly: stamp)
        default: nil
        }
    }
}

/// A field table: header names or argument names to values.
public typealias FieldTable = [String: FieldValue]

extension FieldValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
