public import DynamosControl
public import Foundation
public import JWTKit

/// The claims of a session token the orchestrator signs for an authenticated caller: who, which role, for which
/// steward, for which party's agent, until when. That agent verifies it with the orchestrator's public key, as it
/// verifies access tokens.
///
/// `aud` is `dynamos-session:<party>`: a token is good at one agent only, so an agent that receives it cannot replay
/// it at another; the orchestrator does not accept session tokens at all. `typ` is `session`, so an analyst's access
/// token (which names a job) can never pass as one, nor the reverse.
public struct SessionClaims: JWTPayload, Equatable {
    /// The audience of a token for `party`'s agent.
    public static func audience(of party: String) -> String { "dynamos-session:\(party)" }

    public var iss: IssuerClaim
    public var aud: AudienceClaim
    public var sub: SubjectClaim
    public var typ: String
    public var role: Principal.Role
    public var steward: String?
    public var iat: IssuedAtClaim
    public var exp: ExpirationClaim
    public var jti: IDClaim

    public init(principal: Principal, party: String, issuedAt: Date, expiresAt: Date, id: String) {
        iss = IssuerClaim(value: AccessClaims.issuer)
        aud = AudienceClaim(value: Self.audience(of: party))
        sub = SubjectClaim(value: principal.name)
        typ = "session"
        role = principal.role
        steward = principal.steward
        iat = IssuedAtClaim(value: issuedAt)
        exp = ExpirationClaim(value: expiresAt)
        jti = IDClaim(value: id)
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
        guard iss.value == AccessClaims.issuer, typ == "session" else {
            throw JWTError.claimVerificationFailure(failedClaim: iss, reason: "not a Dynamos session token")
        }
    }

    /// The principal the token stands for.
    public var principal: Principal {
        Principal(name: sub.value, role: role, steward: steward, credential: .session)
    }
}
