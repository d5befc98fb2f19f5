import DynamosControl
import Foundation
import JWTKit

/// The claims of an OpenID Connect access token as Dynamos reads them: the registered ones it checks (`iss`, `aud`,
/// `exp`, `nbf`) and every other string or list of strings, so the user, role and steward claims can be configured.
struct OIDCClaims: JWTPayload {
    var iss: IssuerClaim
    var aud: AudienceClaim
    var exp: ExpirationClaim
    var nbf: NotBeforeClaim?
    var sub: SubjectClaim?
    /// Every string claim, and lists of strings joined by ",".
    var strings: [String: String]
    /// Every list-of-strings claim.
    var lists: [String: [String]]

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        iss = try container.decode(IssuerClaim.self, forKey: Key(stringValue: "iss"))
        aud = try container.decode(AudienceClaim.self, forKey: Key(stringValue: "aud"))
        exp = try container.decode(ExpirationClaim.self, forKey: Key(stringValue: "exp"))
        nbf = try container.decodeIfPresent(NotBeforeClaim.self, forKey: Key(stringValue: "nbf"))
        sub = try container.decodeIfPresent(SubjectClaim.self, forKey: Key(stringValue: "sub"))
        var strings: [String: String] = [:]
        var lists: [String: [String]] = [:]
        for key in container.allKeys {
            if let value = try? container.decode(String.self, forKey: key) {
                strings[key.stringValue] = value
            } else if let value = try? container.decode([String].self, forKey: key) {
                lists[key.stringValue] = value
            }
        }
        self.strings = strings
        self.lists = lists
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for (key, value) in strings { try container.encode(value, forKey: Key(stringValue: key)) }
        for (key, value) in lists { try container.encode(value, forKey: Key(stringValue: key)) }
        try container.encode(exp, forKey: Key(stringValue: "exp"))
        try container.encodeIfPresent(nbf, forKey: Key(stringValue: "nbf"))
    }

    /// Signature aside, the checks every token must pass are made by ``OIDCVerifier`` with its settings.
    func verify(using algorithm: some JWTAlgorithm) async throws {}

    /// The values of claim `name`: a string claim, or a list.
    func values(_ name: String) -> [String] {
        if let list = lists[name] { return list }
        return strings[name].map { [$0] } ?? []
    }
}
