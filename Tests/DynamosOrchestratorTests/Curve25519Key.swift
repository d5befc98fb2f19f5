import Crypto

/// A fresh Ed25519 signing key in PEM form, for token authorities in tests.
enum Curve25519Key {
    static func pem() -> String { Curve25519.Signing.PrivateKey().pemRepresentation }
}
