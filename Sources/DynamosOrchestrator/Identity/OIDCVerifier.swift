public import AsyncHTTPClient
public import DynamosControl
import Foundation
import JWTKit
import NIOCore

/// Checks OpenID Connect access tokens the way a resource server should: the signature against the issuer's JWKS,
/// then issuer, audience, expiry and not-before (with a little leeway for clocks), and maps the configured claims to
/// a ``Principal``.
///
/// A JWKS given by URL is fetched at start and again when a token names a key the set does not hold (the issuer
/// rotated its keys), at most once every `jwksRefetchSeconds` (30 by default) so unknown key ids cannot make the
/// orchestrator hammer the issuer.
public actor OIDCVerifier {
    public let settings: OIDCSettings
    private var keys = JWTKeyCollection()
    /// The `kid`s of the keys the issuer published when they were last read.
    private var keyIDs: Set<String> = []
    private var fetchedAt: ContinuousClock.Instant?
    private let http: HTTPClient

    /// A verifier with the keys loaded (from the file, or fetched from the URL).
    /// - Throws: `ControlError` `.unavailable` when the JWKS cannot be read.
    public init(settings: OIDCSettings, http: HTTPClient = .shared) async throws(ControlError) {
        self.settings = settings
        self.http = http
        try await loadKeys()
    }

    /// The principal of `token`.
    /// - Throws: `ControlError` `.unauthorized` saying which check failed.
    public func principal(for token: String) async throws(ControlError) -> Principal {
        let claims = try await verifiedClaims(token)
        guard claims.iss.value == settings.issuer else {
            throw ControlError(.unauthorized, "the token's issuer '\(claims.iss.value)' is not \(settings.issuer)")
        }
        guard claims.aud.value.contains(settings.audience) else {
            throw ControlError(.unauthorized, "the token is not meant for '\(settings.audience)' (aud \(claims.aud.value))")
        }
        let now = Date()
        let leeway = TimeInterval(settings.leewaySeconds)
        guard claims.exp.value.addingTimeInterval(leeway) > now else {
            throw ControlError(.unauthorized, "the token expired at \(claims.exp.value); sign in again")
        }
        if let nbf = claims.nbf, nbf.value.addingTimeInterval(-leeway) > now {
            throw ControlError(.unauthorized, "the token is not valid before \(nbf.value)")
        }
        guard let name = claims.values(settings.usernameClaim).first ?? claims.sub?.value, !name.isEmpty else {
            throw ControlError(.unauthorized, "the token names no user ('\(settings.usernameClaim)' or 'sub')")
        }
        let roles = claims.values(settings.roleClaim).compactMap(Principal.Role.init(flag:))
        let role: Principal.Role = roles.contains(.operator) ? .operator : roles.contains(.stewardAdmin) ? .stewardAdmin : .analyst
        let steward = claims.values(settings.stewardClaim).first
        guard role != .stewardAdmin || steward != nil else {
            throw ControlError(.unauthorized, "the token makes \(name) a steward admin but names no '\(settings.stewardClaim)'")
        }
        return Principal(name: name, role: role, steward: steward, credential: .openIDConnect)
    }

    private func verifiedClaims(_ token: String) async throws(ControlError) -> OIDCClaims {
        if settings.jwksURL != nil, let kid = Self.keyID(of: token), !keyIDs.contains(kid) {
            let due = fetchedAt.map { $0.duration(to: .now) >= .seconds(settings.jwksRefetchSeconds) } ?? true
            guard due else {
                throw ControlError(.unauthorized, "the token is signed with key '\(kid)', which the issuer does not publish")
            }
            try await loadKeys()
        }
        do {
            return try await keys.verify(token, as: OIDCClaims.self)
        } catch {
            throw ControlError(.unauthorized, "the OpenID Connect token is not valid", cause: error)
        }
    }

    /// The `kid` in a token's header, unverified: only to decide whether the issuer rotated its keys.
    static func keyID(of token: String) -> String? {
        guard let header = token.split(separator: ".").first else { return nil }
        var base64 = header.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64),
            let fields = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        return fields["kid"] as? String
    }

    private func loadKeys() async throws(ControlError) {
        let json: String
        if let file = settings.jwksFile {
            do {
                json = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw ControlError(.unavailable, "the JWKS file \(file) cannot be read", cause: error)
            }
        } else if let url = settings.jwksURL {
            do {
                let response = try await http.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
                guard response.status == .ok else {
                    throw ControlError(.unavailable, "the JWKS at \(url) answered \(response.status)")
                }
                json = String(buffer: try await response.body.collect(upTo: 1 << 20))
            } catch let error as ControlError {
                throw error
            } catch {
                throw ControlError(.unavailable, "the JWKS at \(url) cannot be fetched", cause: error)
            }
        } else {
            throw ControlError(.unavailable, "the OIDC settings name no JWKS")
        }
        let collection = JWTKeyCollection()
        do {
            try await collection.add(jwksJSON: json)
        } catch {
            throw ControlError(.unavailable, "the issuer's JWKS cannot be used", cause: error)
        }
        keys = collection
        keyIDs = Set(
            ((try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])?["keys"] as? [[String: Any]] ?? [])
                .compactMap { $0["kid"] as? String })
        fetchedAt = .now
    }
}
