import DynamosClient
import DynamosControl
import DynamosOrchestrator
import Foundation
import NIOHTTP1
import Testing

/// The trust boundaries over HTTP against a real ensemble: every listing and every write needs the right
/// credential and role, and a refused request changes nothing.
extension EndToEndTests {
    /// One attempt and the status it must get.
    private struct Attempt {
        let method: HTTPMethod
        let path: String
        let credential: String?
        let body: Data?
        let status: Int

        init(_ method: HTTPMethod, _ path: String, as credential: String?, body: Data? = nil, _ status: Int) {
            self.method = method
            self.path = path
            self.credential = credential
            self.body = body
            self.status = status
        }
    }

    private func outcome(of attempt: Attempt, at base: String, client: AnalystClient) async -> (Int, String) {
        do {
            let (status, body) = try await client.send(
                attempt.method, base + attempt.path, token: attempt.credential, rawBody: attempt.body)
            return (status, String(decoding: body, as: UTF8.self))
        } catch {
            return (error.code.status, error.message)
        }
    }

    /// Every config section as the operator reads it.
    private func config(_ fixture: EnsembleFixture) async throws -> [String] {
        var sections: [String] = []
        for section in ["archetypes", "requestTypes", "microservices", "policyEnforcer", "datasets", "stewards"] {
            sections.append(String(decoding: try await fixture.asOperator(.GET, "/api/v1/\(section)"), as: UTF8.self))
        }
        return sections
    }

    @Test("the orchestrator and agents refuse missing or wrong credentials (401) and wrong roles (403), and a refused write changes nothing")
    func rolesOverHTTP() async throws {
        try await EnsembleFixture.with { fixture in
            let keys = try APIKeyStore(path: fixture.root.appendingPathComponent("orchestrator/api-keys.sqlite").path)
            let uvaAdmin = try await keys.add(user: "admin@uva.nl", role: .stewardAdmin, steward: "UVA").text
            let analyst = fixture.ensemble.credentials.analyst.apiKey
            let operatorKey = fixture.ensemble.credentials.operator.apiKey
            let wrong = "dyn_0123456789ab_" + String(repeating: "A", count: 43)
            let agreement = try await fixture.asOperator(.GET, "/api/v1/policyEnforcer/UVA")
            var steward = try JSONSerialization.jsonObject(
                with: try await fixture.asOperator(.GET, "/api/v1/stewards/UVA")) as? [String: Any] ?? [:]
            steward["kind"] = "thirdParty"
            let promoted = try JSONSerialization.data(withJSONObject: steward)
            let approval = try JSONEncoder().encode(
                ApprovalRequest(type: "sqlDataRequest", user: .unnamed, dataProviders: ["UVA"]))
            let before = try await config(fixture)
            let attempts: [Attempt] = [
                .init(.POST, "/api/v1/requestApproval", as: nil, body: approval, 401),
                .init(.POST, "/api/v1/requestApproval", as: wrong, body: approval, 401),
                .init(.POST, "/api/v1/requestApproval", as: "not-a-credential", body: approval, 401),
                .init(.POST, "/api/v1/token", as: nil, 401),
                .init(.GET, "/api/v1/archetypes", as: nil, 401),
                .init(.GET, "/api/v1/policyEnforcer", as: nil, 401),
                .init(.GET, "/api/v1/policyEnforcer", as: analyst, 403),
                .init(.GET, "/api/v1/policyEnforcer/VU", as: uvaAdmin, 403),
                .init(.GET, "/api/v1/agents", as: nil, 401),
                .init(.GET, "/api/v1/agents", as: analyst, 403),
                .init(.GET, "/api/v1/jobs", as: nil, 401),
                .init(.PUT, "/api/v1/archetypes/computeToData", as: analyst, body: Data("{}".utf8), 403),
                .init(.PUT, "/api/v1/archetypes/computeToData", as: uvaAdmin, body: Data("{}".utf8), 403),
                .init(.PUT, "/api/v1/policyEnforcer/VU", as: uvaAdmin, body: agreement, 403),
                .init(.PUT, "/api/v1/policyEnforcer", as: uvaAdmin, body: Data("[]".utf8), 403),
                .init(.PUT, "/api/v1/policyEnforcer/UVA", as: analyst, body: agreement, 403),
                .init(.DELETE, "/api/v1/datasets/RUG", as: analyst, 403),
                .init(.DELETE, "/api/v1/datasets/RUG", as: uvaAdmin, 403),
                .init(.DELETE, "/api/v1/stewards/UVA", as: uvaAdmin, 403),
                .init(.PUT, "/api/v1/stewards/UVA", as: uvaAdmin, body: promoted, 403),
                .init(.PUT, "/api/v1/stewards/UVA", as: nil, body: promoted, 401),
            ]
            let base = fixture.ensemble.file.orchestrator
            for attempt in attempts {
                let (status, body) = await outcome(of: attempt, at: base, client: fixture.client)
                #expect(status == attempt.status, "\(attempt.method) \(attempt.path): \(status) \(body)")
                if attempt.status == 401, attempt.credential == nil {
                    #expect(body.contains("Authorization: Bearer"), "a 401 says how to authenticate: \(body)")
                }
            }
            #expect(try await config(fixture) == before, "a refused request changed the config")

            // What each role sees.
            let visible = { (credential: String, path: String) async throws -> [[String: Any]] in
                let (_, body) = try await fixture.client.send(.GET, base + path, token: credential)
                return try JSONSerialization.jsonObject(with: body) as? [[String: Any]] ?? []
            }
            #expect(try await visible(uvaAdmin, "/api/v1/policyEnforcer").compactMap { $0["name"] as? String } == ["UVA"])
            #expect(Set(try await visible(operatorKey, "/api/v1/policyEnforcer").compactMap { $0["name"] as? String })
                .isSuperset(of: ["UVA", "VU", "RUG"]))
            #expect(try await visible(uvaAdmin, "/api/v1/agents").compactMap { $0["party"] as? String } == ["UVA"])
            let job = try await fixture.approve(["UVA"])
            #expect(try await visible(analyst, "/api/v1/jobs").compactMap { $0["jobId"] as? String } == [job.jobId])
            let strangerKey = try await keys.add(user: "mallory@example.org", role: .analyst).text
            #expect(try await visible(strangerKey, "/api/v1/jobs").isEmpty, "an analyst sees only its own jobs")

            // A steward admin changes its own agreement; the user of a request is the authenticated one.
            let (status, _) = try await fixture.client.send(
                .PUT, base + "/api/v1/policyEnforcer/UVA", token: uvaAdmin, rawBody: agreement)
            #expect(status == 200)
            let named = await outcome(of: 
                .init(.POST, "/api/v1/requestApproval", as: analyst, body: try JSONEncoder().encode(
                    ApprovalRequest(type: "sqlDataRequest", user: AnalystUser(id: "9", userName: "mallory@example.org"),
                                    dataProviders: ["UVA"])), 403),
                at: base, client: fixture.client)
            #expect(named.0 == 403 && named.1.contains("names user 'mallory@example.org'"), "\(named)")
        }
    }

    @Test("pools change only for operators and the party's own steward admin, with session tokens bound to that agent; refusals change nothing")
    func poolsOverHTTP() async throws {
        try await EnsembleFixture.with { fixture in
            let keys = try APIKeyStore(path: fixture.root.appendingPathComponent("orchestrator/api-keys.sqlite").path)
            let base = fixture.ensemble.file.orchestrator
            func session(_ key: String, _ party: String) async throws -> String {
                try await OperatorClient(orchestratorURL: base, credential: key, http: fixture.ensemble.file.http)
                    .token(for: party)
            }
            let uvaAdminKey = try await keys.add(user: "admin@uva.nl", role: .stewardAdmin, steward: "UVA").text
            let uvaAdmin = try await session(uvaAdminKey, "UVA")
            let uvaAdminAtVU = try await session(uvaAdminKey, "VU")
            let analyst = try await session(fixture.ensemble.credentials.analyst.apiKey, "UVA")
            let operatorAtUVA = try await session(fixture.ensemble.credentials.operator.apiKey, "UVA")
            let operatorSession = try await session(fixture.ensemble.credentials.operator.apiKey, "VU")
            let accessToken = try await fixture.approve(["UVA"]).token
            let uva = fixture.ensemble.file.agents["UVA"]!, vu = fixture.ensemble.file.agents["VU"]!
            let change = try JSONEncoder().encode(PoolChange(min: 0, max: 3, desired: 2))
            let pools = { (agent: String) async throws -> [String] in
                let party = agent == uva ? "UVA" : "VU"
                return try JSONDecoder().decode(
                    WorkersSnapshot.self,
                    from: try await fixture.operatorClient.send(.GET, agent + "/agent/v1/workers", to: party)
                ).pools.map { "\($0.service) min \($0.min) max \($0.max) desired \($0.desired)" }
            }
            let (uvaBefore, vuBefore) = (try await pools(uva), try await pools(vu))
            let attempts: [(String, Attempt)] = [
                (uva, .init(.PUT, "/agent/v1/workers/query", as: nil, body: change, 401)),
                (uva, .init(.PUT, "/agent/v1/workers/query", as: "garbage", body: change, 401)),
                (uva, .init(.PUT, "/agent/v1/workers/query", as: accessToken, body: change, 401)),
                (uva, .init(.PUT, "/agent/v1/workers/query", as: fixture.ensemble.credentials.operator.apiKey, body: change, 401)),
                (uva, .init(.PUT, "/agent/v1/workers/query", as: analyst, body: change, 403)),
                (vu, .init(.PUT, "/agent/v1/workers/query", as: uvaAdminAtVU, body: change, 403)),
                (uva, .init(.GET, "/agent/v1/workers", as: analyst, 403)),
                (vu, .init(.GET, "/agent/v1/workers", as: uvaAdminAtVU, 403)),
                // The dead-letter queue is the party's admins' too.
                (uva, .init(.GET, "/agent/v1/dead-letters", as: nil, 401)),
                (uva, .init(.GET, "/agent/v1/dead-letters", as: analyst, 403)),
                (uva, .init(.POST, "/agent/v1/dead-letters/purge", as: analyst, body: Data(#"{"all": true}"#.utf8), 403)),
                (vu, .init(.POST, "/agent/v1/dead-letters/replay", as: uvaAdminAtVU, body: Data(#"{"all": true}"#.utf8), 403)),
                (uva, .init(.GET, "/agent/v1/dead-letters", as: uvaAdmin, 200)),
                (uva, .init(.GET, "/agent/v1/dead-letters?limit=0", as: uvaAdmin, 400)),
                (uva, .init(.POST, "/agent/v1/dead-letters/purge", as: uvaAdmin, body: Data("{}".utf8), 400)),
                // A token one agent received cannot be replayed at another, nor at the orchestrator, nor renewed.
                (vu, .init(.PUT, "/agent/v1/workers/query", as: operatorAtUVA, body: change, 401)),
                (vu, .init(.PUT, "/agent/v1/workers/query", as: uvaAdmin, body: change, 401)),
                (base, .init(.GET, "/api/v1/policyEnforcer", as: operatorAtUVA, 401)),
                (base, .init(.POST, "/api/v1/token?party=VU", as: operatorAtUVA, 401)),
                // Even an operator cannot ask for more than the party allows, or for an autoscale window of 1e300.
                (uva, .init(.PUT, "/agent/v1/workers/query", as: operatorAtUVA,
                            body: try JSONEncoder().encode(PoolChange(min: 0, max: 5000)), 400)),
                (uva, .init(.PUT, "/agent/v1/workers/query", as: operatorAtUVA,
                            body: Data(#"{"min": 0, "max": 2, "autoscale": {"targetPerWorker": 2, "stableWindowSeconds": 1e300}}"#.utf8), 400)),
                (uva, .init(.PUT, "/agent/v1/workers/query", as: operatorAtUVA,
                            body: Data(#"{"min": 0, "max": 2, "autoscale": {"targetPerWorker": 0}}"#.utf8), 400)),
            ]
            for (agent, attempt) in attempts {
                let (status, body) = await outcome(of: attempt, at: agent, client: fixture.client)
                #expect(status == attempt.status, "\(attempt.method) \(agent)\(attempt.path): \(status) \(body)")
            }
            #expect(try await pools(uva) == uvaBefore)
            #expect(try await pools(vu) == vuBefore)
            for (agent, token) in [(uva, uvaAdmin), (vu, operatorSession)] {
                let (status, body) = try await fixture.client.send(
                    .PUT, agent + "/agent/v1/workers/query", token: token, rawBody: change)
                #expect(status == 200)
                let query = try JSONDecoder().decode(WorkersSnapshot.self, from: body).pools.first { $0.service == "query" }
                #expect(query?.max == 3 && query?.desired == 2)
            }
        }
    }
}
