/// Builds a `DataTable` row by row, inferring each column's type from the values it meets.
///
/// For producers that think in rows (a CSV reader, a SQL cursor, a join). Inference per column: all nulls stay a
/// null column; integers make an integer column, which becomes real when a real arrives; text wins over
/// everything (earlier numbers become their text form); blobs stay blob unless mixed with other values, then text.
/// Values are appended to typed arrays in place, so building is linear in the number of cells.
public struct DataTableBuilder: Sendable {
    /// The column names, in order.
    public let columnNames: [String]
    private var accumulators: [ColumnAccumulator]
    /// The number of rows appended so far.
    public private(set) var rowCount = 0

    /// A builder for the given columns (duplicates allowed).
    /// - Parameter expectedRowCount: reserves room for that many rows up front; a hint only.
    public init(columnNames: [String], expectedRowCount: Int = 0) {
        self.columnNames = columnNames
        accumulators = Array(
            repeating: ColumnAccumulator(expectedCount: max(expectedRowCount, 0)),
            count: columnNames.count
        )
    }

    /// Appends one row, one value per column in column order.
    /// - Throws: `DataTableError` `.rowWidthMismatch` when the row has another number of values; nothing is
    ///   appended then.
    public mutating func appendRow(_ row: [CellValue]) throws(DataTableError) {
        try checkWidth(row.count)
        for column in 0..<row.count {
            accumulators[column].append(row[column])
        }
        rowCount += 1
    }

    /// Appends one row given as any collection, e.g. a slice of a reused buffer.
    /// - Throws: `DataTableError` `.rowWidthMismatch` when the row has another number of values.
    public mutating func appendRow(_ row: some Collection<CellValue>) throws(DataTableError) {
        try checkWidth(row.count)
        var column = 0
        for value in row {
            accumulators[column].append(value)
            column += 1
        }
        rowCount += 1
    }

    private func checkWidth(_ width: Int) throws(DataTableError) {
        guard width == accumulators.count else {
            throw DataTableError(
                .rowWidthMismatch,
                "row \(rowCount) has \(width) values, the builder has \(accumulators.count) columns; "
                    + "give one value per column, .null for missing ones"
            )
        }
    }

    /// The table built so far.
    public func build() -> DataTable {
        let columns = zip(columnNames, accumulators).map { name, accumulator in
            DataColumn(name: name, values: accumulator.values)
        }
        do {
            return try DataTable(rowCount: rowCount, columns: columns)
        } catch {
            preconditionFailure("builder columns out of step: \(error)")
        }
    }
}
