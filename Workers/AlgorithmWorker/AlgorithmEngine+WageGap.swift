import DynamosMessages

extension AlgorithmEngine {
    /// The wage gap: per value column the averages in the two groups of the one group column, their
    /// difference (`average1 - average2`) and ratio (`average2 / average1`), one row per value column.
    ///
    /// Columns are `AlgorithmColumnName.WageGap.all`; groups are taken in ascending key order, so for `Geslacht`
    /// `group1` is `M` and `group2` is `V`. Nulls and sentinels are excluded as for `average`.
    func wageGap(
        _ spec: AlgorithmSpec, table: DataTable, groups: GroupIndex, groupColumn: Int, valueColumns: [Int]
    ) throws(AlgorithmError) -> DataTable {
        let groupName = spec.groupColumns[0]
        let groupColumn = table.columns[groupColumn]
        let keys = groups.representativeRows.map { groupColumn.values[$0].description }
        guard keys.count == 2 else {
            throw AlgorithmError(
                .groupCountMismatch,
                "wageGap needs exactly two groups in '\(groupName)', found \(keys.count)"
                    + (keys.isEmpty ? "" : ": \(keys.prefix(10).joined(separator: ", "))")
                    + "; group by a two-valued column or filter the rows in the query"
            )
        }
        var rowCounts = [0, 0]
        for group in groups.groupOfRow { rowCounts[group] += 1 }
        if let small = rowCounts.firstIndex(where: { $0 < spec.minimumGroupSize }) {
            throw AlgorithmError(
                .groupTooSmall,
                "wageGap compares two groups and '\(keys[small])' in '\(groupName)' has \(rowCounts[small]) rows, "
                    + "fewer than the minimum group size k = \(spec.minimumGroupSize) of a party whose data this is; "
                    + "widen the query so each group holds at least k persons"
            )
        }
        let names = spec.valueColumns
        var averages1: [Double?] = []
        var averages2: [Double?] = []
        var counts1: [Int64] = []
        var counts2: [Int64] = []
        for (name, index) in zip(names, valueColumns) {
            let values = table.columns[index].values
            let exclusion = ValueExclusion(spec.sentinels[name] ?? [])
            guard let reduced = GroupedValues(values, groups: groups, excluding: exclusion, keepMembers: false) else {
                throw AlgorithmError(
                    .nonNumericColumn,
                    "wageGap needs numeric value columns, '\(name)' holds \(values.type.rawValue) values; "
                        + "pick an integer or real column"
                )
            }
            if reduced.overflowed {
                throw AlgorithmError(
                    .overflow,
                    "the sum of '\(name)' does not fit in a 64-bit integer; cast the column to real in the query"
                )
            }
            let averages = reduced.averages()
            averages1.append(averages[0])
            averages2.append(averages[1])
            let counts = reduced.countValues()
            counts1.append(counts[0].integerValue ?? 0)
            counts2.append(counts[1].integerValue ?? 0)
        }
        let differences = zip(averages1, averages2).map { first, second -> Double? in
            guard let first, let second else { return nil }
            return first - second
        }
        let ratios = zip(averages1, averages2).map { first, second -> Double? in
            guard let first, let second, first != 0 else { return nil }
            return second / first
        }
        let column = AlgorithmColumnName.WageGap.self
        let columns: [DataColumn] = [
            .text(column.column, names),
            .text(column.group1, Array(repeating: keys[0], count: names.count)),
            .real(column.average1, averages1),
            .integer(column.count1, counts1),
            .text(column.group2, Array(repeating: keys[1], count: names.count)),
            .real(column.average2, averages2),
            .integer(column.count2, counts2),
            .real(column.difference, differences),
            .real(column.ratio, ratios),
        ]
        return Self.table(columns, rowCount: names.count)
    }
}
