import DynamosControl
import DynamosKnowledge
import DynamosRouteSigning
import Foundation
import Testing

@Suite("Control messages and JSON bodies")
struct ControlMessageTests {
    static let user = AnalystUser(id: "1", userName: "analyst")

    static var samples: [ControlMessage] {
        let composition = JobComposition(
            jobId: "job-1", revision: 2, user: user, requestType: "sqlDataRequest", archetype: "dataThroughTtp",
            assignments: ["UVA": "dataThroughTtp"], computeProvider: "SURF", providers: ["UVA"],
            options: ["graph"], role: .dataProvider, party: "UVA", reasons: ["why"])
        let ticket = RouteTicket(
            jobID: "job-1", requestID: "req-1", party: "SURF", queue: "dynamos.SURF.aggregate", expectedParts: 2,
            expiresAt: 1_900_000_000, keyID: "SURF-1", signature: [1, 2, 3])
        let request = DataRequest(
            query: "SELECT 1", algorithm: "average", algorithmColumns: ["Geslacht": "Salschal"], user: user,
            requestMetadata: .init(jobId: "job-1"))
        return [
            .composition(composition),
            .compositionAccepted(CompositionReceipt(jobId: "job-1", party: "UVA", revision: 2)),
            .configChanged(ConfigPush(version: 3, knowledgeBase: KnowledgeBase())),
            .jobRevoked(JobRevocation(jobId: "job-1", user: "analyst", reason: "relation removed")),
            .heartbeat(
                AgentHeartbeat(
                    party: "UVA", inbox: "dynamos.UVA.agent", endpoint: "http://127.0.0.1:8081", cpu: 0.5,
                    memory: 0.25, activeJobs: 1, requestsInFlight: 0, configVersion: 3, sentUnixMicros: 42)),
            .forwardedRequest(
                ForwardedRequest(
                    jobId: "job-1", requestId: "req-1", from: "SURF", request: request, ticket: ticket, token: "t")),
            .signed("header.payload.signature"),
        ]
    }

    @Test("every kind survives the wire and names itself")
    func roundTrip() throws {
        for message in Self.samples {
            let bytes = try message.encoded()
            #expect(try ControlMessage.decode(bytes) == message)
            let object = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
            #expect(object?["kind"] as? String == message.kind.rawValue)
        }
    }

    @Test("garbage and unknown kinds are bad requests that say so")
    func garbage() {
        for text in ["not json", #"{"kind":"launchMissiles","body":{}}"#, #"{"kind":"heartbeat","body":{}}"#] {
            let error = #expect(throws: ControlError.self) { try ControlMessage.decode(Array(text.utf8)) }
            #expect(error?.code == .badRequest)
            #expect(error?.message.hasPrefix("not a control message") == true)
        }
    }

    @Test("a composition's role travels as its raw string, and an unknown role is refused at decode")
    func compositionRoles() throws {
        guard case .composition(let composition) = Self.samples[0] else { Issue.record("no composition"); return }
        let text = String(decoding: try ControlMessage.composition(composition).encoded(), as: UTF8.self)
        #expect(text.contains(#""role":"dataProvider""#))
        let forged = text.replacingOccurrences(of: #""role":"dataProvider""#, with: #""role":"superuser""#)
        let error = #expect(throws: ControlError.self) { try ControlMessage.decode(Array(forged.utf8)) }
        #expect(error?.code == .badRequest)
        #expect(error?.explanation.contains("unknown party role 'superuser'") == true)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(JobComposition.self, from: Data(#"{"role":7}"#.utf8))
        }
    }

    @Test("result cells keep 64-bit integers, doubles, strings and nulls")
    func scalars() throws {
        let row: [JSONScalar] = [.int(Int64.max), .double(2.5), .string("V"), .null, .double(.infinity)]
        let data = try JSONEncoder().encode(row)
        #expect(String(decoding: data, as: UTF8.self) == #"[9223372036854775807,2.5,"V",null,"inf"]"#)
        #expect(try JSONDecoder().decode([JSONScalar].self, from: data).prefix(4) == row.prefix(4))
    }

    @Test("a data request needs query, user and job; the rest has thesis defaults")
    func dataRequestDefaults() throws {
        let minimal = #"{"query":"SELECT 1","user":{"id":"1","userName":"a"},"requestMetadata":{"jobId":"j"}}"#
        let request = try JSONDecoder().decode(DataRequest.self, from: Data(minimal.utf8))
        #expect(request.type == "sqlDataRequest" && request.options.isEmpty && request.algorithmColumns.isEmpty)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(DataRequest.self, from: Data(#"{"query":"SELECT 1"}"#.utf8))
        }
    }

    @Test("error codes map to their HTTP statuses and back from the body")
    func errorBodies() {
        #expect(ControlError.Code.unauthorized.status == 401)
        #expect(ControlError.Code.refused.status == 403)
        #expect(ControlError.Code.timeout.status == 504)
        let error = ControlError(.badRequest, "no such column", party: "UVA", service: "query", reason: "invalidQuery")
        #expect(error.body.controlError == error)
        #expect(ErrorBody(error: "mystery", detail: "x").controlError.code == .internalError)
    }
}
