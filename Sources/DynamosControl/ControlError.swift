public import DynamosErrors

/// What went wrong in the control plane, with an HTTP status to answer with and a message that says what to do.
///
/// Every refusal the orchestrator or an agent gives (a bad token, an unknown job, a policy refusal, a failing
/// hop) is one of these; `ErrorBody` is its JSON form `{"error", "detail", "party", "service"}`.
public struct ControlError: CodedError, Sendable, Equatable {
    /// The kind of failure; its raw value is the `error` field of the JSON body.
    public enum Code: String, Sendable, Codable {
        case badRequest
        case unauthorized
        case forbidden
        case notFound
        case conflict
        case refused
        case unavailable
        /// A limit of the receiver (requests in flight, ephemeral runs) is reached; retry after `retryAfterSeconds`.
        case tooManyRequests
        case timeout
        case serviceFailed
        case internalError

        /// The HTTP status that goes with the code.
        public var status: Int {
            switch self {
            case .badRequest: 400
            case .unauthorized: 401
            case .forbidden: 403
            case .notFound: 404
            case .conflict: 409
            case .refused: 403
            case .unavailable: 503
            case .tooManyRequests: 429
            case .timeout: 504
            case .serviceFailed: 502
            case .internalError: 500
            }
        }
    }

    public var code: Code
    public var message: String
    /// The party whose hop failed, for errors coming back from a chain.
    public var party: String?
    /// The service whose hop failed.
    public var service: String?
    /// The failing hop's own error code (for example `sqlError`), for errors coming back from a chain.
    public var reason: String?
    /// Seconds after which a retry may succeed, sent as `Retry-After` (with 429 and 503).
    public var retryAfterSeconds: Int?
    /// The error underneath (a database, the bus, a decoder), kept whole; its text follows the message in `detail`.
    public var cause: ErrorCause?

    public init(
        _ code: Code, _ message: String, party: String? = nil, service: String? = nil, reason: String? = nil,
        retryAfterSeconds: Int? = nil, cause: (any Error)? = nil
    ) {
        self.cause = ErrorCause?(wrapping: cause)
        self.retryAfterSeconds = retryAfterSeconds
        self.code = code
        self.message = message
        self.party = party
        self.service = service
        self.reason = reason
    }

    public var description: String {
        var text = "\(code.rawValue): \(explanation)"
        if let party, let service { text += " (at \(party)/\(service))" }
        return text
    }

    /// The JSON body sent with the error.
    public var body: ErrorBody {
        ErrorBody(error: code.rawValue, detail: explanation, party: party, service: service, reason: reason)
    }
}

/// The JSON body of every control-plane error response: `{"error", "detail", "party", "service", "reason"}`.
public struct ErrorBody: Sendable, Codable, Equatable {
    public var error: String
    public var detail: String
    public var party: String?
    public var service: String?
    public var reason: String?

    public init(error: String, detail: String, party: String? = nil, service: String? = nil, reason: String? = nil) {
        self.error = error
        self.detail = detail
        self.party = party
        self.service = service
        self.reason = reason
    }

    /// The error this body describes; an unknown `error` code reads as `internalError`.
    public var controlError: ControlError {
        ControlError(
            ControlError.Code(rawValue: error) ?? .internalError, detail, party: party, service: service,
            reason: reason)
    }
}
