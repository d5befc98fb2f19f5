import DynamosAlgorithmWorker
import DynamosMessages

/// One exact merge of partial algorithm results by group; used by `PartMerger`.
///
/// Partial tables hold one row per group, so cells are read as `CellValue`s here: the work is proportional to
/// the number of groups, not of the providers' rows.
struct PartialMerge {
    /// The running state of one value column in one group.
    private struct State {
        var integerSum: Int64 = 0
        var realSum = 0.0
        var count = 0
        var sumOfSquares = 0.0
        var minimum: CellValue?
        var maximum: CellValue?
    }

    let layout: PartialLayout
    let parts: [AggregatePart]

    /// The merged table: group columns, one result column per value column, `count`.
    func table() throws(AggregateError) -> DataTable {
        let groupTable = try concatenatedGroupColumns()
        var groupOf: [[CellValue]: Int] = [:]
        var representatives: [Int] = []
        var keys: [[CellValue]] = []
        for row in 0..<groupTable.rowCount {
            let key = groupTable.row(row)
            if groupOf[key] == nil {
                groupOf[key] = keys.count
                keys.append(key)
                representatives.append(row)
            }
        }
        if layout.groupColumnCount == 0 && keys.isEmpty {
            keys = [[]]
            representatives = []
        }
        let order = keys.indices.sorted { GroupKeyOrder.areInIncreasingOrder(keys[$0], keys[$1]) }
        var position = [Int](repeating: 0, count: keys.count)
        for (rank, group) in order.enumerated() {
            position[group] = rank
        }
        var states = [[State]](repeating: [State](repeating: State(), count: layout.values.count), count: keys.count)
        var rowCounts = [Int64](repeating: 0, count: keys.count)
        var globalRow = 0
        for part in parts {
            for row in 0..<part.table.rowCount {
                let group = position[groupOf[groupTable.row(globalRow)] ?? 0]
                globalRow += 1
                rowCounts[group] += try integer(part, row, layout.rowCountColumn)
                for (index, value) in layout.values.enumerated() {
                    try add(part, row, value, to: &states[group][index])
                }
            }
        }
        let sortedRepresentatives = layout.groupColumnCount == 0 ? [] : order.map { representatives[$0] }
        var columns = groupTable.columns.map { $0.gathering(rows: sortedRepresentatives) }
        for (index, value) in layout.values.enumerated() {
            columns.append(try resultColumn(value, states.map { $0[index] }))
        }
        columns.append(.integer(AlgorithmColumnName.groupRowCount, rowCounts))
        do {
            return try DataTable(rowCount: keys.count, columns: columns)
        } catch {
            preconditionFailure("merged columns out of step: \(error)")
        }
    }

    /// The group columns of all parts, one after another, with types unified as `DataTable(concatenating:)` does.
    private func concatenatedGroupColumns() throws(AggregateError) -> DataTable {
        do {
            let tables = try parts.map { part throws(DataTableError) in
                try DataTable(
                    rowCount: part.table.rowCount,
                    columns: Array(part.table.columns.prefix(layout.groupColumnCount))
                )
            }
            return try DataTable(concatenating: tables)
        } catch {
            throw AggregateError(.malformedPartial, "the group columns could not be combined: \(error.explanation)")
        }
    }

    /// Adds one part row's state of `value` to `state`.
    private func add(_ part: AggregatePart, _ row: Int, _ value: PartialLayout.Value, to state: inout State)
        throws(AggregateError)
    {
        let result = part.table.value(row: row, column: value.result)
        switch layout.function {
        case .sum:
            try addSum(part, row, value.result, to: &state)
        case .count:
            state.count += Int(try integer(part, row, value.result))
        case .min:
            if !result.isNull, state.minimum.map({ GroupKeyOrder.compare(result, $0) < 0 }) ?? true {
                state.minimum = result
            }
        case .max:
            if !result.isNull, state.maximum.map({ GroupKeyOrder.compare(result, $0) > 0 }) ?? true {
                state.maximum = result
            }
        default:
            try addSum(part, row, value.sum ?? value.result, to: &state)
            state.count += Int(try integer(part, row, value.count ?? value.result))
            if let column = value.sumOfSquares {
                state.sumOfSquares += try number(part, row, column)
            }
        }
    }

    private func addSum(_ part: AggregatePart, _ row: Int, _ column: Int, to state: inout State)
        throws(AggregateError)
    {
        switch part.table.value(row: row, column: column) {
        case .integer(let value):
            let (sum, overflow) = state.integerSum.addingReportingOverflow(value)
            guard !overflow else {
                throw AggregateError(
                    .overflow,
                    "the merged sum in column '\(part.table.columns[column].name)' does not fit in a 64-bit "
                        + "integer; cast the column to real in the providers' query"
                )
            }
            state.integerSum = sum
            state.realSum += Double(value)
        case .real(let value):
            state.realSum += value
        default:
            throw malformed(part, row, column, "a number")
        }
    }

    private func integer(_ part: AggregatePart, _ row: Int, _ column: Int) throws(AggregateError) -> Int64 {
        guard let value = part.table.value(row: row, column: column).integerValue else {
            throw malformed(part, row, column, "an integer")
        }
        return value
    }

    private func number(_ part: AggregatePart, _ row: Int, _ column: Int) throws(AggregateError) -> Double {
        guard let value = part.table.value(row: row, column: column).doubleValue else {
            throw malformed(part, row, column, "a number")
        }
        return value
    }

    private func malformed(_ part: AggregatePart, _ row: Int, _ column: Int, _ expected: String) -> AggregateError {
        AggregateError(
            .malformedPartial,
            "provider '\(part.provider)' row \(row) column '\(part.table.columns[column].name)' holds "
                + "\(part.table.value(row: row, column: column)), expected \(expected); run the algorithm with "
                + "partial: true at every provider"
        )
    }

    /// The final column of one value column: its type follows the parts' columns as concatenation would.
    private func resultColumn(_ value: PartialLayout.Value, _ states: [State]) throws(AggregateError) -> DataColumn {
        let name = AlgorithmColumnName.result(layout.function, value.name)
        let isReal = parts.contains { $0.table.columns[value.sum ?? value.result].type == .real }
        switch layout.function {
        case .sum:
            return isReal ? .real(name, states.map(\.realSum)) : .integer(name, states.map(\.integerSum))
        case .count:
            return .integer(name, states.map { Int64($0.count) })
        case .min, .max:
            let extremes = states.map { layout.function == .min ? $0.minimum : $0.maximum }
            return isReal
                ? .real(name, extremes.map { $0?.doubleValue })
                : .integer(name, extremes.map { $0?.integerValue })
        case .stddev:
            return .real(
                name,
                states.map { state in
                    let sum = isReal ? state.realSum : Double(state.integerSum)
                    return MergeableStatistics.sampleStandardDeviation(
                        count: state.count, sum: sum, sumOfSquares: state.sumOfSquares
                    )
                }
            )
        default:
            return .real(
                name,
                states.map { state in
                    let sum = isReal ? state.realSum : Double(state.integerSum)
                    return MergeableStatistics.average(count: state.count, sum: sum)
                }
            )
        }
    }
}
