public import DynamosErrors

/// The one error type of the worker runtime: a stable code and a message that says what happened and what to do.
///
/// Handlers throw it to put a specific code into the error result the analyst receives; the runtime uses it for
/// configuration problems (unknown service, bad options) and for failures it reports.
public struct WorkerError: CodedError, Sendable, Equatable {
    /// A stable, machine-readable reason, carried as `ServiceError.code` in error results.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The handler failed with an error that is not a `WorkerError`.
        public static let handlerFailed = Code(rawValue: "handlerFailed")
        /// The message's `data` is not a valid table, or the request is not one this service can run.
        public static let invalidInput = Code(rawValue: "invalidInput")
        /// No handler is registered for the requested service.
        public static let unknownService = Code(rawValue: "unknownService")
        /// A combining service timed out waiting for some providers' parts.
        public static let partsMissing = Code(rawValue: "partsMissing")
        /// A budget of the receiving worker (bytes held, sizes) was exceeded by what a sender sent.
        public static let budgetExceeded = Code(rawValue: "budgetExceeded")
        /// The worker was started with options that cannot work.
        public static let invalidConfiguration = Code(rawValue: "invalidConfiguration")
    }

    public let code: Code
    public let message: String

    /// The error underneath, when this one reports on another (a file, a database, a decoder).
    public let cause: ErrorCause?

    public init(_ code: Code, _ message: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.cause = ErrorCause?(wrapping: cause)
    }
}
