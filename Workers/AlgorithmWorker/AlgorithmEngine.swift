public import DynamosMessages

/// Runs an `AlgorithmSpec` over a table: grouped statistics, the wage gap, or row inspection.
///
/// Pure and synchronous; the worker calls it on the table a query produced. Grouped results have the group
/// columns first (their original types, one row per group in ascending key order, see `GroupKeyOrder`), then
/// one `<function>(<column>)` column per value column, then `count`, the rows in the group. Nulls and sentinels
/// are left out of a value column's computation but still counted in `count`; `count(<column>)` counts only
/// the included values. When a table repeats a column name (a join's `Instcode`), the first column of that name
/// is used. Without group columns the whole table is one group, so the result has one row even for no rows.
public struct AlgorithmEngine: Sendable {
    /// An engine; it holds no state.
    public init() {}

    /// The result of `spec` over `table`.
    /// - Throws: `AlgorithmError`: what `AlgorithmSpec.validate()` throws, `.unknownColumn` (listing the table's
    ///   columns), `.nonNumericColumn`, `.groupCountMismatch` (wageGap) or `.overflow`.
    public func run(_ spec: AlgorithmSpec, on table: DataTable) throws(AlgorithmError) -> DataTable {
        try evaluate(spec, on: table).table
    }

    /// The result of `spec` over `table` with the groups of fewer than `spec.minimumGroupSize` rows left out,
    /// and how many were.
    /// - Throws: what ``run(_:on:)`` throws, and `.groupTooSmall` for a wage gap with a group under k.
    public func evaluate(_ spec: AlgorithmSpec, on table: DataTable) throws(AlgorithmError)
        -> (table: DataTable, suppressedGroups: Int)
    {
        let full = try unsuppressed(spec, on: table)
        guard spec.function.isGroupedStatistic else { return (full, 0) }
        let (kept, suppressed) = GroupSuppressor(minimumGroupSize: spec.minimumGroupSize).apply(to: full)
        return (kept, suppressed)
    }

    private func unsuppressed(_ spec: AlgorithmSpec, on table: DataTable) throws(AlgorithmError) -> DataTable {
        try spec.validate()
        if spec.function == .rows {
            return table.prefix(spec.rowLimit)
        }
        let groupColumns = try columnIndices(spec.groupColumns, in: table, role: "group")
        let valueColumns = try columnIndices(spec.valueColumns, in: table, role: "value")
        let groups = GroupIndex(table: table, groupColumns: groupColumns)
        if spec.function == .wageGap {
            return try wageGap(
                spec, table: table, groups: groups, groupColumn: groupColumns[0], valueColumns: valueColumns
            )
        }
        var columns = groupColumns.map { table.columns[$0].gathering(rows: groups.representativeRows) }
        for (name, index) in zip(spec.valueColumns, valueColumns) {
            columns += try statisticColumns(spec, name: name, values: table.columns[index].values, groups: groups)
        }
        var rowCounts = [Int64](repeating: 0, count: groups.groupCount)
        for group in groups.groupOfRow {
            rowCounts[group] += 1
        }
        columns.append(.integer(AlgorithmColumnName.groupRowCount, rowCounts))
        return Self.table(columns, rowCount: groups.groupCount)
    }

    /// The result column of `spec.function` over one value column, followed by its merge state when partial.
    private func statisticColumns(
        _ spec: AlgorithmSpec, name: String, values: ColumnValues, groups: GroupIndex
    ) throws(AlgorithmError) -> [DataColumn] {
        let function = spec.function
        let exclusion = ValueExclusion(spec.sentinels[name] ?? [])
        let keepMembers = function == .median || function == .stddev
        guard let reduced = GroupedValues(values, groups: groups, excluding: exclusion, keepMembers: keepMembers)
        else {
            if function == .count {
                return [.integer(AlgorithmColumnName.valueCount(name), Self.countIncluded(values, groups, exclusion))]
            }
            throw AlgorithmError(
                .nonNumericColumn,
                "\(function.rawValue) needs a numeric column, '\(name)' holds \(values.type.rawValue) values; "
                    + "pick an integer or real column, or use count"
            )
        }
        if reduced.overflowed && function != .count && function != .min && function != .max {
            throw AlgorithmError(
                .overflow,
                "the sum of '\(name)' does not fit in a 64-bit integer; cast the column to real in the query"
            )
        }
        let resultName = AlgorithmColumnName.result(function, name)
        var columns: [DataColumn]
        switch function {
        case .average: columns = [.real(resultName, reduced.averages())]
        case .sum: columns = [DataColumn(name: resultName, values: reduced.sumValues())]
        case .count: columns = [DataColumn(name: resultName, values: reduced.countValues())]
        case .min: columns = [DataColumn(name: resultName, values: reduced.minimumValues())]
        case .max: columns = [DataColumn(name: resultName, values: reduced.maximumValues())]
        case .median: columns = [.real(resultName, reduced.medians())]
        case .stddev: columns = [.real(resultName, reduced.standardDeviations())]
        case .wageGap, .rows: columns = []
        }
        guard spec.partial else { return columns }
        for state in AlgorithmColumnName.stateColumns(for: function, column: name) {
            switch state {
            case AlgorithmColumnName.sum(name):
                columns.append(DataColumn(name: state, values: reduced.sumValues()))
            case AlgorithmColumnName.sumOfSquares(name):
                columns.append(.real(state, reduced.sumsOfSquares()))
            default:
                columns.append(DataColumn(name: state, values: reduced.countValues()))
            }
        }
        return columns
    }

    /// Included values per group of a text or blob column.
    private static func countIncluded(_ values: ColumnValues, _ groups: GroupIndex, _ exclusion: ValueExclusion)
        -> [Int64]
    {
        var counts = [Int64](repeating: 0, count: groups.groupCount)
        switch values {
        case .text(let texts):
            for row in texts.indices {
                guard let text = texts[row], !exclusion.excludes(text) else { continue }
                counts[groups.groupOfRow[row]] += 1
            }
        case .blob(let blobs):
            for row in blobs.indices where blobs[row] != nil {
                counts[groups.groupOfRow[row]] += 1
            }
        case .integer, .real, .null:
            break
        }
        return counts
    }

    /// The index of the first column of each name.
    /// - Throws: `AlgorithmError` `.unknownColumn` naming the missing column and listing the table's columns.
    private func columnIndices(_ names: [String], in table: DataTable, role: String) throws(AlgorithmError)
        -> [Int]
    {
        var indices: [Int] = []
        for name in names {
            guard let index = table.columnIndex(named: name) else {
                throw AlgorithmError(
                    .unknownColumn,
                    "\(role) column '\(name)' is not in the table; its columns are "
                        + "\(table.columnNames.joined(separator: ", ")); use one of those names (case matters)"
                )
            }
            indices.append(index)
        }
        return indices
    }

    /// A table of columns the engine made, which all have `rowCount` rows.
    static func table(_ columns: [DataColumn], rowCount: Int) -> DataTable {
        do {
            return try DataTable(rowCount: rowCount, columns: columns)
        } catch {
            preconditionFailure("algorithm result columns out of step: \(error)")
        }
    }
}
