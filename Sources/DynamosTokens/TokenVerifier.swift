public import DynamosControl
import Foundation
import JWTKit
import Synchronization

/// An agent's token check: verifies the orchestrator's EdDSA signature with the public key, and the expiry.
///
/// Only EdDSA is accepted (the collection holds one Ed25519 public key), so `alg: none` and HMAC tokens signed with
/// the public key as a secret fail.
///
/// A token that verified is remembered (up to `cacheLimit` of them), so an analyst's stream of requests with one
/// token pays for the Ed25519 check once; a remembered token is still refused the moment it expires.
public struct TokenVerifier: Sendable {
    private let keys: JWTKeyCollection
    private let verified = VerifiedTokens()
    /// How many verified tokens are remembered before the memory starts afresh.
    public static let cacheLimit = 1024

    /// A verifier for tokens signed by the private key whose public half is `publicKeyPEM`.
    /// - Throws: `ControlError` `.badRequest` when the PEM is not an Ed25519 public key.
    public init(publicKeyPEM: String) async throws(ControlError) {
        let key: EdDSA.PublicKey
        do {
            key = try EdDSA.PublicKey(pem: publicKeyPEM)
        } catch {
            throw ControlError(.badRequest, "the token public key is not an Ed25519 public key in PEM form", cause: error)
        }
        keys = JWTKeyCollection()
        await keys.add(eddsa: key)
    }

    /// The claims of `token` when its signature, issuer and expiry hold.
    /// - Throws: `ControlError` `.unauthorized` saying why the token is refused.
    public func verify(_ token: String) async throws(ControlError) -> AccessClaims {
        if let claims = verified.entries.withLock({ $0[token] }) {
            guard claims.exp.value > Date() else {
                verified.entries.withLock { _ = $0.removeValue(forKey: token) }
                throw ControlError(.unauthorized, "the access token is not valid: expired; ask for approval again")
            }
            return claims
        }
        do {
            let claims = try await keys.verify(token, as: AccessClaims.self)
            verified.entries.withLock { cache in
                if cache.count >= Self.cacheLimit { cache.removeAll(keepingCapacity: true) }
                cache[token] = claims
            }
            return claims
        } catch let error as JWTError where error.errorType == .claimVerificationFailure {
            throw ControlError(.unauthorized, "the access token is not valid: \(error.reason ?? "a claim failed"); ask for approval again")
        } catch {
            throw ControlError(.unauthorized, "the access token is not valid", cause: error)
        }
    }

    /// The principal of a session token the orchestrator signed (`POST /api/v1/token?party=`) for `party`'s agent.
    /// - Throws: `ControlError` `.unauthorized` saying why the token is refused.
    public func verifySession(_ token: String, at party: String) async throws(ControlError) -> Principal {
        let claims: SessionClaims
        do {
            claims = try await keys.verify(token, as: SessionClaims.self)
        } catch let error as JWTError where error.errorType == .claimVerificationFailure {
            throw ControlError(
                .unauthorized, "the session token is not valid: \(error.reason ?? "a claim failed"); get a new one")
        } catch {
            throw ControlError(.unauthorized, "the session token is not valid", cause: error)
        }
        guard claims.aud.value.contains(SessionClaims.audience(of: party)) else {
            throw ControlError(
                .unauthorized, "the session token is for \(claims.aud.value), not \(party)'s agent; get one for \(party)")
        }
        return claims.principal
    }

    /// The bearer token of an `Authorization` header value.
    /// - Throws: `ControlError` `.unauthorized` when the header is missing or not `Bearer <token>`.
    public static func bearerToken(from header: String?) throws(ControlError) -> String {
        let scheme = "bearer ".utf8
        guard let header, header.utf8.count > scheme.count,
            zip(header.utf8, scheme).allSatisfy({ byte, expected in
                byte == expected || (expected != UInt8(ascii: " ") && byte | 0x20 == expected)
            })
        else {
            throw ControlError(.unauthorized, "send the approval's token as 'Authorization: Bearer <token>'")
        }
        let token = header.utf8.dropFirst(scheme.count).drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        var end = token.endIndex
        while end > token.startIndex, [UInt8(ascii: " "), UInt8(ascii: "\t")].contains(header.utf8[header.utf8.index(before: end)]) {
            end = header.utf8.index(before: end)
        }
        return String(Substring(header.utf8[token.startIndex..<end]))
    }

    /// The control message inside a `signed` one, when the orchestrator's key signed it and it has not expired.
    /// - Throws: `ControlError` `.unauthorized` saying why it is refused.
    public func open(_ signed: String) async throws(ControlError) -> ControlMessage {
        let claims: SignedControl
        do {
            claims = try await keys.verify(signed, as: SignedControl.self)
        } catch {
            throw ControlError(.unauthorized, "a control message not signed by the orchestrator was refused", cause: error)
        }
        if case .signed = claims.message {
            throw ControlError(.unauthorized, "a signed control message may not wrap another")
        }
        return claims.message
    }
}

/// The tokens a verifier has seen verify, by token text.
private final class VerifiedTokens: Sendable {
    let entries = Mutex<[String: AccessClaims]>([:])
}
