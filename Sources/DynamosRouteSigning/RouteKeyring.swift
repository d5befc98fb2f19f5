import Crypto
public import Foundation

/// The public route keys a party trusts: which party owns which key id. Verifiers hold only these.
///
/// Stored as a JSON Web Key Set (`{"keys": [{"kty": "OKP", "crv": "Ed25519", "kid", "x", "party"}]}`), the file
/// `dynamos up` writes as `keys/keyring.json` and every process reads. A party may have several keys (rotation);
/// a key id names exactly one key of exactly one party.
public struct RouteKeyring: Sendable {
    /// One public key: its id, the party that owns it, and its 32 raw bytes.
    public struct Entry: Sendable, Equatable {
        public var party: String
        public var keyID: String
        public var publicKey: [UInt8]

        public init(party: String, keyID: String, publicKey: [UInt8]) {
            self.party = party
            self.keyID = keyID
            self.publicKey = publicKey
        }
    }

    private var keys: [String: (party: String, key: Curve25519.Signing.PublicKey)] = [:]
    /// Every entry, in the order given.
    public private(set) var entries: [Entry] = []

    /// A keyring of `entries`.
    /// - Throws: `RouteSigningError` `.invalidKey` for a key that is not 32 bytes or a key id used twice.
    public init(entries: [Entry]) throws(RouteSigningError) {
        for entry in entries {
            guard keys[entry.keyID] == nil else {
                throw RouteSigningError(.invalidKey, "route key id '\(entry.keyID)' is used twice; make ids unique")
            }
            let key: Curve25519.Signing.PublicKey
            do {
                key = try Curve25519.Signing.PublicKey(rawRepresentation: entry.publicKey)
            } catch {
                throw RouteSigningError(.invalidKey, "route key '\(entry.keyID)' of \(entry.party) is not an Ed25519 public key")
            }
            keys[entry.keyID] = (entry.party, key)
            self.entries.append(entry)
        }
    }

    /// Reads a JSON Web Key Set file.
    /// - Throws: `RouteSigningError` when the file is missing, malformed, or holds a private key.
    public static func load(file: String) throws(RouteSigningError) -> RouteKeyring {
        try decode(JSONWebKey.decode(JSONWebKey.Set.self, file: file), source: file)
    }

    /// Reads a JSON Web Key Set from `data`.
    public static func decode(_ data: Data) throws(RouteSigningError) -> RouteKeyring {
        let set: JSONWebKey.Set
        do {
            set = try JSONDecoder().decode(JSONWebKey.Set.self, from: data)
        } catch {
            throw RouteSigningError(.invalidKey, "the keyring is not a JSON Web Key Set", cause: error)
        }
        return try decode(set, source: "the keyring")
    }

    private static func decode(_ set: JSONWebKey.Set, source: String) throws(RouteSigningError) -> RouteKeyring {
        var entries: [Entry] = []
        for key in set.keys {
            try key.validate()
            guard key.d == nil else {
                throw RouteSigningError(
                    .invalidKey, "\(source) holds the private part of '\(key.kid)'; a keyring holds public keys only")
            }
            entries.append(
                Entry(party: key.party, keyID: key.kid, publicKey: try JSONWebKey.bytes(key.x, member: "x", kid: key.kid)))
        }
        return try RouteKeyring(entries: entries)
    }

    /// The keyring as a JSON Web Key Set.
    public func encoded() -> Data {
        JSONWebKey.encode(
            JSONWebKey.Set(keys: entries.map {
                JSONWebKey(kid: $0.keyID, party: $0.party, x: JSONWebKey.base64URL($0.publicKey))
            }))
    }

    /// The parties with at least one key.
    public var parties: Set<String> { Set(entries.map(\.party)) }

    /// The key named `keyID` and the party it belongs to.
    func key(_ keyID: String) -> (party: String, key: Curve25519.Signing.PublicKey)? { keys[keyID] }
}
