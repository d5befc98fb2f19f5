extension DataTable {
    /// The rows of `tables` one after another, as `UNION ALL` would give them (e.g. results of several stewards).
    ///
    /// Columns are matched by position and named after the first table. Types are unified as
    /// `DataTableBuilder` does: an integer column meeting reals becomes real, text wins, all-null parts take the
    /// other parts' type.
    /// - Throws: `DataTableError` `.rowWidthMismatch` when the tables have different numbers of columns.
    public init(concatenating tables: [DataTable]) throws(DataTableError) {
        guard let first = tables.first else {
            self.init()
            return
        }
        var accumulators = Array(
            repeating: ColumnAccumulator(expectedCount: tables.reduce(0) { $0 + $1.rowCount }),
            count: first.columnCount
        )
        for (position, table) in tables.enumerated() {
            guard table.columnCount == first.columnCount else {
                throw DataTableError(
                    .rowWidthMismatch,
                    "table \(position) has \(table.columnCount) columns, the first \(first.columnCount); "
                        + "concatenate only tables with the same columns"
                )
            }
            for (index, column) in table.columns.enumerated() {
                accumulators[index].append(contentsOf: column.values)
            }
        }
        let columns = zip(first.columns, accumulators).map { column, accumulator in
            DataColumn(name: column.name, values: accumulator.values)
        }
        try self.init(rowCount: tables.reduce(0) { $0 + $1.rowCount }, columns: columns)
    }
}
