import DynamosMessages
import DynamosRouting
import Foundation
import Testing

/// Signed routes: tamper-evident, bound to a trusted issuer, leaving a party only with a ticket.
@Suite("Route signing")
struct RouteSignerTests {
    private static func secret() -> String {
        Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
    }

    private let keyring: RouteKeyring
    private let uva: RouteSigner
    private let surf: RouteSigner

    init() throws {
        keyring = try RouteKeyring.fromEnvironment([
            "DYNAMOS_ROUTE_KEY_UVA": "uva-1:\(Self.secret())",
            "DYNAMOS_ROUTE_KEY_SURF": "surf-1:\(Self.secret())",
            "PATH": "/usr/bin",
        ])
        uva = RouteSigner(party: "UVA", keyring: keyring)
        surf = RouteSigner(party: "SURF", keyring: keyring)
    }

    private let hops = ["dynamos.UVA.query", "dynamos.UVA.anonymize", "dynamos.SURF.aggregate"]

    @Test("a ticketed route verifies at every hop as workers drop the hops they handled")
    func signAndVerify() throws {
        let ticket = try surf.issueTicket(jobID: "job-1", queue: "dynamos.SURF.aggregate", expectedParts: 2)
        var route = try uva.sign(jobID: "job-1", requestID: "r-1", correlationID: "c-1", hops: hops, tickets: [ticket])
        while !route.hops.isEmpty {
            try surf.verify(route, tickets: [ticket])
            route = route.advanced()
        }
    }

    @Test("tampered hops, ids or tags are rejected")
    func tampering() throws {
        let ticket = try surf.issueTicket(jobID: "job-1", queue: "dynamos.SURF.aggregate", expectedParts: 2)
        let route = try uva.sign(jobID: "job-1", requestID: "r-1", correlationID: "c-1", hops: hops, tickets: [ticket])
        var skipped = route
        skipped.hops.remove(at: 1)
        skipped.tags.remove(at: 0)
        var renamed = route
        renamed.correlationID = "c-2"
        var shortened = route
        shortened.tags.removeLast()
        for bad in [skipped, renamed, shortened] {
            let error = #expect(throws: RoutingError.self) { try uva.verify(bad, tickets: [ticket]) }
            #expect(error?.code == .invalidRoute)
        }
    }

    @Test("routes signed with an unknown key, or claiming another issuer, are foreign")
    func foreign() throws {
        let stranger = try RouteSigner(
            party: "UVA", keyring: RouteKeyring(entries: [.init(party: "UVA", keyId: "uva-1", secret: Self.secret())]))
        let route = try stranger.sign(jobID: "j", requestID: "r", correlationID: "c", hops: ["dynamos.UVA.query"])
        let unknownSecret = #expect(throws: RoutingError.self) { try uva.verify(route) }
        #expect(unknownSecret?.code == .invalidRoute)
        var impostor = try uva.sign(jobID: "j", requestID: "r", correlationID: "c", hops: ["dynamos.UVA.query"])
        impostor.issuer = "SURF"
        let error = #expect(throws: RoutingError.self) { try uva.verify(impostor) }
        #expect(error?.code == .foreignRoute)
    }

    @Test("a hop leaving the party needs the receiver's ticket for this job")
    func tickets() throws {
        let missing = #expect(throws: RoutingError.self) {
            try uva.sign(jobID: "job-1", requestID: "r", correlationID: "c", hops: hops)
        }
        #expect(missing?.code == .missingTicket)
        #expect(missing?.message.contains("have SURF's agent issue one") == true)
        let otherJob = try surf.issueTicket(jobID: "job-2", queue: "dynamos.SURF.aggregate", expectedParts: 1)
        #expect(throws: RoutingError.self) {
            try uva.sign(jobID: "job-1", requestID: "r", correlationID: "c", hops: hops, tickets: [otherJob])
        }
        var forged = try surf.issueTicket(jobID: "job-1", queue: "dynamos.SURF.aggregate", expectedParts: 2)
        forged.expectedParts = 3
        #expect(throws: RoutingError.self) {
            try uva.sign(jobID: "job-1", requestID: "r", correlationID: "c", hops: hops, tickets: [forged])
        }
        #expect(throws: RoutingError.self) {
            try uva.issueTicket(jobID: "job-1", queue: "dynamos.SURF.aggregate", expectedParts: 1)
        }
    }

    @Test("keys are required and must be long enough")
    func keys() throws {
        let none = RouteSigner(party: "VU", keyring: keyring)
        let error = #expect(throws: RoutingError.self) {
            try none.sign(jobID: "j", requestID: "r", correlationID: "c", hops: ["dynamos.VU.query"])
        }
        #expect(error?.code == .missingKey)
        #expect(error?.message.contains("DYNAMOS_ROUTE_KEY_VU") == true)
        #expect(throws: RoutingError.self) { try RouteKeyring.fromEnvironment(["DYNAMOS_ROUTE_KEY_VU": "k:c2hvcnQ="]) }
    }

    @Test("the route survives the trip through the protobuf message")
    func messageRoundTrip() throws {
        let ticket = try surf.issueTicket(jobID: "job-1", queue: "dynamos.SURF.aggregate", expectedParts: 2)
        let route = try uva.sign(jobID: "job-1", requestID: "r-1", correlationID: "c-1", hops: hops, tickets: [ticket])
        var message = Dynamos_MicroserviceCommunication()
        message.setSignedRoute(route)
        let bytes: [UInt8] = try message.serializedBytes()
        let decoded = try Dynamos_MicroserviceCommunication(serializedBytes: bytes)
        #expect(decoded.signedRoute == route)
        #expect(decoded.routingData == hops)
        try surf.verify(decoded.signedRoute.advanced(), tickets: [ticket])
    }
}
