public import DynamosMessages

/// Applies a steward's k: leaves out every group of a grouped result that fewer than k rows built.
///
/// Works on any table the algorithm engine or the aggregate's merge produced: grouped results end with the
/// `count` column (rows per group, see `AlgorithmColumnName.groupRowCount`). Used where a result leaves a
/// party: at a steward before its result or partial goes on, and at the aggregate after it merged partials.
/// k counts rows, which are persons for one row per person (`Personen`); a query that repeats a person's row
/// (a join, a union) makes it count several times, which the docs say.
public struct GroupSuppressor: Sendable, Equatable {
    /// The fewest rows a group needs to be kept; 1 keeps every group.
    public let minimumGroupSize: Int

    public init(minimumGroupSize: Int) {
        self.minimumGroupSize = max(1, minimumGroupSize)
    }

    /// `table` without its small groups, and how many groups were left out. A table without a trailing `count`
    /// column (record-level `rows` output, a wage gap) is returned as it is.
    public func apply(to table: DataTable) -> (table: DataTable, suppressed: Int) {
        guard minimumGroupSize > 1, let counts = Self.groupCounts(of: table) else { return (table, 0) }
        let kept = counts.indices.filter { counts[$0] >= Int64(minimumGroupSize) }
        guard kept.count < counts.count else { return (table, 0) }
        return (table.gathering(rows: kept), counts.count - kept.count)
    }

    /// The trailing `count` column's values, when the table ends with one of integers.
    static func groupCounts(of table: DataTable) -> [Int64]? {
        guard let last = table.columns.last, last.name == AlgorithmColumnName.groupRowCount,
            case .integer(let values) = last.values
        else { return nil }
        return values.map { $0 ?? 0 }
    }
}
