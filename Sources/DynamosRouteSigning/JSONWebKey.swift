import Foundation

/// An Ed25519 key in JSON Web Key form (RFC 8037: `kty` `OKP`, `crv` `Ed25519`, `x` the public key, `d` the private
/// key, both base64url), with the party that owns it as an extra member, as key files and keyrings store it.
struct JSONWebKey: Codable, Equatable {
    var kty = "OKP"
    var crv = "Ed25519"
    var kid: String
    var party: String
    var use: String? = "sig"
    var x: String
    var d: String?

    /// A key set, `{"keys": [...]}` (RFC 7517).
    struct Set: Codable {
        var keys: [JSONWebKey]
    }

    /// The decoded `x` or `d` member, 32 bytes.
    static func bytes(_ text: String, member: String, kid: String) throws(RouteSigningError) -> [UInt8] {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), data.count == 32 else {
            throw RouteSigningError(.invalidKey, "key '\(kid)': '\(member)' is not base64url of 32 bytes")
        }
        return Array(data)
    }

    static func base64URL(_ bytes: some DataProtocol) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Checks the members every Dynamos key has.
    func validate() throws(RouteSigningError) {
        guard kty == "OKP", crv == "Ed25519" else {
            throw RouteSigningError(.invalidKey, "key '\(kid)' is \(kty)/\(crv); route keys are OKP/Ed25519")
        }
        guard !kid.isEmpty, !party.isEmpty else {
            throw RouteSigningError(.invalidKey, "a route key needs a 'kid' and a 'party'")
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, file: String) throws(RouteSigningError) -> T {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw RouteSigningError(.missingKey, "cannot read \(file): \(error.localizedDescription)")
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw RouteSigningError(.invalidKey, "\(file) is not a JSON Web Key file", cause: error)
        }
    }

    static func encode(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)) ?? Data()
    }
}
