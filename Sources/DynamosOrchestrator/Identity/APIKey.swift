import Crypto
public import Foundation

/// An API key as the caller holds it: `dyn_<id>_<secret>`. The id finds the key's record; only a SHA-256 of the
/// secret is stored, and it is compared in constant time.
///
/// Keys are 32 random bytes, so a plain SHA-256 is the right hash (as for GitHub's or Stripe's tokens): nobody can
/// guess a preimage, and a slow password hash would only slow every request down.
public struct APIKey: Sendable, Equatable {
    static let prefix = "dyn_"

    /// The public part that names the key's record.
    public let id: String
    let secret: String

    /// A fresh key.
    public init() {
        id = (0..<6).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        secret = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The key in `text`, or nil when `text` is not shaped like a Dynamos API key (it may be a token instead).
    public init?(_ text: String) {
        guard text.hasPrefix(Self.prefix) else { return nil }
        let parts = text.dropFirst(Self.prefix.count).split(separator: "_", maxSplits: 1)
        guard parts.count == 2, parts[0].count == 12, parts[0].allSatisfy(\.isHexDigit), parts[1].count >= 32 else {
            return nil
        }
        id = String(parts[0])
        secret = String(parts[1])
    }

    /// What the caller sends.
    public var text: String { "\(Self.prefix)\(id)_\(secret)" }

    /// What is stored: the SHA-256 of the secret.
    var secretHash: Data { Data(SHA256.hash(data: Data(secret.utf8))) }

    /// Whether this key's secret hashes to `stored`, compared in constant time.
    func matches(_ stored: Data) -> Bool {
        SHA256.hash(data: Data(secret.utf8)) == stored
    }
}
