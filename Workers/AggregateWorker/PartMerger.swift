public import DynamosMessages
import DynamosAlgorithmWorker

/// Merges the tables several providers sent for one request into the one table the requester gets.
///
/// Parts are first sorted by provider name (stable), so the result does not depend on arrival order. Row data
/// is concatenated with a `provider` column appended last. Grouped algorithm results computed with
/// `partial: true` are merged exactly by group (sums and counts add, minimums and maximums combine, averages
/// and standard deviations are recomputed from the summed state, never averaged), giving the layout a plain
/// `AlgorithmEngine` run over all providers' rows would give: group columns, `<function>(<column>)`, `count`.
public struct PartMerger: Sendable {
    /// How to read the parts.
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// Partial results when the first part's columns have the partial layout (see `AlgorithmColumnName`):
        /// group columns, then `<function>(<column>)` of a mergeable function with its state columns, then a
        /// final `count`; row data otherwise. A `count` over no value columns reads as row data: use
        /// `.partialResults` for it.
        case automatic
        /// Row data: concatenate and add provenance.
        case rows
        /// Grouped partial algorithm results: merge by group.
        case partialResults
    }

    /// The name of the provenance column added to merged row data.
    public static let providerColumn = "provider"

    /// How this merger reads its parts.
    public let mode: Mode

    /// A merger that reads parts in `mode`.
    public init(mode: Mode = .automatic) {
        self.mode = mode
    }

    /// The merged table of `parts`; an empty table for no parts.
    /// - Throws: `AggregateError` `.columnMismatch` when parts have different columns (naming the providers),
    ///   `.malformedPartial` when parts read as partial results are not, `.overflow` when an integer sum overflows.
    public func merge(_ parts: [AggregatePart]) throws(AggregateError) -> DataTable {
        let sorted = parts.enumerated()
            .sorted { ($0.element.provider, $0.offset) < ($1.element.provider, $1.offset) }
            .map(\.element)
        guard let first = sorted.first else { return DataTable() }
        try checkSameColumns(sorted)
        let names = first.table.columnNames
        switch mode {
        case .rows:
            return try mergeRows(sorted)
        case .automatic:
            guard let layout = PartialLayout(names: names, countWithoutValues: false) else {
                return try mergeRows(sorted)
            }
            return try PartialMerge(layout: layout, parts: sorted).table()
        case .partialResults:
            guard let layout = PartialLayout(names: names, countWithoutValues: true) else {
                throw AggregateError(
                    .malformedPartial,
                    "the parts' columns \(names) are not a partial algorithm result (group columns, "
                        + "<function>(<column>) with its state columns, then count); run the algorithm with "
                        + "partial: true at every provider, or merge them as rows"
                )
            }
            return try PartialMerge(layout: layout, parts: sorted).table()
        }
    }

    /// Concatenates the parts in order and appends the provider of each row as the last column.
    private func mergeRows(_ parts: [AggregatePart]) throws(AggregateError) -> DataTable {
        do {
            var table = try DataTable(concatenating: parts.map(\.table))
            var providers: [String?] = []
            providers.reserveCapacity(table.rowCount)
            for part in parts {
                providers.append(contentsOf: repeatElement(Optional(part.provider), count: part.table.rowCount))
            }
            try table.appendColumn(.text(Self.providerColumn, providers))
            return table
        } catch {
            throw AggregateError(.columnMismatch, "the parts could not be concatenated: \(error.explanation)")
        }
    }

    /// Checks that every part has the first part's column names, in order.
    private func checkSameColumns(_ parts: [AggregatePart]) throws(AggregateError) {
        let first = parts[0]
        for part in parts.dropFirst() where part.table.columnNames != first.table.columnNames {
            throw AggregateError(
                .columnMismatch,
                "provider '\(part.provider)' sent columns \(part.table.columnNames), provider "
                    + "'\(first.provider)' sent \(first.table.columnNames); send the same query or algorithm "
                    + "to every provider"
            )
        }
    }
}
