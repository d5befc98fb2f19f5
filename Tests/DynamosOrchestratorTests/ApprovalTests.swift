import DynamosControl
import DynamosOrchestrator
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Orchestrator approval and registry")
struct ApprovalTests {
    static func approval(_ providers: [String], user: AnalystUser = OrchestratorFixture.analyst) -> ApprovalRequest {
        ApprovalRequest(type: "sqlDataRequest", user: user, dataProviders: providers)
    }

    @Test("refusals say who refused and why, with the right status")
    func refusals() async throws {
        try await OrchestratorFixture.with { fixture, client in
            let stranger = AnalystUser(id: "9", userName: "mallory@example.org")
            let cases: [(ApprovalRequest, String, HTTPResponse.Status, String)] = [
                (Self.approval(["UVA"], user: .unnamed), fixture.keys.stranger, .forbidden, "UVA"),
                (Self.approval(["UVA"], user: stranger), fixture.keys.analyst, .forbidden, "names user 'mallory"),
                (Self.approval(["MIT"]), fixture.keys.analyst, .notFound, "MIT"),
                (Self.approval([]), fixture.keys.analyst, .badRequest, "dataProviders"),
                (Self.approval(["UVA"]), fixture.keys.analyst, .serviceUnavailable, "offline"),
            ]
            for (request, key, status, mention) in cases {
                try await client.execute(
                    uri: "/api/v1/requestApproval", method: .post, as: key, body: try ByteBuffer(json: request)
                ) { response throws in
                    #expect(response.status == status, "\(request.dataProviders) \(request.user.userName)")
                    #expect(try response.json(ErrorBody.self).detail.contains(mention))
                }
            }
            try await client.execute(
                uri: "/api/v1/requestApproval", method: .post, as: fixture.keys.analyst,
                body: ByteBuffer(string: #"{"type": "sqlDataRequest"}"#)
            ) { response throws in
                #expect(response.status == .badRequest)
                #expect(try response.json(ErrorBody.self).detail.contains("'dataProviders' is missing"))
            }
        }
    }

    @Test("agents are online while their heartbeats are fresh; stale ones are ignored")
    func registry() async throws {
        try await OrchestratorFixture.with { fixture, client in
            let registry = fixture.orchestrator.registry
            #expect(await registry.record(OrchestratorFixture.heartbeat("UVA")))
            #expect(await registry.record(OrchestratorFixture.heartbeat("VU", sentSecondsAgo: 60)) == false)
            try await client.execute(uri: "/api/v1/agents", method: .get, as: fixture.keys.operator) { response throws in
                let agents = try response.json([AgentRegistry.Entry].self)
                #expect(agents.map(\.party) == ["UVA"])
                #expect(agents.first?.online == true)
                #expect(agents.first?.endpoint == "http://127.0.0.1:9300")
            }
            var stopping = OrchestratorFixture.heartbeat("UVA")
            stopping.stopping = true
            await registry.record(stopping)
            #expect(await registry.isOnline("UVA") == false)
        }
    }

    @Test("an agent that misses its heartbeats goes offline")
    func offline() async throws {
        let registry = AgentRegistry(offlineAfter: .seconds(3))
        let start = ContinuousClock.now
        await registry.record(OrchestratorFixture.heartbeat("UVA"), at: start)
        #expect(await registry.isOnline("UVA", now: start + .seconds(2)))
        #expect(await registry.isOnline("UVA", now: start + .seconds(4)) == false)
        #expect(await registry.status(of: ["UVA", "VU"], now: start + .seconds(1)).mapValues(\.online) == ["UVA": true, "VU": false])
    }
}
