import DynamosControl
import DynamosKnowledge
import DynamosOrchestrator
import DynamosStewardConfig
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Orchestrator config API")
struct ConfigAPITests {
    @Test("every section answers its entries with the config version, and each entry by name")
    func reads() async throws {
        try await OrchestratorFixture.with { fixture, client in
            for section in ConfigSection.allCases {
                try await client.execute(uri: "/api/v1/\(section.rawValue)", method: .get, as: fixture.keys.operator) { response throws in
                    #expect(response.status == .ok)
                    #expect(response.headers[HTTPField.Name("X-Dynamos-Config-Version")!] == "1")
                    let entries = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))
                    #expect((entries as? [Any])?.isEmpty == false, "\(section.rawValue) is empty")
                }
            }
            try await client.execute(uri: "/api/v1/policyEnforcer/UVA", method: .get, as: fixture.keys.operator) { response throws in
                let agreement = try response.json(Agreement.self)
                #expect(agreement.name == "UVA")
                #expect(agreement.relations[OrchestratorFixture.analyst.userName] != nil)
            }
            try await client.execute(uri: "/api/v1/datasets/VU", method: .get, as: fixture.keys.operator) { response throws in
                #expect(try response.json([Dataset].self).map(\.steward) == ["VU"])
            }
            try await client.execute(uri: "/api/v1/archetypes/nope", method: .get, as: fixture.keys.operator) { response throws in
                #expect(response.status == .notFound)
                let body = try response.json(ErrorBody.self)
                #expect(body.error == "notFound")
                #expect(body.detail.contains("computeToData"))
            }
        }
    }

    @Test("a valid PUT bumps the version; the change is read back")
    func put() async throws {
        try await OrchestratorFixture.with { fixture, client in
            var archetype = try await fixture.orchestrator.store.snapshot().knowledgeBase.archetype(named: "computeToData")!
            archetype.weight = 50
            try await client.execute(
                uri: "/api/v1/archetypes/computeToData", method: .put, as: fixture.keys.operator, body: try ByteBuffer(json: archetype)
            ) { response throws in
                #expect(response.status == .ok)
                #expect(try response.json([String: Int].self)["version"] == 2)
            }
            try await client.execute(uri: "/api/v1/archetypes/computeToData", method: .get, as: fixture.keys.operator) { response throws in
                #expect(try response.json(Archetype.self).weight == 50)
                #expect(response.headers[HTTPField.Name("X-Dynamos-Config-Version")!] == "2")
            }
            let whole = try await fixture.orchestrator.store.snapshot().knowledgeBase.archetypes
            try await client.execute(uri: "/api/v1/archetypes", method: .put, as: fixture.keys.operator, body: try ByteBuffer(json: whole)) {
                response throws in
                #expect(try response.json([String: Int].self)["version"] == 2, "an unchanged config keeps its version")
            }
        }
    }

    @Test("an invalid PUT is refused with what is wrong, and the config stays as it was")
    func invalidPut() async throws {
        try await OrchestratorFixture.with { fixture, client in
            var agreement = try await fixture.orchestrator.store.snapshot().knowledgeBase.agreement(of: "UVA")!
            agreement.relations[OrchestratorFixture.analyst.userName]?.allowedArchetypes.append("teleportation")
            try await client.execute(
                uri: "/api/v1/policyEnforcer/UVA", method: .put, as: fixture.keys.operator, body: try ByteBuffer(json: agreement)
            ) { response throws in
                #expect(response.status == .badRequest)
                #expect(try response.json(ErrorBody.self).detail.contains("teleportation"))
            }
            try await client.execute(
                uri: "/api/v1/policyEnforcer/VU", method: .put, as: fixture.keys.operator, body: try ByteBuffer(json: agreement)
            ) { response throws in
                #expect(response.status == .badRequest)
                #expect(try response.json(ErrorBody.self).detail.contains("path names 'VU'"))
            }
            try await client.execute(
                uri: "/api/v1/microservices", method: .put, as: fixture.keys.operator, body: ByteBuffer(string: "[{\"name\": 3}]")
            ) { response throws in
                #expect(response.status == .badRequest)
            }
            #expect(try await fixture.orchestrator.store.snapshot().version == 1)
        }
    }

    @Test("DELETE removes an entry the rest of the config does not need, and refuses one it does")
    func delete() async throws {
        try await OrchestratorFixture.with { fixture, client in
            try await client.execute(uri: "/api/v1/policyEnforcer/RUG", method: .delete, as: fixture.keys.operator) { response throws in
                #expect(response.status == .ok)
            }
            #expect(try await fixture.orchestrator.store.snapshot().knowledgeBase.agreement(of: "RUG") == nil)
            try await client.execute(uri: "/api/v1/microservices/query", method: .delete, as: fixture.keys.operator) { response throws in
                #expect(response.status == .badRequest, "sqlDataRequest needs the query service")
            }
            try await client.execute(uri: "/api/v1/policyEnforcer/RUG", method: .delete, as: fixture.keys.operator) { response throws in
                #expect(response.status == .notFound)
            }
        }
    }
}
