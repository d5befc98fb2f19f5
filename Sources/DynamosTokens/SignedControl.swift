public import DynamosControl
public import Foundation
public import JWTKit

/// The claims of a control message the orchestrator signed: the message itself, who signed it, and a short expiry.
///
/// Compositions, revocations and config pushes travel this way (`ControlMessage.signed`), so an agent acts on them
/// only when the orchestrator's key signed them: any other party on the bus cannot make a steward serve a job.
public struct SignedControl: JWTPayload, Equatable {
    /// How long a signed control message stays acceptable; a replay after that is refused.
    public static let lifetime: TimeInterval = 300

    public var iss: IssuerClaim
    public var iat: IssuedAtClaim
    public var exp: ExpirationClaim
    public var message: ControlMessage

    public init(message: ControlMessage, now: Date = Date()) {
        iss = IssuerClaim(value: AccessClaims.issuer)
        iat = IssuedAtClaim(value: now)
        exp = ExpirationClaim(value: now.addingTimeInterval(Self.lifetime))
        self.message = message
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
        guard iss.value == AccessClaims.issuer else {
            throw JWTError.claimVerificationFailure(failedClaim: iss, reason: "not signed by the Dynamos orchestrator")
        }
    }
}
