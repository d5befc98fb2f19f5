import Crypto
import Foundation

/// The secret a party's own processes share (its agent and its workers, nobody else), with which they check the
/// party's own routes in microseconds instead of verifying an Ed25519 signature at every hop.
///
/// The agent tags each route it signs with an HMAC-SHA256 over the same bytes its signature covers; the party's
/// workers check that tag, and every other check (the path, the expiry, the request digest, tickets) stays the
/// same. Another party never holds it and checks the Ed25519 signature instead. Base64 of 32 bytes in
/// `DYNAMOS_PARTY_SECRET`.
public struct PartySecret: Sendable {
    let bytes: [UInt8]

    /// A fresh secret.
    public init() {
        bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
    }

    /// The secret in `base64`.
    /// - Throws: `RouteSigningError` `.invalidKey` unless it is base64 of at least 32 bytes.
    public init(base64: String) throws(RouteSigningError) {
        guard let data = Data(base64Encoded: base64), data.count >= 32 else {
            throw RouteSigningError(.invalidKey, "a party secret is base64 of at least 32 bytes (openssl rand -base64 32)")
        }
        bytes = Array(data)
    }

    /// The secret as base64, for the environment of the party's processes.
    public var base64: String { Data(bytes).base64EncodedString() }

    /// This secret's tag of `route`, as a signer would make it (for tests that forge one).
    public func tagForTesting(_ route: SignedRoute) -> [UInt8] { tag(SigningInput.route(route)) }

    func tag(_ input: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: input, using: SymmetricKey(data: bytes)))
    }

    /// Whether `tag` is this secret's tag of `input`, compared in constant time.
    func isValid(_ tag: [UInt8], for input: [UInt8]) -> Bool {
        HMAC<SHA256>.isValidAuthenticationCode(tag, authenticating: input, using: SymmetricKey(data: bytes))
    }
}
