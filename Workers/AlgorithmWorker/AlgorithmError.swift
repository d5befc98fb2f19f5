public import DynamosErrors

/// Why the algorithm worker could not run a request: a malformed request form or a table it does not fit.
///
/// One error type for parsing and running, so the worker reports every failure the same way: `code` is for
/// programs, `message` for people (what happened and what to do, e.g. the columns the table does have).
public struct AlgorithmError: CodedError, Sendable, Equatable {
    /// What kind of problem this is.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The algorithm name is not one of `AlgorithmFunction`.
        case unknownAlgorithm
        /// The function needs value columns and the request names none.
        case missingValueColumns
        /// A group or value column is not in the table.
        case unknownColumn
        /// A numeric function was asked of a text or blob column.
        case nonNumericColumn
        /// `wageGap` needs one group column with exactly two groups.
        case groupCountMismatch
        /// `partial` was asked of a function whose partials cannot be merged exactly (median, wageGap).
        case notMergeable
        /// The row limit of `rows` is not positive.
        case invalidRowLimit
        /// An integer sum does not fit in 64 bits.
        case overflow
        /// A result that cannot leave out a group (a wage gap's two groups) has a group smaller than the k of a
        /// party whose data it holds.
        case groupTooSmall
    }

    /// What kind of problem this is.
    public let code: Code
    /// What happened and what to do about it.
    public let message: String

    /// Makes an error with a code and a message that says what happened and what to do.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}
