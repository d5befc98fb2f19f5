import DynamosAlgorithmWorker

/// Where the group, result and merge state columns are in an `AlgorithmEngine` result computed with
/// `partial: true` (see `AlgorithmColumnName`).
///
/// The columns before the first `<function>(<column>)` are the group columns; that first one names the function;
/// every later column up to the final `count` is a result or state column of that function.
struct PartialLayout: Sendable, Equatable {
    /// The columns of one value column.
    struct Value: Sendable, Equatable {
        var name: String
        var result: Int
        var sum: Int?
        var count: Int?
        var sumOfSquares: Int?
    }

    let function: AlgorithmFunction
    let groupColumnCount: Int
    let values: [Value]
    let rowCountColumn: Int

    /// The layout of a table with these column names; nil when they are not a mergeable partial result.
    /// - Parameter countWithoutValues: read a table without any `<function>(<column>)` column as a `count`
    ///   result without value columns (group columns, then `count`), instead of failing.
    init?(names: [String], countWithoutValues: Bool) {
        guard let last = names.last, last == AlgorithmColumnName.groupRowCount else { return nil }
        let body = names.dropLast()
        guard let first = body.firstIndex(where: { Self.parseFunction($0) != nil }) else {
            guard countWithoutValues else { return nil }
            self.function = .count
            groupColumnCount = body.count
            values = []
            rowCountColumn = names.count - 1
            return
        }
        guard let function = Self.parseFunction(names[first]), function.isGroupedStatistic, function.isMergeable
        else { return nil }
        var values: [Value] = []
        for index in first..<(names.count - 1) {
            guard let (name, column) = AlgorithmColumnName.parse(names[index]) else { return nil }
            if name == function.rawValue {
                values.append(Value(name: column, result: index))
            }
        }
        for index in first..<(names.count - 1) {
            guard let (name, column) = AlgorithmColumnName.parse(names[index]) else { return nil }
            if name == function.rawValue { continue }
            guard let position = values.firstIndex(where: { $0.name == column }),
                AlgorithmColumnName.stateColumns(for: function, column: column).contains(names[index])
            else { return nil }
            switch name {
            case AlgorithmFunction.sum.rawValue: values[position].sum = index
            case AlgorithmFunction.count.rawValue: values[position].count = index
            default: values[position].sumOfSquares = index
            }
        }
        for value in values {
            let needed = AlgorithmColumnName.stateColumns(for: function, column: value.name).count
            let found = [value.sum, value.count, value.sumOfSquares].compactMap { $0 }.count
            guard found == needed else { return nil }
        }
        self.function = function
        groupColumnCount = first
        self.values = values
        rowCountColumn = names.count - 1
    }

    private static func parseFunction(_ name: String) -> AlgorithmFunction? {
        AlgorithmColumnName.parse(name).flatMap { AlgorithmFunction(rawValue: $0.function) }
    }
}
