/// One cell of a `DataTable`, for code that works row by row rather than column by column.
///
/// Equality and hashing are exact: reals compare by bit pattern, so `NaN == NaN` (same payload) and
/// `0.0 != -0.0`. That is what round-trip checks and join keys need; numeric comparison is the caller's job.
public enum CellValue: Sendable {
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
    case null

    /// The column type this value belongs to (`null` for `.null`).
    public var type: ColumnType {
        switch self {
        case .integer: .integer
        case .real: .real
        case .text: .text
        case .blob: .blob
        case .null: .null
        }
    }

    /// Whether this is `.null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The integer, when this is `.integer`.
    public var integerValue: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// The number as a `Double`, when this is `.integer` or `.real`.
    public var doubleValue: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .real(let value): value
        default: nil
        }
    }

    /// The string, when this is `.text`.
    public var textValue: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    /// The bytes, when this is `.blob`.
    public var blobValue: [UInt8]? {
        if case .blob(let value) = self { return value }
        return nil
    }
}

extension CellValue: Equatable {
    public static func == (lhs: CellValue, rhs: CellValue) -> Bool {
        switch (lhs, rhs) {
        case (.integer(let left), .integer(let right)): left == right
        case (.real(let left), .real(let right)): left.bitPattern == right.bitPattern
        case (.text(let left), .text(let right)): left == right
        case (.blob(let left), .blob(let right)): left == right
        case (.null, .null): true
        default: false
        }
    }
}

extension CellValue: Hashable {
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .integer(let value):
            hasher.combine(0 as UInt8)
            hasher.combine(value)
        case .real(let value):
            hasher.combine(1 as UInt8)
            hasher.combine(value.bitPattern)
        case .text(let value):
            hasher.combine(2 as UInt8)
            hasher.combine(value)
        case .blob(let value):
            hasher.combine(3 as UInt8)
            hasher.combine(value)
        case .null:
            hasher.combine(4 as UInt8)
        }
    }
}

extension CellValue: CustomStringConvertible {
    /// The value as text: numbers in Swift's shortest round-tripping form, `NULL` for null, blobs as hex.
    public var description: String {
        switch self {
        case .integer(let value): String(value)
        case .real(let value): value.description
        case .text(let value): value
        case .blob(let value): "x'" + value.map { byte in hexDigits(byte) }.joined() + "'"
        case .null: "NULL"
        }
    }

    private func hexDigits(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
