import DynamosMessages

/// The group of every row of a table, groups numbered in ascending key order (`GroupKeyOrder`).
///
/// Built column-wise: each group column is turned into dense integer codes with one typed dictionary, the codes
/// of several columns are combined, and only the (few) group keys are boxed into `CellValue`s for sorting.
struct GroupIndex: Sendable {
    /// The group number of each row.
    let groupOfRow: [Int]
    /// The number of groups (1 for a table without group columns, even when it has no rows).
    let groupCount: Int
    /// One row of each group, in group order; empty when there are no group columns.
    let representativeRows: [Int]

    init(table: DataTable, groupColumns: [Int]) {
        guard let firstColumn = groupColumns.first else {
            groupOfRow = [Int](repeating: 0, count: table.rowCount)
            groupCount = 1
            representativeRows = []
            return
        }
        var (codes, cardinality) = Self.codes(of: table.columns[firstColumn].values)
        for column in groupColumns.dropFirst() {
            let (next, nextCardinality) = Self.codes(of: table.columns[column].values)
            var combined = codes
            for row in combined.indices {
                combined[row] = codes[row] * nextCardinality + next[row]
            }
            (codes, cardinality) = Self.denseCodes(combined)
        }
        var firstRow = [Int](repeating: -1, count: cardinality)
        for (row, code) in codes.enumerated() where firstRow[code] < 0 {
            firstRow[code] = row
        }
        let keys = firstRow.map { row in groupColumns.map { table.columns[$0].values[row] } }
        let sortedCodes = (0..<cardinality).sorted { GroupKeyOrder.areInIncreasingOrder(keys[$0], keys[$1]) }
        var rank = [Int](repeating: 0, count: cardinality)
        for (position, code) in sortedCodes.enumerated() {
            rank[code] = position
        }
        groupOfRow = codes.map { rank[$0] }
        groupCount = cardinality
        representativeRows = sortedCodes.map { firstRow[$0] }
    }

    /// Dense codes `0..<cardinality` for the rows of `values`, equal codes for exactly equal values.
    private static func codes(of values: ColumnValues) -> (codes: [Int], cardinality: Int) {
        switch values {
        case .integer(let values): denseCodes(values)
        case .real(let values): denseCodes(values.map { $0?.bitPattern })
        case .text(let values): denseCodes(values)
        case .blob(let values): denseCodes(values)
        case .null(let count): ([Int](repeating: 0, count: count), count == 0 ? 0 : 1)
        }
    }

    private static func denseCodes<Value: Hashable>(_ values: [Value]) -> (codes: [Int], cardinality: Int) {
        var codeOf: [Value: Int] = [:]
        var codes: [Int] = []
        codes.reserveCapacity(values.count)
        for value in values {
            if let code = codeOf[value] {
                codes.append(code)
            } else {
                let code = codeOf.count
                codeOf[value] = code
                codes.append(code)
            }
        }
        return (codes, codeOf.count)
    }
}
