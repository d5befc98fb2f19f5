/// A named column of a `DataTable`.
///
/// Names need not be unique: `SELECT *` over a join repeats `Instcode`, and the table keeps both.
public struct DataColumn: Sendable, Equatable {
    /// The column name as the query produced it.
    public var name: String
    /// The values, one per row.
    public var values: ColumnValues

    /// Makes a column from a name and its values.
    public init(name: String, values: ColumnValues) {
        self.name = name
        self.values = values
    }

    /// An integer column.
    public static func integer(_ name: String, _ values: [Int64?]) -> DataColumn {
        DataColumn(name: name, values: .integer(values))
    }

    /// A real (double) column.
    public static func real(_ name: String, _ values: [Double?]) -> DataColumn {
        DataColumn(name: name, values: .real(values))
    }

    /// A text column.
    public static func text(_ name: String, _ values: [String?]) -> DataColumn {
        DataColumn(name: name, values: .text(values))
    }

    /// A blob (bytes) column.
    public static func blob(_ name: String, _ values: [[UInt8]?]) -> DataColumn {
        DataColumn(name: name, values: .blob(values))
    }

    /// A column of `count` rows that are all null.
    public static func null(_ name: String, count: Int) -> DataColumn {
        DataColumn(name: name, values: .null(count: count))
    }

    /// The number of rows.
    public var count: Int { values.count }

    /// The column type.
    public var type: ColumnType { values.type }

    /// The value of `row`, which must be in `0..<count`.
    public func value(at row: Int) -> CellValue { values[row] }

    /// Whether `row` is null.
    public func isNull(at row: Int) -> Bool { values.isNull(at: row) }

    /// This column restricted to the given rows, in that order; rows may repeat and must be in `0..<count`.
    public func gathering(rows: some Sequence<Int>) -> DataColumn {
        DataColumn(name: name, values: values.gathering(rows: rows))
    }

    /// This column's first `maxRows` rows.
    public func prefix(_ maxRows: Int) -> DataColumn {
        DataColumn(name: name, values: values.prefix(maxRows))
    }
}
