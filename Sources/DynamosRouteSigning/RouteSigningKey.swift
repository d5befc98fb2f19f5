import Crypto
import Foundation

/// One party's private route key: what its agent signs routes and tickets with. Only that party's agent holds it.
///
/// Stored as a JSON Web Key (`{"kty": "OKP", "crv": "Ed25519", "kid", "x", "d", "party"}`) in a file only its owner
/// can read (mode 0600).
public struct RouteSigningKey: Sendable {
    public let party: String
    public let keyID: String
    let key: Curve25519.Signing.PrivateKey

    /// A fresh key for `party`.
    public init(party: String, keyID: String) {
        self.party = party
        self.keyID = keyID
        self.key = Curve25519.Signing.PrivateKey()
    }

    /// The public half, as a keyring entry.
    public var publicEntry: RouteKeyring.Entry {
        RouteKeyring.Entry(party: party, keyID: keyID, publicKey: Array(key.publicKey.rawRepresentation))
    }

    /// Reads a key file.
    /// - Throws: `RouteSigningError` when it is missing, malformed, readable by others, or has no private part.
    public static func load(file: String) throws(RouteSigningError) -> RouteSigningKey {
        if let mode = SecretFile.permissions(of: file), mode & 0o077 != 0 {
            throw RouteSigningError(
                .invalidKey, "\(file) is readable by others (mode \(String(mode, radix: 8))); chmod 600 it")
        }
        let jwk = try JSONWebKey.decode(JSONWebKey.self, file: file)
        try jwk.validate()
        guard let d = jwk.d else {
            throw RouteSigningError(.missingKey, "\(file) holds only a public key; a signing key needs 'd'")
        }
        let key: Curve25519.Signing.PrivateKey
        do {
            key = try Curve25519.Signing.PrivateKey(rawRepresentation: try JSONWebKey.bytes(d, member: "d", kid: jwk.kid))
        } catch let error as RouteSigningError {
            throw error
        } catch {
            throw RouteSigningError(.invalidKey, "\(file) does not hold an Ed25519 private key")
        }
        guard JSONWebKey.base64URL(key.publicKey.rawRepresentation) == jwk.x else {
            throw RouteSigningError(.invalidKey, "\(file): 'x' is not the public half of 'd'")
        }
        return RouteSigningKey(party: jwk.party, keyID: jwk.kid, key: key)
    }

    /// Writes the key to `file` with mode 0600.
    public func write(to file: String) throws(RouteSigningError) {
        let jwk = JSONWebKey(
            kid: keyID, party: party, x: JSONWebKey.base64URL(key.publicKey.rawRepresentation),
            d: JSONWebKey.base64URL(key.rawRepresentation))
        do {
            try SecretFile.write(JSONWebKey.encode(jwk), to: file)
        } catch {
            throw RouteSigningError(.missingKey, "cannot write the route key \(file)", cause: error)
        }
    }

    private init(party: String, keyID: String, key: Curve25519.Signing.PrivateKey) {
        self.party = party
        self.keyID = keyID
        self.key = key
    }

    func signature(for input: [UInt8]) throws(RouteSigningError) -> [UInt8] {
        do {
            return Array(try key.signature(for: input))
        } catch {
            throw RouteSigningError(.invalidKey, "signing with '\(keyID)' failed", cause: error)
        }
    }
}
