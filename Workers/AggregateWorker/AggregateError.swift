public import DynamosErrors

/// Why the aggregate could not merge the parts of several providers.
///
/// `code` is for programs, `message` for people: it names the providers and columns involved and says what to
/// do, so the requester can tell which steward sent a table that does not fit.
public struct AggregateError: CodedError, Sendable, Equatable {
    /// What kind of problem this is.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// Two parts have different column names or numbers of columns.
        case columnMismatch
        /// A part was to be merged as a partial result but its columns or cells are not of that form.
        case malformedPartial
        /// An integer sum or count does not fit in 64 bits.
        case overflow
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
