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

    /// Appends one row written cell by cell, for producers that read typed values from a cursor.
    ///
    /// Nothing is boxed into `CellValue`s or gathered into a row array on the way: each value goes straight
    /// into its column. `write` must append exactly one value per column, in column order; another count is a
    /// programming error and stops the process, as an out-of-range index would.
    public mutating func appendRow(_ write: (inout RowWriter) -> Void) {
        let width = accumulators.count
        let written = accumulators.withUnsafeMutableBufferPointer { columns in
            var writer = RowWriter(columns: columns)
            write(&writer)
            return writer.column
        }
        precondition(written == width, "row \(rowCount) got \(written) values for \(width) columns")
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

extension DataTableBuilder {
    /// Appends the values of one row to a builder's columns, in column order; see `appendRow(_:)`.
    ///
    /// Noncopyable and handed out only `inout` for the length of one `appendRow` call, because it writes
    /// through the builder's storage directly.
    public struct RowWriter: ~Copyable {
        private let columns: UnsafeMutableBufferPointer<ColumnAccumulator>
        /// The column the next value goes to.
        public private(set) var column = 0

        fileprivate init(columns: UnsafeMutableBufferPointer<ColumnAccumulator>) {
            self.columns = columns
        }

        /// Appends a null to the next column.
        public mutating func appendNull() {
            next().pointee.appendNull()
        }

        /// Appends an integer to the next column.
        public mutating func append(integer: Int64) {
            next().pointee.append(integer: integer)
        }

        /// Appends a real to the next column.
        public mutating func append(real: Double) {
            next().pointee.append(real: real)
        }

        /// Appends a text to the next column.
        public mutating func append(text: String) {
            next().pointee.append(text: text)
        }

        /// Appends a blob to the next column.
        public mutating func append(blob: [UInt8]) {
            next().pointee.append(blob: blob)
        }

        /// Appends any value to the next column.
        public mutating func append(_ value: CellValue) {
            next().pointee.append(value)
        }

        private mutating func next() -> UnsafeMutablePointer<ColumnAccumulator> {
            precondition(column < columns.count, "more values than the row's \(columns.count) columns")
            defer { column += 1 }
            return columns.baseAddress.unsafelyUnwrapped + column
        }
    }
}
