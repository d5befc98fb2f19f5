import DynamosMessages
import DynamosRouteSigning
import Foundation
import Testing

/// Signed routes: tamper-evident, bound to the issuer's own key and to the request, expiring, and leaving a party
/// only with its receiver's ticket.
@Suite("Route signing")
struct RouteSignerTests {
    private let uvaKey = RouteSigningKey(party: "UVA", keyID: "uva-1")
    private let surfKey = RouteSigningKey(party: "SURF", keyID: "surf-1")
    private let keyring: RouteKeyring
    private let uva: RouteSigner
    private let surf: RouteSigner
    private let digest = RequestDigest.of(typeURL: "type.googleapis.com/dynamos.SqlDataRequest", value: Data("q".utf8))
    private let hops = ["dynamos.UVA.query", "dynamos.UVA.anonymize", "dynamos.SURF.aggregate"]
    private let expiry = UnixTime.now + 60

    init() throws {
        keyring = try RouteKeyring(entries: [uvaKey.publicEntry, surfKey.publicEntry])
        uva = RouteSigner(key: uvaKey, keyring: keyring)
        surf = RouteSigner(key: surfKey, keyring: keyring)
    }

    private func ticket(request: String = "r-1", parts: Int = 2) throws -> RouteTicket {
        try surf.issueTicket(
            jobID: "job-1", requestID: request, queue: "dynamos.SURF.aggregate", expectedParts: parts, expiresAt: expiry)
    }

    private func route(tickets: [RouteTicket]) throws -> SignedRoute {
        try uva.sign(
            jobID: "job-1", requestID: "r-1", correlationID: "c-1", hops: hops, requestDigest: digest,
            expiresAt: expiry, tickets: tickets)
    }

    @Test("a ticketed route verifies at every hop as workers drop the hops they handled, and at the recipient")
    func signAndVerify() throws {
        let ticket = try ticket()
        var route = try route(tickets: [ticket])
        #expect(route.signature.count == 64)
        while !route.hops.isEmpty {
            try surf.verifier.verify(route, requestDigest: digest, tickets: [ticket])
            route = route.advanced()
        }
        try surf.verifier.verify(try self.route(tickets: [ticket]).toRecipient(), requestDigest: digest, tickets: [ticket])
    }

    @Test("added, reordered or renamed hops, changed ids, expiry or signature are rejected as tampered")
    func tampering() throws {
        let ticket = try ticket()
        let route = try route(tickets: [ticket])
        var inserted = route
        inserted.hops.insert("dynamos.UVA.graph", at: 1)
        var reordered = route
        reordered.hops.swapAt(0, 1)
        var renamed = route
        renamed.correlationID = "c-2"
        var longer = route
        longer.expiresAt += 3600
        var rewritten = route
        rewritten.path[0] = "dynamos.UVA.graph"
        rewritten.hops[0] = "dynamos.UVA.graph"
        var flipped = route
        flipped.signature[5] ^= 1
        for bad in [inserted, reordered, renamed, longer, rewritten, flipped] {
            let error = #expect(throws: RouteSigningError.self) {
                try uva.verifier.verify(bad, requestDigest: digest, tickets: [ticket])
            }
            #expect(error?.code == .invalidRoute)
        }
    }

    @Test("a route replayed with another request under a valid signature is refused")
    func otherRequest() throws {
        let route = try uva.sign(
            jobID: "j", requestID: "r", correlationID: "c", hops: ["dynamos.UVA.query"], requestDigest: digest,
            expiresAt: expiry)
        let other = RequestDigest.of(typeURL: "type.googleapis.com/dynamos.SqlDataRequest", value: Data("q2".utf8))
        let error = #expect(throws: RouteSigningError.self) { try uva.verifier.verify(route, requestDigest: other) }
        #expect(error?.code == .requestMismatch)
        #expect(error?.message.contains("SQL was changed") == true)
    }

    @Test("an expired route is refused, one still valid passes")
    func expired() throws {
        let route = try uva.sign(
            jobID: "j", requestID: "r", correlationID: "c", hops: ["dynamos.UVA.query"], requestDigest: digest,
            expiresAt: 1_000)
        try uva.verifier.verify(route, requestDigest: digest, now: 1_000)
        let error = #expect(throws: RouteSigningError.self) { try uva.verifier.verify(route, requestDigest: digest, now: 1_001) }
        #expect(error?.code == .expired)
    }

    @Test("a route signed by another party's key, or by a key nobody listed, is foreign")
    func foreign() throws {
        let stranger = RouteSigner(key: RouteSigningKey(party: "UVA", keyID: "uva-rogue"), keyring: keyring)
        let unknown = try stranger.sign(
            jobID: "j", requestID: "r", correlationID: "c", hops: ["dynamos.UVA.query"], requestDigest: digest,
            expiresAt: expiry)
        let unknownError = #expect(throws: RouteSigningError.self) { try uva.verifier.verify(unknown, requestDigest: digest) }
        #expect(unknownError?.code == .foreignRoute)
        // SURF signs a route in UVA's name with its own key: the keyring says surf-1 is SURF's, not UVA's.
        var impostor = try surf.sign(
            jobID: "j", requestID: "r", correlationID: "c", hops: ["dynamos.SURF.graph"], requestDigest: digest,
            expiresAt: expiry)
        impostor.issuer = "UVA"
        let error = #expect(throws: RouteSigningError.self) { try uva.verifier.verify(impostor, requestDigest: digest) }
        #expect(error?.code == .foreignRoute)
        #expect(error?.message.contains("a key of SURF") == true)
    }

    @Test("a hop leaving the party needs the receiver's valid ticket for this very request")
    func tickets() throws {
        let missing = #expect(throws: RouteSigningError.self) { try route(tickets: []) }
        #expect(missing?.code == .missingTicket)
        #expect(missing?.message.contains("have SURF's agent issue one") == true)
        #expect(throws: RouteSigningError.self) { try route(tickets: [try ticket(request: "r-2")]) }
        var forged = try ticket()
        forged.expectedParts = 3
        #expect(throws: RouteSigningError.self) { try route(tickets: [forged]) }
        var selfIssued = try uva.issueTicket(
            jobID: "job-1", requestID: "r-1", queue: "dynamos.UVA.query", expectedParts: 2, expiresAt: expiry)
        selfIssued.queue = "dynamos.SURF.aggregate"
        selfIssued.party = "SURF"
        #expect(throws: RouteSigningError.self) { try route(tickets: [selfIssued]) }
        #expect(throws: RouteSigningError.self) {
            try uva.issueTicket(
                jobID: "job-1", requestID: "r-1", queue: "dynamos.SURF.aggregate", expectedParts: 1, expiresAt: expiry)
        }
        // The receiver checks the ticket again: a route that reaches it without one is refused there.
        let signed = try route(tickets: [try ticket()])
        let atAggregate = signed.advanced().advanced()
        let error = #expect(throws: RouteSigningError.self) { try surf.verifier.verify(atAggregate, requestDigest: digest) }
        #expect(error?.code == .missingTicket)
    }

    @Test("keys round-trip through their files; a keyring refuses private keys; key files must be private")
    func keyFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("uva.jwk").path
        try uvaKey.write(to: path)
        #expect(SecretFile.permissions(of: path) == 0o600)
        let loaded = try RouteSigningKey.load(file: path)
        #expect(loaded.publicEntry == uvaKey.publicEntry)
        let route = try RouteSigner(key: loaded, keyring: keyring).sign(
            jobID: "j", requestID: "r", correlationID: "c", hops: ["dynamos.UVA.query"], requestDigest: digest,
            expiresAt: expiry)
        try surf.verifier.verify(route, requestDigest: digest)
        let reread = try RouteKeyring.decode(keyring.encoded())
        #expect(reread.entries == keyring.entries)
        #expect(throws: RouteSigningError.self) { try RouteKeyring.decode(try Data(contentsOf: URL(fileURLWithPath: path))) }
        chmod(path, 0o644)
        let error = #expect(throws: RouteSigningError.self) { try RouteSigningKey.load(file: path) }
        #expect(error?.message.contains("chmod 600") == true)
        #expect(throws: RouteSigningError.self) {
            try RouteKeyring(entries: [uvaKey.publicEntry, .init(party: "VU", keyID: "uva-1", publicKey: surfKey.publicEntry.publicKey)])
        }
    }

    @Test("the route survives the trip through the protobuf message, request digest included")
    func messageRoundTrip() throws {
        let ticket = try ticket()
        var request = Dynamos_SqlDataRequest()
        request.query = "SELECT 1"
        let message = try RequestMessage(
            request: request, jobID: "job-1", requestID: "r-1", hops: hops, tickets: [ticket]
        ).message(signedBy: uva, expiresAt: expiry)
        let bytes: [UInt8] = try message.serializedBytes()
        let decoded = try Dynamos_MicroserviceCommunication(serializedBytes: bytes)
        #expect(decoded.signedRoute == message.signedRoute)
        #expect(decoded.routingData == hops)
        #expect(decoded.tickets == [ticket])
        try surf.verifier.verify(decoded.signedRoute, requestDigest: decoded.requestDigest, tickets: decoded.tickets)
        var changed = decoded
        var other = request
        other.query = "SELECT * FROM Personen"
        changed.originalRequest = try .init(message: other)
        let error = #expect(throws: RouteSigningError.self) {
            try surf.verifier.verify(changed.signedRoute, requestDigest: changed.requestDigest, tickets: changed.tickets)
        }
        #expect(error?.code == .requestMismatch)
    }

    @Test("a party's own workers check its routes with the party secret; every other check still holds, and others check the signature")
    func partySecret() throws {
        let secret = PartySecret()
        let own = RouteSigner(key: uvaKey, keyring: keyring, partySecret: secret)
        let hops = ["dynamos.UVA.query", "dynamos.UVA.results"]
        let route = try own.sign(
            jobID: "j", requestID: "r", correlationID: "c", hops: hops, requestDigest: digest, expiresAt: expiry)
        #expect(route.partyTag.count == 32)
        let ownWorker = RouteVerifier(party: "UVA", keyring: keyring, partySecret: secret)
        try ownWorker.verify(route, requestDigest: digest)
        try ownWorker.verify(route.advanced(), requestDigest: digest)
        // The tag covers what the signature covers.
        var tampered = route
        tampered.path[0] = "dynamos.UVA.graph"
        tampered.hops[0] = "dynamos.UVA.graph"
        #expect((#expect(throws: RouteSigningError.self) { try ownWorker.verify(tampered, requestDigest: digest) })?.code == .invalidRoute)
        var wrongTag = route
        wrongTag.partyTag[0] ^= 1
        #expect(throws: RouteSigningError.self) { try ownWorker.verify(wrongTag, requestDigest: digest) }
        #expect((#expect(throws: RouteSigningError.self) {
            try ownWorker.verify(route, requestDigest: digest, now: expiry + 1)
        })?.code == .expired)
        let other = RequestDigest.of(typeURL: "t", value: Data("other".utf8))
        #expect((#expect(throws: RouteSigningError.self) { try ownWorker.verify(route, requestDigest: other) })?.code == .requestMismatch)
        // Without the tag, or at a party without the secret, the Ed25519 signature decides.
        var untagged = route
        untagged.partyTag = []
        try ownWorker.verify(untagged, requestDigest: digest)
        try surf.verifier.verify(route, requestDigest: digest)
        var forgedTag = try uva.sign(
            jobID: "j", requestID: "r", correlationID: "c", hops: hops, requestDigest: digest, expiresAt: expiry)
        forgedTag.partyTag = PartySecret().tagForTesting(forgedTag)
        #expect(throws: RouteSigningError.self) { try ownWorker.verify(forgedTag, requestDigest: digest) }
    }
}
