import DynamosMessages
import Testing

/// Checks that two tables have the same names, types and cells; reals within `tolerance` relative, the rest exact.
func expectSame(
    _ actual: DataTable, _ expected: DataTable, tolerance: Double = 1e-9,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(actual.columnNames == expected.columnNames, sourceLocation: sourceLocation)
    #expect(actual.rowCount == expected.rowCount, sourceLocation: sourceLocation)
    guard actual.columnNames == expected.columnNames, actual.rowCount == expected.rowCount else { return }
    for (left, right) in zip(actual.columns, expected.columns) {
        #expect(left.type == right.type, "column \(left.name)", sourceLocation: sourceLocation)
        for row in 0..<actual.rowCount {
            let lhs = left.value(at: row)
            let rhs = right.value(at: row)
            if case .real(let a) = lhs, case .real(let b) = rhs {
                let agree = abs(a - b) <= tolerance * max(1, abs(a), abs(b))
                #expect(agree, "column \(left.name) row \(row): \(a) vs \(b)", sourceLocation: sourceLocation)
            } else {
                #expect(lhs == rhs, "column \(left.name) row \(row)", sourceLocation: sourceLocation)
            }
        }
    }
}

extension DataTable {
    /// The values of the first column called `name`, as cells.
    func cells(_ name: String) -> [CellValue] {
        guard let column = column(named: name) else { return [] }
        return (0..<column.count).map { column.value(at: $0) }
    }
}
