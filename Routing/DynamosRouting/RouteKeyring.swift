import Crypto
import Foundation

/// The HMAC keys a party knows: its own signing key and the keys of the parties whose routes it accepts.
///
/// Keys come from configuration or the environment, never from code: `DYNAMOS_ROUTE_KEY_<PARTY>` set to
/// `<keyId>:<base64 secret>`, or a JSON file `[{"party", "keyId", "secret"}]`. Secrets are at least 32 bytes.
public struct RouteKeyring: Sendable {
    /// One key: which party it belongs to and the identifier routes name it by.
    public struct Entry: Sendable, Codable, Equatable {
        public var party: String
        public var keyId: String
        /// Base64 of the secret.
        public var secret: String

        public init(party: String, keyId: String, secret: String) {
            self.party = party
            self.keyId = keyId
            self.secret = secret
        }
    }

    static let minimumSecretBytes = 32
    static let environmentPrefix = "DYNAMOS_ROUTE_KEY_"

    /// Raw secrets (SymmetricKey is not Sendable); a `SymmetricKey` is made per use.
    private var keys: [String: (party: String, secret: [UInt8])] = [:]
    private var signingKeys: [String: String] = [:]

    /// A keyring of `entries`; the first key listed for a party is the one it signs with.
    /// - Throws: `RoutingError` for a secret that is not base64, too short, or a key id used twice.
    public init(entries: [Entry]) throws(RoutingError) {
        for entry in entries {
            guard let secret = Data(base64Encoded: entry.secret), secret.count >= Self.minimumSecretBytes else {
                throw RoutingError(
                    .missingKey,
                    "route key '\(entry.keyId)' of \(entry.party) is not base64 of at least "
                        + "\(Self.minimumSecretBytes) bytes; generate one with `openssl rand -base64 32`")
            }
            guard keys[entry.keyId] == nil else {
                throw RoutingError(.invalidConfig, "route key id '\(entry.keyId)' is used twice; make ids unique")
            }
            keys[entry.keyId] = (entry.party, Array(secret))
            if signingKeys[entry.party] == nil { signingKeys[entry.party] = entry.keyId }
        }
    }

    /// Reads `DYNAMOS_ROUTE_KEY_<PARTY>=<keyId>:<base64 secret>` variables from `environment`.
    public static func fromEnvironment(_ environment: [String: String]) throws(RoutingError) -> RouteKeyring {
        var entries: [Entry] = []
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) where name.hasPrefix(environmentPrefix) {
            let party = String(name.dropFirst(environmentPrefix.count))
            guard let colon = value.firstIndex(of: ":"), !party.isEmpty else {
                throw RoutingError(.missingKey, "\(name) must be '<keyId>:<base64 secret>'")
            }
            let secret = String(value[value.index(after: colon)...])
            entries.append(Entry(party: party, keyId: String(value[..<colon]), secret: secret))
        }
        return try RouteKeyring(entries: entries)
    }

    /// Reads a JSON key file `[{"party", "keyId", "secret"}]`.
    public static func load(file: String) throws(RoutingError) -> RouteKeyring {
        try RouteKeyring(entries: KnowledgeBase.decode([Entry].self, file))
    }

    /// The key id `party` signs with, or nil when this keyring has none.
    public func signingKeyID(of party: String) -> String? { signingKeys[party] }

    /// A secret for another purpose derived from `party`'s signing key with HKDF-SHA256 (`purpose` as info), so
    /// one configured secret per party can also key, say, the anonymizer's masking hash without reusing the key.
    /// - Returns: 32 bytes, or nil when this keyring has no signing key for `party`.
    public func derivedSecret(of party: String, purpose: String) -> [UInt8]? {
        guard let keyID = signingKeys[party], let (_, key) = key(keyID) else { return nil }
        let derived = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: key, info: Array("dynamos.\(purpose).v1".utf8), outputByteCount: 32)
        return derived.withUnsafeBytes { Array($0) }
    }

    /// The key named `keyID` and the party it belongs to.
    func key(_ keyID: String) -> (party: String, key: SymmetricKey)? {
        keys[keyID].map { ($0.party, SymmetricKey(data: $0.secret)) }
    }
}
