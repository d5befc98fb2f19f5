public import DynamosControl
public import Foundation
public import JWTKit

/// The claims of an access token: which user may run which job at which parties, until when.
///
/// `sub` is the user's name (agreements name users by it), `uid` the user's id, `job` the job id, `parties` the
/// parties whose agents accept the token, `jti` a unique id. Expiry is checked on every verification.
public struct AccessClaims: JWTPayload, Equatable {
    /// The issuer every orchestrator-signed token names; tokens naming another issuer are refused.
    public static let issuer = "dynamos-orchestrator"

    public var iss: IssuerClaim
    public var sub: SubjectClaim
    public var uid: String
    public var job: String
    public var parties: [String]
    public var iat: IssuedAtClaim
    public var exp: ExpirationClaim
    public var jti: IDClaim

    public init(user: AnalystUser, job: String, parties: [String], issuedAt: Date, expiresAt: Date, id: String) {
        iss = IssuerClaim(value: Self.issuer)
        sub = SubjectClaim(value: user.userName)
        uid = user.id
        self.job = job
        self.parties = parties
        iat = IssuedAtClaim(value: issuedAt)
        exp = ExpirationClaim(value: expiresAt)
        jti = IDClaim(value: id)
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
        guard iss.value == Self.issuer else {
            throw JWTError.claimVerificationFailure(failedClaim: iss, reason: "not issued by the Dynamos orchestrator")
        }
    }
}
