import DynamosControl
import DynamosOrchestrator
import Foundation
import Hummingbird
import JWTKit
import Testing

/// OpenID Connect access tokens as a university's identity provider would issue them: ES256 signed, checked
/// against the issuer's JWKS (a file, or a URL the orchestrator fetches again when keys rotate), issuer, audience,
/// expiry and not-before, with the configured claims naming user, role and steward.
@Suite("OpenID Connect access tokens", .timeLimit(.minutes(2)))
struct OIDCTests {
    static let issuer = "https://login.example.edu"
    static let audience = "dynamos"

    /// A signing key of the test issuer and its public JWK.
    struct IssuerKey {
        let kid: String
        let key = ES256PrivateKey()

        var jwk: [String: String] {
            ["kty": "EC", "crv": "P-256", "kid": kid, "use": "sig", "alg": "ES256",
             "x": key.parameters?.x ?? "", "y": key.parameters?.y ?? ""]
        }

        func token(
            user: String = "ada@example.edu", role: String? = nil, steward: String? = nil, issuer: String = OIDCTests.issuer,
            audience: String = OIDCTests.audience, expiresIn: TimeInterval = 300, notBefore: TimeInterval = -10
        ) async throws -> String {
            let keys = JWTKeyCollection()
            await keys.add(ecdsa: key, kid: JWKIdentifier(string: kid))
            return try await keys.sign(
                Claims(
                    iss: .init(value: issuer), aud: .init(value: [audience]),
                    exp: .init(value: Date().addingTimeInterval(expiresIn)),
                    nbf: .init(value: Date().addingTimeInterval(notBefore)), sub: .init(value: "sub-\(user)"),
                    preferred_username: user, dynamos_role: role, dynamos_steward: steward),
                kid: JWKIdentifier(string: kid))
        }
    }

    struct Claims: JWTPayload {
        var iss: IssuerClaim
        var aud: AudienceClaim
        var exp: ExpirationClaim
        var nbf: NotBeforeClaim
        var sub: SubjectClaim
        var preferred_username: String
        var dynamos_role: String?
        var dynamos_steward: String?
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    static func jwks(_ keys: [IssuerKey]) throws -> Data {
        try JSONSerialization.data(withJSONObject: ["keys": keys.map(\.jwk)])
    }

    private func verifier(file keys: [IssuerKey]) async throws -> OIDCVerifier {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("jwks-\(UUID().uuidString).json")
        try Self.jwks(keys).write(to: path)
        return try await OIDCVerifier(
            settings: OIDCSettings(
                issuer: Self.issuer, audience: Self.audience, jwksFile: path.path, usernameClaim: "preferred_username"))
    }

    @Test("a valid token names its user and role; a steward admin needs its steward claim")
    func valid() async throws {
        let key = IssuerKey(kid: "k1")
        let verifier = try await verifier(file: [key])
        let analyst = try await verifier.principal(for: try await key.token())
        #expect(analyst == Principal(name: "ada@example.edu", role: .analyst, credential: .openIDConnect))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("jwks-\(UUID().uuidString).json")
        try Self.jwks([key]).write(to: path)
        let bySubject = try await OIDCVerifier(
            settings: OIDCSettings(issuer: Self.issuer, audience: Self.audience, jwksFile: path.path))
        #expect(try await bySubject.principal(for: try await key.token()).name == "sub-ada@example.edu",
                "by default the user is the immutable 'sub'")
        let admin = try await verifier.principal(for: try await key.token(role: "steward-admin", steward: "UVA"))
        #expect(admin.role == .stewardAdmin && admin.steward == "UVA")
        #expect(try await verifier.principal(for: try await key.token(role: "operator")).role == .operator)
        let noSteward = await #expect(throws: ControlError.self) {
            _ = try await verifier.principal(for: try await key.token(role: "steward-admin"))
        }
        #expect(noSteward?.code == .unauthorized && noSteward?.message.contains("dynamos_steward") == true)
    }

    @Test("another issuer, another audience, an expired or not yet valid token, and a key the issuer does not publish are refused")
    func refused() async throws {
        let key = IssuerKey(kid: "k1")
        let verifier = try await verifier(file: [key])
        let stranger = IssuerKey(kid: "k1")
        let unpublished = IssuerKey(kid: "k9")
        let cases: [(String, String)] = [
            (try await key.token(issuer: "https://evil.example"), "issuer"),
            (try await key.token(audience: "someone-else"), "not meant for"),
            (try await key.token(expiresIn: -120), "expired"),
            (try await key.token(notBefore: 600), "not valid before"),
            (try await stranger.token(), "not valid"),
            (try await unpublished.token(), "not valid"),
        ]
        for (token, why) in cases {
            let error = await #expect(throws: ControlError.self) { _ = try await verifier.principal(for: token) }
            #expect(error?.code == .unauthorized, "\(why)")
            #expect(error?.message.contains(why) == true, "\(why): \(String(describing: error?.message))")
        }
        let parts = try await key.token().split(separator: ".")
        let header = Data(#"{"alg":"none","typ":"JWT"}"#.utf8).base64EncodedString()
            .replacingOccurrences(of: "=", with: "")
        await #expect(throws: ControlError.self) {
            _ = try await verifier.principal(for: "\(header).\(parts[1]).")
        }
    }

    @Test("a JWKS URL is fetched again when a token names a new key, so the issuer can rotate its keys")
    func rotation() async throws {
        let first = IssuerKey(kid: "k1"), second = IssuerKey(kid: "k2")
        let published = JWKSHolder(try Self.jwks([first]))
        let router = Router()
        router.get("/jwks") { _, _ in Response(status: .ok, body: .init(byteBuffer: ByteBuffer(data: await published.data))) }
        let bound = PortHolder()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { await bound.set($0.localAddress?.port ?? 0) })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            let port = try await bound.wait()
            let verifier = try await OIDCVerifier(
                settings: OIDCSettings(
                    issuer: Self.issuer, audience: Self.audience, jwksURL: "http://127.0.0.1:\(port)/jwks",
                    usernameClaim: "preferred_username", jwksRefetchSeconds: 0))
            #expect(try await verifier.principal(for: try await first.token()).name == "ada@example.edu")
            await #expect(throws: ControlError.self) { _ = try await verifier.principal(for: try await second.token()) }
            await published.set(try Self.jwks([first, second]))
            #expect(try await verifier.principal(for: try await second.token(user: "bob@example.edu")).name == "bob@example.edu")
            group.cancelAll()
        }
    }

    @Test("the orchestrator takes OIDC tokens as it takes API keys: whoami and roles; a token signed by a stranger with a published kid is refused")
    func overHTTP() async throws {
        let key = IssuerKey(kid: "k1")
        let oidc = try await verifier(file: [key])
        try await OrchestratorFixture.with(oidc: oidc) { _, client in
            let operatorToken = try await key.token(user: "root@example.edu", role: "operator")
            try await client.execute(uri: "/api/v1/whoami", method: .get, as: operatorToken) { response throws in
                #expect(try response.json(Principal.self).role == .operator)
            }
            try await client.execute(uri: "/api/v1/policyEnforcer", method: .get, as: operatorToken) { response throws in
                #expect(response.status == .ok)
            }
            let analystToken = try await key.token()
            try await client.execute(uri: "/api/v1/policyEnforcer", method: .get, as: analystToken) { response throws in
                #expect(response.status == .forbidden)
            }
            let forged = try await IssuerKey(kid: "k1").token(role: "operator")
            try await client.execute(uri: "/api/v1/whoami", method: .get, as: forged) { response throws in
                #expect(response.status == .unauthorized)
            }
        }
    }
}

/// The JWKS the test issuer publishes now.
actor JWKSHolder {
    var data: Data
    init(_ data: Data) { self.data = data }
    func set(_ data: Data) { self.data = data }
}

/// The port a test server bound, once it did.
actor PortHolder {
    private var port: Int?
    func set(_ port: Int) { self.port = port }
    func wait() async throws -> Int {
        for _ in 0..<200 {
            if let port { return port }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw CancellationError()
    }
}
