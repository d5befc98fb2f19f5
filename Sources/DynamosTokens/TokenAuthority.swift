public import DynamosControl
public import Foundation
import JWTKit

/// The orchestrator's token signer: mints EdDSA (Ed25519) access tokens with its private key.
///
/// Only the orchestrator holds the private key; agents get the public key (`TokenVerifier`), so no steward can
/// mint a token. The key lives in a PEM file created on first start with mode 0600 (`TokenKeyFile`).
public struct TokenAuthority: Sendable {
    private let keys: JWTKeyCollection
    /// The public key in PEM form, for agents.
    public let publicKeyPEM: String
    /// How long tokens stay valid.
    public let lifetime: Duration

    /// An authority signing with `privateKeyPEM` (an Ed25519 private key in PEM form).
    /// - Throws: `ControlError` `.badRequest` when the PEM is not an Ed25519 private key.
    public init(privateKeyPEM: String, lifetime: Duration = .seconds(3600)) async throws(ControlError) {
        let key: EdDSA.PrivateKey
        do {
            key = try EdDSA.PrivateKey(pem: privateKeyPEM)
        } catch {
            throw ControlError(.badRequest, "the token signing key is not an Ed25519 private key in PEM form", cause: error)
        }
        keys = JWTKeyCollection()
        await keys.add(eddsa: key)
        publicKeyPEM = key.publicKey.pemRepresentation
        self.lifetime = lifetime
    }

    /// Signs a token for `user` to run `job` at `parties`, valid from now for `lifetime` (or the authority's).
    /// - Returns: the compact JWT and its expiry.
    public func issue(
        user: AnalystUser, job: String, parties: [String], lifetime: Duration? = nil, now: Date = Date()
    ) async throws(ControlError) -> (token: String, expiresAt: Date) {
        let seconds = Double((lifetime ?? self.lifetime).components.seconds)
        let expiry = now.addingTimeInterval(seconds)
        let claims = AccessClaims(
            user: user, job: job, parties: parties.sorted(), issuedAt: now, expiresAt: expiry,
            id: UUID().uuidString.lowercased())
        do {
            return (try await keys.sign(claims), expiry)
        } catch {
            throw ControlError(.internalError, "signing an access token failed", cause: error)
        }
    }

    /// Signs a session token for `principal` at `party`'s agent, valid for `lifetime`.
    public func issueSession(
        for principal: Principal, at party: String, lifetime: Duration = .seconds(900), now: Date = Date()
    ) async throws(ControlError) -> SessionToken {
        let expiry = now.addingTimeInterval(Double(lifetime.components.seconds))
        let claims = SessionClaims(
            principal: principal, party: party, issuedAt: now, expiresAt: expiry, id: UUID().uuidString.lowercased())
        do {
            return SessionToken(
                token: try await keys.sign(claims), expiresAt: Int(expiry.timeIntervalSince1970),
                principal: claims.principal)
        } catch {
            throw ControlError(.internalError, "signing a session token failed", cause: error)
        }
    }

    /// `message` signed with the orchestrator's key, as the `signed` control message agents accept.
    public func sign(control message: ControlMessage, now: Date = Date()) async throws(ControlError) -> ControlMessage {
        do {
            return .signed(try await keys.sign(SignedControl(message: message, now: now)))
        } catch {
            throw ControlError(.internalError, "signing a control message failed", cause: error)
        }
    }
}
