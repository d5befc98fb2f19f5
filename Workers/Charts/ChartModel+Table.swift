import DynamosMessages

extension ChartModel {
    /// Chooses what to draw from a result table.
    ///
    /// Value columns are the computed ones (`average(x)`, `sum(y)`; `count` only when nothing else is computed),
    /// the named ones from `options`, or, for a plain table, every numeric column that is not the x axis. The
    /// remaining columns are the groups. A single numeric group column with many distinct values (or real
    /// values) becomes the x axis of a line chart; everything else is drawn as bars.
    /// - Throws: `GraphError` `.emptyTable`, `.nothingNumeric`, `.unknownColumn`, `.notNumeric` or
    ///   `.invalidOptions`.
    init(table: DataTable, title: String, options: ChartOptions) throws(GraphError) {
        guard table.rowCount > 0, table.columnCount > 0 else {
            throw GraphError(
                .emptyTable,
                "the table has \(table.rowCount) rows and \(table.columnCount) columns; "
                    + "run the query on data that matches before drawing a chart"
            )
        }
        let numeric = table.columns.indices.filter { Self.isNumeric(table.columns[$0]) }
        guard !numeric.isEmpty else {
            throw GraphError(
                .nothingNumeric,
                "no column holds numbers (columns: \(table.columnNames.joined(separator: ", "))); "
                    + "draw a table with at least one integer or real column, e.g. an aggregate result"
            )
        }
        let values = try Self.valueColumns(of: table, numeric: numeric, options: options)
        let groups = table.columns.indices.filter { index in
            let column = table.columns[index]
            let isCount = Self.isNumeric(column) && column.name.lowercased() == "count"
            return !values.contains(index) && !isCount && column.type != .blob && column.type != .null
        }
        let kind = try Self.kind(of: table, groups: groups, options: options)
        self = Self.assemble(table: table, title: title, groups: groups, values: values, kind: kind)
        logarithmic = options.valueScale == .logarithmic
        if let valueAxisTitle = options.valueAxisTitle { yAxisLabel = valueAxisTitle }
        guard !allValues.isEmpty else {
            throw GraphError(
                .nothingNumeric,
                "every value in \(series.map(\.name).joined(separator: ", ")) is null or not finite; "
                    + "draw a table with at least one numeric value"
            )
        }
    }

    /// Whether a column holds integers or reals.
    static func isNumeric(_ column: DataColumn) -> Bool {
        column.type == .integer || column.type == .real
    }

    /// Whether a column name looks like a computed value, `function(argument)`.
    static func isComputedName(_ name: String) -> Bool {
        guard name.hasSuffix(")"), let open = name.firstIndex(of: "("), open != name.startIndex else {
            return false
        }
        return name[..<open].allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }

    /// The indices of the columns to draw as series.
    private static func valueColumns(
        of table: DataTable,
        numeric: [Int],
        options: ChartOptions
    ) throws(GraphError) -> [Int] {
        if let names = options.valueColumns {
            var indices: [Int] = []
            for name in names {
                guard let index = table.columnIndex(named: name) else {
                    throw GraphError(
                        .unknownColumn,
                        "value column '\(name)' is not in the table (columns: "
                            + "\(table.columnNames.joined(separator: ", "))); name an existing column"
                    )
                }
                guard isNumeric(table.columns[index]) else {
                    throw GraphError(
                        .notNumeric,
                        "value column '\(name)' holds \(table.columns[index].type.rawValue) values, not numbers; "
                            + "name an integer or real column"
                    )
                }
                indices.append(index)
            }
            return indices
        }
        let computed = numeric.filter { isComputedName(table.columns[$0].name) }
        if !computed.isEmpty { return computed }
        let counts = numeric.filter { table.columns[$0].name.lowercased() == "count" }
        if !counts.isEmpty, table.columnCount > counts.count { return counts }
        return plainValueColumns(of: table, numeric: numeric)
    }

    /// The value columns of a plain table: every numeric column, except a leading numeric column of a table
    /// without text, which becomes the x axis (a series such as year -> value).
    private static func plainValueColumns(of table: DataTable, numeric: [Int]) -> [Int] {
        let hasText = table.columns.contains { $0.type == .text }
        guard numeric.count >= 2, numeric.first == 0, !hasText else { return numeric }
        return Array(numeric.dropFirst())
    }

    /// The chart kind for the given group columns.
    private static func kind(
        of table: DataTable,
        groups: [Int],
        options: ChartOptions
    ) throws(GraphError) -> ChartKind {
        let numericAxis = groups.count == 1 && isNumeric(table.columns[groups[0]])
        if let kind = options.kind {
            if kind == .line && !numericAxis {
                throw GraphError(
                    .invalidOptions,
                    "a line chart needs exactly one numeric group column, the table has "
                        + "\(groups.map { table.columns[$0].name }); ask for a bar chart or pass kind: nil"
                )
            }
            return kind
        }
        guard numericAxis else { return .bar }
        let axis = table.columns[groups[0]]
        if axis.type == .real { return .line }
        return distinctCount(axis) >= max(options.lineThreshold, 2) ? .line : .bar
    }

    /// The number of distinct non-null values of a column.
    static func distinctCount(_ column: DataColumn) -> Int {
        var seen = Set<CellValue>()
        for row in 0..<column.count where !column.isNull(at: row) {
            seen.insert(column.value(at: row))
        }
        return seen.count
    }

    /// Builds the model once the columns and the kind are chosen.
    private static func assemble(
        table: DataTable,
        title: String,
        groups: [Int],
        values: [Int],
        kind: ChartKind
    ) -> ChartModel {
        var rows = Array(0..<table.rowCount)
        var xValues: [Double] = []
        if kind == .line {
            let axis = table.columns[groups[0]]
            rows = rows.filter { axis.value(at: $0).doubleValue.map(\.isFinite) ?? false }
            rows.sort { (axis.value(at: $0).doubleValue ?? 0, $0) < (axis.value(at: $1).doubleValue ?? 0, $1) }
            xValues = rows.map { axis.value(at: $0).doubleValue ?? 0 }
        }
        let categories = rows.map { row in
            groups.isEmpty
                ? (table.rowCount == 1 ? "all rows" : String(row + 1))
                : groups.map { label(table.columns[$0].value(at: row)) }.joined(separator: " / ")
        }
        let series = values.map { index in
            let column = table.columns[index]
            return ChartSeries(
                name: column.name,
                values: rows.map { row in column.value(at: row).doubleValue.flatMap { $0.isFinite ? $0 : nil } }
            )
        }
        let xLabel = groups.isEmpty ? "row" : groups.map { table.columns[$0].name }.joined(separator: " / ")
        return ChartModel(
            kind: kind,
            title: title,
            xAxisLabel: xLabel,
            yAxisLabel: series.map(\.name).joined(separator: ", "),
            categories: categories,
            xValues: xValues,
            series: series
        )
    }

    /// A group value as an axis label.
    private static func label(_ value: CellValue) -> String {
        switch value {
        case .null: "(null)"
        case .real(let number): NumberText.label(number)
        case .text(let text) where text.isEmpty: "(empty)"
        default: value.description
        }
    }
}
