extension DataTable {
    /// The inner equi-join of this table with `right` on one column each: `SELECT * FROM self JOIN right ON
    /// self[leftColumn] = right[rightColumn]`, optionally limited to the first `limit` rows.
    ///
    /// Rows come in this table's order, each with its matches in `right`'s order (what SQLite's nested loop
    /// gives). The result has this table's columns followed by `right`'s, names repeated as they are. Keys
    /// match exactly as `CellValue` equality says (an integer never equals a real); null keys match nothing.
    /// Both column indices must be in range.
    public func innerJoin(_ right: DataTable, leftColumn: Int, rightColumn: Int, limit: Int? = nil) -> DataTable {
        let maxRows = max(limit ?? .max, 0)
        var rowsOfKey: [CellValue: [Int]] = [:]
        let rightKeys = right.columns[rightColumn].values
        for row in 0..<right.rowCount {
            let key = rightKeys[row]
            if !key.isNull {
                rowsOfKey[key, default: []].append(row)
            }
        }
        var leftRows: [Int] = []
        var rightRows: [Int] = []
        let leftKeys = columns[leftColumn].values
        scan: for row in 0..<rowCount {
            let key = leftKeys[row]
            guard !key.isNull, let matches = rowsOfKey[key] else { continue }
            for match in matches {
                guard leftRows.count < maxRows else { break scan }
                leftRows.append(row)
                rightRows.append(match)
            }
        }
        let joinedColumns = columns.map { $0.gathering(rows: leftRows) }
            + right.columns.map { $0.gathering(rows: rightRows) }
        do {
            return try DataTable(rowCount: leftRows.count, columns: joinedColumns)
        } catch {
            preconditionFailure("joined columns out of step: \(error)")
        }
    }
}
