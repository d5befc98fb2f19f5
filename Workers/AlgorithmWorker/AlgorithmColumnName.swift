/// The names of the columns the algorithm engine writes, in one place so the aggregate can parse them back.
///
/// Grouped statistics: the group columns under their own names, then per value column `<function>(<column>)`
/// (e.g. `average(Salschal)`), then `count`, the number of rows in the group. With `partial: true` each result
/// column is followed by its merge state: `sum(<column>)` and `count(<column>)` for `average`, and also
/// `sumOfSquares(<column>)` for `stddev`. `count(<column>)` always means the number of included values.
public enum AlgorithmColumnName {
    /// The last column of a grouped result: rows in the group, nulls and sentinels included.
    public static let groupRowCount = "count"
    /// The function name of the merge state that holds the sum of squared included values.
    public static let sumOfSquaresFunction = "sumOfSquares"

    /// `<function>(<column>)`, the result column of `function` over `column`.
    public static func result(_ function: AlgorithmFunction, _ column: String) -> String {
        "\(function.rawValue)(\(column))"
    }

    /// `sum(<column>)`: merge state (and `sum` result) holding the total of the included values.
    public static func sum(_ column: String) -> String { result(.sum, column) }

    /// `count(<column>)`: merge state (and `count` result) holding the number of included values.
    public static func valueCount(_ column: String) -> String { result(.count, column) }

    /// `sumOfSquares(<column>)`: merge state holding the sum of the squared included values, always real.
    public static func sumOfSquares(_ column: String) -> String { "\(sumOfSquaresFunction)(\(column))" }

    /// The merge state columns written after `function`'s result column in partial mode, in order.
    public static func stateColumns(for function: AlgorithmFunction, column: String) -> [String] {
        switch function {
        case .average: [sum(column), valueCount(column)]
        case .stddev: [sum(column), sumOfSquares(column), valueCount(column)]
        default: []
        }
    }

    /// Splits `average(Salschal)` into `("average", "Salschal")`; nil when `name` is not of that form.
    ///
    /// The function part is the letters before the first `(`; the column is everything up to the final `)`,
    /// so column names that contain parentheses survive.
    public static func parse(_ name: String) -> (function: String, column: String)? {
        guard name.hasSuffix(")"), let open = name.firstIndex(of: "(") else { return nil }
        let function = name[..<open]
        guard !function.isEmpty, function.allSatisfy(\.isLetter) else { return nil }
        let column = name[name.index(after: open)..<name.index(before: name.endIndex)]
        guard !column.isEmpty else { return nil }
        return (String(function), String(column))
    }

    /// Column names of a `wageGap` result, one row per value column.
    public enum WageGap {
        /// The value column the row is about (text).
        public static let column = "column"
        /// The first group's key, as text (groups in ascending key order, e.g. `M`).
        public static let group1 = "group1"
        /// The average of the value column in the first group (real).
        public static let average1 = "average1"
        /// The number of included values in the first group (integer).
        public static let count1 = "count1"
        /// The second group's key, as text (e.g. `V`).
        public static let group2 = "group2"
        /// The average of the value column in the second group (real).
        public static let average2 = "average2"
        /// The number of included values in the second group (integer).
        public static let count2 = "count2"
        /// `average1 - average2` (real).
        public static let difference = "difference"
        /// `average2 / average1` (real; null when `average1` is 0 or missing).
        public static let ratio = "ratio"
        /// All of them, in table order.
        public static let all = [column, group1, average1, count1, group2, average2, count2, difference, ratio]
    }
}
