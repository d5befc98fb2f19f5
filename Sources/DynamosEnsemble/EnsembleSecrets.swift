import Crypto
import DynamosRouteSigning
import Foundation

/// The keys one `dynamos up` run makes, each given only to the party that owns it.
///
/// Under `<state>/keys/`: every party's private route key (`<party>.jwk`, mode 0600), passed to that party's agent
/// alone, and the public keyring (`keyring.json`) every process reads. Each steward also gets its own masking key
/// for the anonymizer, in its agent's environment only. Keys are made fresh for every run.
struct EnsembleSecrets: Sendable {
    let keyringPath: String
    let signingKeyPaths: [String: String]
    let maskKeys: [String: String]
    let partySecrets: [String: String]

    /// Variables that carry one party's secrets; never inherited from the caller by another party's process.
    static let privateVariables = [
        "DYNAMOS_SIGNING_KEY", "DYNAMOS_API_KEY", "DYNAMOS_ADMIN_TOKEN", "DYNAMOS_RABBITMQCTL", "DYNAMOS_AMQP_URL",
        "DYNAMOS_PARTY_SECRET",
    ]
    static let privatePrefixes = ["DYNAMOS_MASK_KEY_", "DYNAMOS_ROUTE_KEY_"]

    /// Makes keys for `parties` under `directory/keys`.
    static func make(parties: [String], in directory: String) throws -> EnsembleSecrets {
        let keys = "\(directory)/keys"
        let stamp = Int(Date().timeIntervalSince1970)
        var entries: [RouteKeyring.Entry] = []
        var paths: [String: String] = [:]
        var masks: [String: String] = [:]
        var secrets: [String: String] = [:]
        for party in parties {
            let key = RouteSigningKey(party: party, keyID: "\(party)-\(stamp)")
            let path = "\(keys)/\(party).jwk"
            try key.write(to: path)
            paths[party] = path
            entries.append(key.publicEntry)
            masks[party] = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
            secrets[party] = PartySecret().base64
        }
        let keyringPath = "\(keys)/keyring.json"
        try RouteKeyring(entries: entries).encoded().write(to: URL(fileURLWithPath: keyringPath), options: .atomic)
        return EnsembleSecrets(keyringPath: keyringPath, signingKeyPaths: paths, maskKeys: masks, partySecrets: secrets)
    }

    /// The caller's environment without any party's secrets, plus the keyring: what every daemon starts from.
    func sharedEnvironment(_ base: [String: String]) -> [String: String] {
        var environment = base.filter { name, _ in
            !Self.privateVariables.contains(name) && !Self.privatePrefixes.contains { name.hasPrefix($0) }
        }
        environment["DYNAMOS_KEYRING"] = keyringPath
        return environment
    }

    /// `shared` with `party`'s own secrets added: its signing key, its masking key and its party secret.
    func environment(of party: String, shared: [String: String]) -> [String: String] {
        var environment = shared
        environment["DYNAMOS_SIGNING_KEY"] = signingKeyPaths[party]
        environment["DYNAMOS_MASK_KEY_\(party)"] = maskKeys[party]
        environment["DYNAMOS_PARTY_SECRET"] = partySecrets[party]
        return environment
    }
}
