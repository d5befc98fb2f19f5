public import DynamosErrors

/// Why a route, a ticket or a key was refused, as a stable code and a message that says what to do.
///
/// Workers put the message in the dead-letter reason of a refused message; agents turn signing failures into
/// HTTP errors.
public struct RouteSigningError: CodedError, Sendable, Equatable {
    /// A stable, machine-readable reason.
    public enum Code: String, Sendable, Codable {
        /// The route or ticket was altered after signing, or its hops are not a suffix of the signed path.
        case invalidRoute
        /// Signed with a key this party does not know, or with a key that belongs to another party than it claims.
        case foreignRoute
        /// Its expiry has passed.
        case expired
        /// The route was signed for another request than the message carries (the SQL was changed).
        case requestMismatch
        /// A hop leaves the issuer for a party that issued no valid ticket for it.
        case missingTicket
        /// No signing key, or a key file that cannot be used.
        case missingKey
        /// A key or keyring is malformed.
        case invalidKey
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
