public import DynamosErrors

/// The one error type of the router: what went wrong, as a stable code, and a message saying what to change.
///
/// Config errors name the file, the entry and the problem; request errors name the request field and the fix.
public struct RoutingError: CodedError, Sendable, Equatable {
    /// A stable, machine-readable reason, so callers (HTTP, CLI) can map errors without parsing messages.
    public enum Code: String, Sendable, Codable {
        case invalidConfig
        case unknownService
        case cycle
        case labelMismatch
        case danglingOutput
        case unknownRequestType
        case unknownOption
        case unknownArchetype
        case unknownParty
        case notAllowed
        case noCommonArchetype
        case partyOffline
        case invalidRequest
        case invalidRoute
        case foreignRoute
        case missingTicket
        case missingKey
        case storage
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
