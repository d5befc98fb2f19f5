/// The typed values of one column, one entry per row (`nil` where the row is null).
///
/// Keeping each type in its own array lets workers scan a column without boxing every cell, and is what the
/// wire format stores. Equality is exact: reals compare by bit pattern, so NaN payloads, infinities and `-0.0`
/// must survive a round trip unchanged.
public enum ColumnValues: Sendable {
    case integer([Int64?])
    case real([Double?])
    case text([String?])
    case blob([[UInt8]?])
    /// A column in which every row is null; only the row count is kept.
    case null(count: Int)

    /// The number of rows.
    public var count: Int {
        switch self {
        case .integer(let values): values.count
        case .real(let values): values.count
        case .text(let values): values.count
        case .blob(let values): values.count
        case .null(let count): count
        }
    }

    /// The column type these values have.
    public var type: ColumnType {
        switch self {
        case .integer: .integer
        case .real: .real
        case .text: .text
        case .blob: .blob
        case .null: .null
        }
    }

    /// The value of `row`, which must be in `0..<count`.
    public subscript(row: Int) -> CellValue {
        switch self {
        case .integer(let values): return values[row].map(CellValue.integer) ?? .null
        case .real(let values): return values[row].map(CellValue.real) ?? .null
        case .text(let values): return values[row].map(CellValue.text) ?? .null
        case .blob(let values): return values[row].map(CellValue.blob) ?? .null
        case .null(let count):
            precondition(row >= 0 && row < count, "row \(row) out of range 0..<\(count)")
            return .null
        }
    }

    /// Whether `row` is null.
    public func isNull(at row: Int) -> Bool {
        switch self {
        case .integer(let values): return values[row] == nil
        case .real(let values): return values[row] == nil
        case .text(let values): return values[row] == nil
        case .blob(let values): return values[row] == nil
        case .null(let count):
            precondition(row >= 0 && row < count, "row \(row) out of range 0..<\(count)")
            return true
        }
    }

    /// The number of null rows.
    public var nullCount: Int {
        switch self {
        case .integer(let values): values.reduce(0) { $1 == nil ? $0 + 1 : $0 }
        case .real(let values): values.reduce(0) { $1 == nil ? $0 + 1 : $0 }
        case .text(let values): values.reduce(0) { $1 == nil ? $0 + 1 : $0 }
        case .blob(let values): values.reduce(0) { $1 == nil ? $0 + 1 : $0 }
        case .null(let count): count
        }
    }

    /// The values of the given rows, in that order; rows may repeat and must be in `0..<count`.
    public func gathering(rows: some Sequence<Int>) -> ColumnValues {
        switch self {
        case .integer(let values): .integer(rows.map { values[$0] })
        case .real(let values): .real(rows.map { values[$0] })
        case .text(let values): .text(rows.map { values[$0] })
        case .blob(let values): .blob(rows.map { values[$0] })
        case .null(let count):
            .null(count: rows.reduce(0) { total, row in ColumnValues.checked(row, count) + total })
        }
    }

    /// The first `maxRows` rows (all of them when there are fewer).
    public func prefix(_ maxRows: Int) -> ColumnValues {
        let length = max(maxRows, 0)
        return switch self {
        case .integer(let values): .integer(Array(values.prefix(length)))
        case .real(let values): .real(Array(values.prefix(length)))
        case .text(let values): .text(Array(values.prefix(length)))
        case .blob(let values): .blob(Array(values.prefix(length)))
        case .null(let count): .null(count: min(count, length))
        }
    }
}

extension ColumnValues {
    /// 1, after trapping when `row` is outside `0..<count`.
    private static func checked(_ row: Int, _ count: Int) -> Int {
        precondition(row >= 0 && row < count, "row \(row) out of range 0..<\(count)")
        return 1
    }
}

extension ColumnValues: Equatable {
    public static func == (lhs: ColumnValues, rhs: ColumnValues) -> Bool {
        switch (lhs, rhs) {
        case (.integer(let left), .integer(let right)): left == right
        case (.real(let left), .real(let right)):
            left.count == right.count && zip(left, right).allSatisfy { $0?.bitPattern == $1?.bitPattern }
        case (.text(let left), .text(let right)): left == right
        case (.blob(let left), .blob(let right)): left == right
        case (.null(let left), .null(let right)): left == right
        default: false
        }
    }
}
