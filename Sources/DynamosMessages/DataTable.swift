/// A typed, columnar result set: what queries produce, workers transform and the bus carries.
///
/// Columns keep their order and names, duplicates included. Every column has exactly `rowCount` rows; the
/// initializers and mutators check that, so code reading a table never meets a ragged one. `proto` and
/// `init(proto:)` convert to and from the compact wire form `Dynamos_Table`.
public struct DataTable: Sendable, Equatable {
    /// The columns, in query order.
    public private(set) var columns: [DataColumn]
    /// The number of rows (also meaningful for a table without columns).
    public private(set) var rowCount: Int

    /// An empty table: no columns, no rows.
    public init() {
        columns = []
        rowCount = 0
    }

    /// A table of the given columns, each of which must have `rowCount` rows.
    /// - Throws: `DataTableError` `.columnLengthMismatch` when a column has another length, or when
    ///   `rowCount` is negative.
    public init(rowCount: Int, columns: [DataColumn]) throws(DataTableError) {
        guard rowCount >= 0 else {
            throw DataTableError(.columnLengthMismatch, "row count \(rowCount) is negative; pass 0 or more")
        }
        for (index, column) in columns.enumerated() where column.count != rowCount {
            throw DataTableError(
                .columnLengthMismatch,
                "column \(index) '\(column.name)' has \(column.count) rows, the table \(rowCount); "
                    + "give every column the same number of rows"
            )
        }
        self.columns = columns
        self.rowCount = rowCount
    }

    /// A table of the given columns, which must all have the same number of rows (0 rows when empty).
    /// - Throws: `DataTableError` `.columnLengthMismatch` when the columns differ in length.
    public init(columns: [DataColumn]) throws(DataTableError) {
        try self.init(rowCount: columns.first?.count ?? 0, columns: columns)
    }

    /// The number of columns.
    public var columnCount: Int { columns.count }

    /// The column names in order, duplicates included.
    public var columnNames: [String] { columns.map(\.name) }

    /// The value at `row` of column `column`; both must be in range.
    public func value(row: Int, column: Int) -> CellValue {
        columns[column].values[row]
    }

    /// All values of `row`, in column order.
    public func row(_ row: Int) -> [CellValue] {
        precondition(row >= 0 && row < rowCount, "row \(row) out of range 0..<\(rowCount)")
        return columns.map { $0.values[row] }
    }

    /// The index of the first column called `name`.
    public func columnIndex(named name: String) -> Int? {
        columns.firstIndex { $0.name == name }
    }

    /// The indices of every column called `name`, in order.
    public func columnIndices(named name: String) -> [Int] {
        columns.indices.filter { columns[$0].name == name }
    }

    /// The first column called `name`.
    public func column(named name: String) -> DataColumn? {
        columns.first { $0.name == name }
    }

    /// Adds a column at the end.
    /// - Throws: `DataTableError` `.columnLengthMismatch` when its row count differs from the table's.
    ///   A table without columns takes the row count of its first column.
    public mutating func appendColumn(_ column: DataColumn) throws(DataTableError) {
        if columns.isEmpty && rowCount == 0 {
            rowCount = column.count
        }
        try checkLength(of: column, at: columns.count)
        columns.append(column)
    }

    /// Replaces the column at `index`, e.g. with a generalized version of it.
    /// - Throws: `DataTableError` `.columnIndexOutOfRange` or `.columnLengthMismatch`.
    public mutating func replaceColumn(at index: Int, with column: DataColumn) throws(DataTableError) {
        try checkIndex(index)
        try checkLength(of: column, at: index)
        columns[index] = column
    }

    /// Removes and returns the column at `index`.
    /// - Throws: `DataTableError` `.columnIndexOutOfRange`.
    @discardableResult
    public mutating func removeColumn(at index: Int) throws(DataTableError) -> DataColumn {
        try checkIndex(index)
        return columns.remove(at: index)
    }

    /// The given rows, in that order; rows may repeat and must be in `0..<rowCount`.
    public func gathering(rows: [Int]) -> DataTable {
        for row in rows {
            precondition(row >= 0 && row < rowCount, "row \(row) out of range 0..<\(rowCount)")
        }
        var result = DataTable()
        result.rowCount = rows.count
        result.columns = columns.map { $0.gathering(rows: rows) }
        return result
    }

    /// The first `maxRows` rows (all of them when there are fewer), like SQL's `LIMIT`.
    public func prefix(_ maxRows: Int) -> DataTable {
        var result = self
        result.rowCount = min(rowCount, max(maxRows, 0))
        result.columns = columns.map { $0.prefix(maxRows) }
        return result
    }

    private func checkIndex(_ index: Int) throws(DataTableError) {
        guard columns.indices.contains(index) else {
            throw DataTableError(
                .columnIndexOutOfRange,
                "column index \(index) is outside 0..<\(columns.count); use an index of an existing column"
            )
        }
    }

    private func checkLength(of column: DataColumn, at index: Int) throws(DataTableError) {
        guard column.count == rowCount else {
            throw DataTableError(
                .columnLengthMismatch,
                "column \(index) '\(column.name)' has \(column.count) rows, the table \(rowCount); "
                    + "give every column the same number of rows"
            )
        }
    }
}
