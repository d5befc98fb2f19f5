public import DynamosControl
import DynamosTokens
import Foundation
import JWTKit

/// Everything the orchestrator accepts as proof of who is calling, and the check for each: API keys (the embedded
/// default) and OpenID Connect access tokens where configured. Its own session tokens are for agents only: each is
/// bound to one agent, and one an agent received must not buy anything here, not even a new one.
///
/// With no API key stored and no OIDC configured nobody can authenticate, and every endpoint but `/health` says
/// so: the orchestrator is never open by default.
public struct Credentials: Sendable {
    public let apiKeys: APIKeyStore
    public let oidc: OIDCVerifier?

    public init(apiKeys: APIKeyStore, oidc: OIDCVerifier? = nil) {
        self.apiKeys = apiKeys
        self.oidc = oidc
    }

    /// The principal a bearer credential stands for.
    /// - Throws: `ControlError` `.unauthorized` saying why the credential is refused.
    public func principal(for credential: String) async throws(ControlError) -> Principal {
        if let key = APIKey(credential) {
            return try await apiKeys.principal(for: key)
        }
        guard credential.split(separator: ".", omittingEmptySubsequences: false).count == 3 else {
            throw ControlError(
                .unauthorized, "the credential is neither an API key (dyn_...) nor a token; check what you sent")
        }
        if (try? await Self.peek.unverified(credential, as: IssuerOnly.self))?.iss.value == AccessClaims.issuer {
            throw ControlError(
                .unauthorized, "Dynamos tokens are for agents; the orchestrator takes your API key or OIDC token")
        }
        guard let oidc else {
            throw ControlError(
                .unauthorized, "this orchestrator accepts no OpenID Connect tokens (no --oidc settings); use an API key")
        }
        return try await oidc.principal(for: credential)
    }

    /// Whether anyone could authenticate at all.
    public func anyConfigured() async -> Bool {
        if oidc != nil { return true }
        return (try? await apiKeys.isEmpty()) == false
    }

    /// Decodes payloads without verifying them, only to route a token to its verifier.
    private static let peek = JWTKeyCollection()

    private struct IssuerOnly: JWTPayload {
        var iss: IssuerClaim
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }
}
