public import DynamosMessages

/// What the algorithm worker should compute: a function, the columns to group by and to compute over.
///
/// Made from the thesis request form with `init(algorithm:algorithmColumns:sentinels:rowLimit:partial:)`, or
/// directly with the memberwise initializer. `AlgorithmEngine.run(_:on:)` checks it against the table.
public struct AlgorithmSpec: Sendable, Equatable {
    /// The default number of rows `rows` returns.
    public static let defaultRowLimit = 100

    /// The statistic to compute.
    public var function: AlgorithmFunction
    /// The columns whose values form the groups, in order; empty for one group over the whole table.
    public var groupColumns: [String]
    /// The columns to compute over, in order, without duplicates.
    public var valueColumns: [String]
    /// Per value column, the values to leave out of its computation (e.g. `Salschal` 99 = unknown).
    ///
    /// Matched numerically on numeric columns (`.integer(99)` also excludes `99.0`, and text that reads as a
    /// number counts as that number) and exactly on text columns. They apply to value columns only: a row is
    /// never dropped from its group, so `count` still counts it.
    public var sentinels: [String: [CellValue]]
    /// The number of rows `rows` returns at most.
    public var rowLimit: Int
    /// Whether to add the merge state columns the aggregate needs (see `AlgorithmColumnName`).
    public var partial: Bool
    /// k: grouped results leave out groups of fewer rows (see `GroupSuppressor`); a wage gap with a smaller group
    /// is refused. 1 suppresses nothing.
    public var minimumGroupSize: Int = 1

    /// A spec from its parts; `run` checks it (`validate()` checks what can be checked without a table).
    public init(
        function: AlgorithmFunction,
        groupColumns: [String] = [],
        valueColumns: [String] = [],
        sentinels: [String: [CellValue]] = [:],
        rowLimit: Int = AlgorithmSpec.defaultRowLimit,
        partial: Bool = false
    ) {
        self.function = function
        self.groupColumns = groupColumns
        self.valueColumns = valueColumns
        self.sentinels = sentinels
        self.rowLimit = rowLimit
        self.partial = partial
    }

    /// Checks what does not depend on the table: value columns present, row limit positive, mergeability.
    /// - Throws: `AlgorithmError` `.missingValueColumns`, `.invalidRowLimit`, `.notMergeable` or
    ///   `.groupCountMismatch` (wageGap without exactly one group column).
    public func validate() throws(AlgorithmError) {
        switch function {
        case .rows:
            guard rowLimit > 0 else {
                throw AlgorithmError(.invalidRowLimit, "row limit \(rowLimit) is not positive; ask for 1 or more rows")
            }
            return
        case .count:
            break
        default:
            guard !valueColumns.isEmpty else {
                throw AlgorithmError(
                    .missingValueColumns,
                    "\(function.rawValue) needs at least one value column; name them in algorithmColumns, "
                        + "e.g. {\"Geslacht\": \"Salschal\"} (group by Geslacht, compute over Salschal)"
                )
            }
        }
        if partial && !function.isMergeable {
            throw AlgorithmError(
                .notMergeable,
                "\(function.rawValue) cannot be merged exactly from partials; send rows to the aggregate instead "
                    + "(algorithm rows) or run it at a single provider"
            )
        }
        if function == .wageGap && groupColumns.count != 1 {
            throw AlgorithmError(
                .groupCountMismatch,
                "wageGap needs exactly one group column with two groups (e.g. Geslacht), got "
                    + "\(groupColumns.count): \(groupColumns); name one, e.g. {\"Geslacht\": \"Salschal\"}"
            )
        }
    }
}
