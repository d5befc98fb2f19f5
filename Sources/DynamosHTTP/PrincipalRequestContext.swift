public import DynamosControl
import DynamosTokens
public import Hummingbird
public import HummingbirdAuth

/// The request context of Dynamos's HTTP servers: Hummingbird's core context plus the caller, once a credential in
/// `Authorization: Bearer ...` was checked (``BearerAuthenticator``).
public struct PrincipalRequestContext: AuthRequestContext, RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Principal?

    public init(source: Source) {
        coreContext = .init(source: source)
        identity = nil
    }

    /// The caller.
    /// - Throws: `ControlError` `.unauthorized` that says how to authenticate when the request carried no credential.
    public func principal() throws(ControlError) -> Principal {
        guard let identity else {
            throw ControlError(
                .unauthorized,
                "no credentials: send 'Authorization: Bearer <API key or token>'; an operator makes a key with "
                    + "`dynamos users add NAME --role analyst|steward-admin|operator`")
        }
        return identity
    }

    /// The caller, who must hold one of `roles`.
    /// - Throws: `ControlError` `.unauthorized` without credentials, `.forbidden` naming what is needed.
    public func principal(_ roles: Principal.Role..., for what: String) throws(ControlError) -> Principal {
        let principal = try principal()
        guard roles.contains(principal.role) else {
            throw ControlError(
                .forbidden,
                "\(what) needs the role \(roles.map(\.rawValue).joined(separator: " or ")); you are \(principal)")
        }
        return principal
    }
}

/// Checks the bearer credential of every request it sees and puts the caller into the context; a request without
/// one goes on unauthenticated (routes that need a caller refuse it), a request with a bad one is refused with 401.
public struct BearerAuthenticator: AuthenticatorMiddleware {
    public typealias Context = PrincipalRequestContext
    let check: @Sendable (String) async throws(ControlError) -> Principal

    /// - Parameter check: the principal a credential stands for, or a `ControlError` saying why it is refused.
    public init(_ check: @escaping @Sendable (String) async throws(ControlError) -> Principal) {
        self.check = check
    }

    public func authenticate(request: Request, context: Context) async throws -> Principal? {
        guard let header = request.headers[.authorization] else { return nil }
        return try await check(try TokenVerifier.bearerToken(from: header))
    }
}
