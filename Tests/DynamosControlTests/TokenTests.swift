import Crypto
import DynamosControl
import DynamosTokens
import Foundation
import Testing

@Suite("Access tokens")
struct TokenTests {
    static let analyst = AnalystUser(id: "12324", userName: "jorrit.stutterheim@cloudnation.nl")

    static func authority(lifetime: Duration = .seconds(60)) async throws -> TokenAuthority {
        let key = Curve25519.Signing.PrivateKey()
        return try await TokenAuthority(privateKeyPEM: key.pemRepresentation, lifetime: lifetime)
    }

    @Test("a token verifies with the public key and carries user, job and parties")
    func roundTrip() async throws {
        let authority = try await Self.authority()
        let (token, expiry) = try await authority.issue(user: Self.analyst, job: "job-1", parties: ["VU", "UVA"])
        let claims = try await TokenVerifier(publicKeyPEM: authority.publicKeyPEM).verify(token)
        #expect(claims.sub.value == Self.analyst.userName)
        #expect(claims.uid == Self.analyst.id)
        #expect(claims.job == "job-1")
        #expect(claims.parties == ["UVA", "VU"])
        #expect(abs(claims.exp.value.timeIntervalSince(expiry)) < 1)
        #expect(token.split(separator: ".").count == 3)
    }

    @Test("an expired token is refused as unauthorized")
    func expired() async throws {
        let authority = try await Self.authority()
        let (token, _) = try await authority.issue(
            user: Self.analyst, job: "job-1", parties: ["UVA"], lifetime: .seconds(10),
            now: Date().addingTimeInterval(-60))
        let error = await #expect(throws: ControlError.self) {
            try await TokenVerifier(publicKeyPEM: authority.publicKeyPEM).verify(token)
        }
        #expect(error?.code == .unauthorized)
        #expect(error?.message.contains("expired") == true)
    }

    @Test("a token signed by another key is refused")
    func forged() async throws {
        let real = try await Self.authority()
        let forger = try await Self.authority()
        let (token, _) = try await forger.issue(user: Self.analyst, job: "job-1", parties: ["UVA"])
        let error = await #expect(throws: ControlError.self) {
            try await TokenVerifier(publicKeyPEM: real.publicKeyPEM).verify(token)
        }
        #expect(error?.code == .unauthorized)
    }

    @Test("a payload changed after signing is refused")
    func tampered() async throws {
        let authority = try await Self.authority()
        let (token, _) = try await authority.issue(user: Self.analyst, job: "job-1", parties: ["UVA"])
        let parts = token.split(separator: ".").map(String.init)
        var payload = try JSONSerialization.jsonObject(with: Self.base64URLDecode(parts[1])) as! [String: Any]
        payload["job"] = "job-2"
        let forged = [parts[0], Self.base64URL(try JSONSerialization.data(withJSONObject: payload)), parts[2]]
            .joined(separator: ".")
        await #expect(throws: ControlError.self) {
            try await TokenVerifier(publicKeyPEM: authority.publicKeyPEM).verify(forged)
        }
    }

    @Test("alg none and an HMAC token keyed with the public key are refused")
    func algorithmConfusion() async throws {
        let authority = try await Self.authority()
        let now = Int(Date().timeIntervalSince1970)
        let claims = #"{"iss":"dynamos-orchestrator","sub":"x","uid":"1","job":"job-1","parties":["UVA"],"#
            + #""iat":\#(now),"exp":\#(now + 600),"jti":"j"}"#
        let none = Self.base64URL(Data(#"{"alg":"none","typ":"JWT"}"#.utf8)) + "."
            + Self.base64URL(Data(claims.utf8)) + "."
        let signingInput = Self.base64URL(Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8)) + "."
            + Self.base64URL(Data(claims.utf8))
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data(signingInput.utf8), using: SymmetricKey(data: Data(authority.publicKeyPEM.utf8)))
        let hmac = signingInput + "." + Self.base64URL(Data(mac))
        let verifier = try await TokenVerifier(publicKeyPEM: authority.publicKeyPEM)
        for token in [none, hmac] {
            let error = await #expect(throws: ControlError.self) { try await verifier.verify(token) }
            #expect(error?.code == .unauthorized)
        }
    }

    @Test("control messages signed by the orchestrator open with its public key; others are refused")
    func signedControl() async throws {
        let orchestrator = try await Self.authority()
        let revocation = ControlMessage.jobRevoked(JobRevocation(jobId: "job-1", user: "a", reason: "gone"))
        let signed = try await orchestrator.sign(control: revocation)
        guard case .signed(let jws) = signed else {
            Issue.record("sign(control:) did not give a signed message")
            return
        }
        let verifier = try await TokenVerifier(publicKeyPEM: orchestrator.publicKeyPEM)
        #expect(try await verifier.open(jws) == revocation)
        let impostor = try await Self.authority()
        guard case .signed(let forged) = try await impostor.sign(control: revocation) else { return }
        await #expect(throws: ControlError.self) { try await verifier.open(forged) }
        guard case .signed(let stale) = try await orchestrator.sign(
            control: revocation, now: Date().addingTimeInterval(-SignedControl.lifetime - 60))
        else { return }
        await #expect(throws: ControlError.self) { try await verifier.open(stale) }
        let (accessToken, _) = try await orchestrator.issue(user: Self.analyst, job: "job-1", parties: ["UVA"])
        await #expect(throws: ControlError.self, "an access token is not a control message") {
            try await verifier.open(accessToken)
        }
    }

    @Test("the Authorization header must be Bearer <token>")
    func bearer() throws {
        #expect(try TokenVerifier.bearerToken(from: "Bearer abc.def.ghi") == "abc.def.ghi")
        #expect(try TokenVerifier.bearerToken(from: "bearer  abc") == "abc")
        #expect(try TokenVerifier.bearerToken(from: "BEARER x.y.z \t") == "x.y.z")
        for header in [nil, "", "Basic abc", "Bearer"] as [String?] {
            #expect(throws: ControlError.self) { try TokenVerifier.bearerToken(from: header) }
        }
    }

    @Test("the key file is made once with mode 0600 and its public key beside it")
    func keyFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dynamos-key-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("orchestrator/key.pem").path
        let first = try TokenKeyFile.loadOrCreate(at: path)
        let second = try TokenKeyFile.loadOrCreate(at: path)
        #expect(first.privateKeyPEM == second.privateKeyPEM)
        #expect(try String(contentsOfFile: path + ".pub", encoding: .utf8) == first.publicKeyPEM)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func base64URLDecode(_ text: String) -> Data {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64) ?? Data()
    }
}
