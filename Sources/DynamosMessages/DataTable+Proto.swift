extension DataTable {
    /// Reads a wire table, checking every column against the encoding rules.
    /// - Throws: `DataTableError` when `row_count` does not fit in `Int` or a column is malformed
    ///   (see `DataColumn.init(proto:rowCount:)`).
    public init(proto table: Dynamos_Table) throws(DataTableError) {
        guard table.rowCount <= UInt64(Int.max) else {
            throw DataTableError(
                .rowCountOutOfRange,
                "row_count \(table.rowCount) does not fit in Int; the sender wrote an impossible row count"
            )
        }
        let rowCount = Int(table.rowCount)
        let backed = table.columns.contains { $0.type != .null }
        guard backed || rowCount <= Self.maximumUnbackedRows else {
            throw DataTableError(
                .rowCountOutOfRange,
                "row_count \(rowCount) is claimed by a table whose columns carry no values (all null or none), "
                    + "more than the \(Self.maximumUnbackedRows) rows such a table may claim; the sender wrote an "
                    + "impossible row count"
            )
        }
        var columns: [DataColumn] = []
        columns.reserveCapacity(table.columns.count)
        for column in table.columns {
            columns.append(try DataColumn(proto: column, rowCount: rowCount))
        }
        try self.init(rowCount: rowCount, columns: columns)
    }

    /// The most rows a table may claim when no column carries values to back the claim: every other table's row
    /// count is checked against the value arrays it came with, so the bytes received bound it.
    public static let maximumUnbackedRows = 1_000_000

    /// The compact wire form of this table (see `DataColumn.proto` for the column encodings).
    public var proto: Dynamos_Table {
        var table = Dynamos_Table()
        table.rowCount = UInt64(rowCount)
        table.columns = columns.map(\.proto)
        return table
    }
}
