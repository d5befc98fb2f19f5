/// One cell of a result table in JSON: an integer, a double, a string, or null.
///
/// Integers stay integers on the way through JSON (a `Double` would lose 64-bit values).
public enum JSONScalar: Sendable, Codable, Equatable, CustomStringConvertible {
    case int(Int64)
    case double(Double)
    case string(String)
    case null

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .int(let value): try container.encode(value)
        case .double(let value) where value.isFinite: try container.encode(value)
        case .double(let value): try container.encode(String(value))
        case .string(let value): try container.encode(value)
        case .null: try container.encodeNil()
        }
    }

    /// The value as a double when it is a number.
    public var number: Double? {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        case .string, .null: nil
        }
    }

    public var description: String {
        switch self {
        case .int(let value): String(value)
        case .double(let value): String(value)
        case .string(let value): value
        case .null: "null"
        }
    }
}
