public import DynamosErrors

/// Why the query worker could not load a dataset or answer a query.
///
/// One error type for the whole engine, so the worker can report any failure to the requester the same way:
/// `code` is for programs, `message` for people (what went wrong and what to do).
public struct QueryWorkerError: CodedError, Sendable, Equatable {
    /// What kind of problem this is.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The party name is empty or contains characters other than letters, digits, `-` and `_`.
        case invalidParty
        /// The party's dataset directory does not exist or holds no `.csv` files.
        case datasetMissing
        /// A dataset file could not be read or is not valid delimited text.
        case datasetMalformed
        /// SQLite failed while loading a dataset or opening a connection.
        case databaseFailed
        /// The query is empty or SQLite could not compile it (the message carries SQLite's own).
        case invalidQuery
        /// The text holds more than one statement.
        case multipleStatements
        /// The query names a table that is not one of the party's dataset tables.
        case tableNotAllowed
        /// The query would write (insert, update, delete, create, drop, alter, transactions, ...).
        case writeRefused
        /// The query uses `PRAGMA`.
        case pragmaRefused
        /// The query uses `ATTACH` or `DETACH`.
        case attachRefused
        /// The query calls a function that is not allowed, such as `load_extension`.
        case functionRefused
        /// The query ran past its step budget or its deadline and was interrupted.
        case budgetExceeded
        /// The query produced more rows than the row cap allows.
        case rowCapExceeded
        /// SQLite failed while running the query.
        case executionFailed
    }

    /// What kind of problem this is.
    public let code: Code
    /// What happened and what to do about it.
    public let message: String

    /// The error underneath, when this one reports on another (a file, a database, a decoder).
    public let cause: ErrorCause?

    /// Makes an error with a code and a message that says what happened and what to do.
    public init(_ code: Code, _ message: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.cause = ErrorCause?(wrapping: cause)
    }
}
