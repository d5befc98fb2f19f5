import DynamosBus
import DynamosClient
import DynamosControl
import DynamosControlBus
import DynamosKnowledge
import DynamosSupervisor
import DynamosTokens
import Foundation
import Testing

/// The control plane end to end over HTTP: real orchestrator and agent processes, their workers and the broker.
@Suite("Control plane end to end", .serialized)
struct EndToEndTests {
    @Test("computeToData at UVA and at VU, and dataThroughTtp UVA+VU via SURF, equal SQLite over the CSVs")
    func archetypes() async throws {
        try await EnsembleFixture.with { fixture in
            let data = fixture.root.appendingPathComponent("data").path
            for steward in ["UVA", "VU"] {
                let approval = try await fixture.approve([steward])
                #expect(approval.archetype == "computeToData")
                #expect(Array(approval.endpoints.keys) == [steward])
                let (answer, _) = try await fixture.client.dataRequest(
                    fixture.scenario(job: approval.jobId), at: approval.endpoints[steward]!, token: approval.token)
                try expectEqual(answer.result, DirectSQLite.averageSalaryByGender(dataDirectory: data, stewards: [steward]))
                let services = answer.timings.hops.map(\.service)
                #expect(services == (steward == "UVA"
                    ? ["query", "anonymize", "algorithm", "graph"] : ["query", "algorithm", "graph"]))
                #expect(Set(answer.timings.hops.map(\.party)) == [steward])
                let png = try #require(answer.graph?.png.flatMap { Data(base64Encoded: $0) })
                #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
                #expect(answer.graph?.svg?.contains("<svg") == true)
                #expect(answer.timings.totalMs > 0)
            }
            let approval = try await fixture.approve(["UVA", "VU"], options: ["aggregate": true])
            #expect(approval.archetype == "dataThroughTtp")
            #expect(approval.computeProvider == "SURF")
            #expect(Array(approval.endpoints.keys) == ["SURF"])
            #expect(approval.reasons.contains { $0.contains("aggregate") })
            let (answer, _) = try await fixture.client.dataRequest(
                fixture.scenario(job: approval.jobId), at: approval.endpoints["SURF"]!, token: approval.token)
            #expect(answer.archetype == "dataThroughTtp")
            try expectEqual(answer.result, DirectSQLite.averageSalaryByGender(dataDirectory: data, stewards: ["UVA", "VU"]))
            #expect(Set(answer.timings.hops.map(\.party)) == ["UVA", "VU", "SURF"])
            #expect(answer.timings.hops.filter { $0.service == "query" }.count == 2)
        }
    }

    @Test("a config change reaches every agent, pushed over the bus")
    func configPush() async throws {
        try await EnsembleFixture.with { fixture in
            let body = try await fixture.asOperator(.GET, "/api/v1/archetypes/computeToData")
            var archetype = try JSONDecoder().decode(Archetype.self, from: body)
            archetype.weight = 90
            let changed = ContinuousClock.now
            let answer = try await fixture.asOperator(.PUT, "/api/v1/archetypes/computeToData", json: archetype)
            let version = try JSONDecoder().decode([String: Int].self, from: answer)["version"]
            #expect(version == 2)
            for (party, url) in fixture.ensemble.file.agents {
                try await waitUntil("\(party) runs config version 2", within: .seconds(5)) {
                    let (_, health) = try await fixture.client.send(.GET, url + "/health")
                    return try JSONDecoder().decode([String: JSONScalar].self, from: health)["configVersion"] == .int(2)
                }
            }
            print("config version 2 seen by all agents \(changed.duration(to: .now)) after the PUT")
            let agents = try await fixture.asOperator(.GET, "/api/v1/agents")
            let listed = try JSONSerialization.jsonObject(with: agents) as? [[String: Any]] ?? []
            #expect(Set(listed.compactMap { $0["party"] as? String }) == ["RUG", "SURF", "UVA", "VU"])
            #expect(listed.allSatisfy { $0["online"] as? Bool == true })
        }
    }

    @Test("a changed agreement switches a running job's archetype; a removed relation revokes it")
    func evolvingAgreements() async throws {
        try await EnsembleFixture.with { fixture in
            let user = EnsembleFixture.analyst.userName
            let approval = try await fixture.approve(["UVA"])
            #expect(approval.archetype == "computeToData")
            let request = fixture.scenario(job: approval.jobId)
            _ = try await fixture.client.dataRequest(request, at: approval.endpoints["UVA"]!, token: approval.token)

            try await fixture.changeAgreement(of: "UVA") { $0.relations[user]?.allowedArchetypes = ["dataThroughTtp"] }
            let jobs = try await fixture.asOperator(.GET, "/api/v1/jobs")
            let job = try #require(
                try JSONDecoder().decode([JobSummary].self, from: jobs).first { $0.jobId == approval.jobId })
            #expect(job.archetype == "dataThroughTtp" && job.revision == 2)
            let atSteward = await fixture.refusal(request, at: approval.endpoints["UVA"]!, token: approval.token)
            #expect(atSteward?.code == .conflict)
            #expect(atSteward?.message.contains("SURF") == true)
            let surf = fixture.ensemble.file.agents["SURF"]! + "/agent/v1/sqlDataRequest/SURF"
            let (answer, _) = try await fixture.client.dataRequest(request, at: surf, token: approval.token)
            #expect(answer.archetype == "dataThroughTtp")
            #expect(Set(answer.timings.hops.map(\.party)) == ["UVA", "SURF"])

            try await fixture.changeAgreement(of: "UVA") { $0.relations[user] = nil }
            try await waitUntil("the revoked job is refused", within: .seconds(5)) {
                await fixture.refusal(request, at: surf, token: approval.token)?.code == .forbidden
            }
            let refused = await fixture.refusal(request, at: surf, token: approval.token)
            #expect(refused?.message.contains("revoked") == true)
            await #expect(throws: ControlError.self) { _ = try await fixture.approve(["UVA"]) }
        }
    }

    @Test("forged, expired and wrong-job tokens, unknown parties, bad JSON and bad SQL get clear JSON errors; an agent restart keeps its jobs")
    func refusals() async throws {
        try await EnsembleFixture.with { fixture in
            let approval = try await fixture.approve(["VU"])
            let endpoint = approval.endpoints["VU"]!
            let request = fixture.scenario(job: approval.jobId)
            let other = try await fixture.approve(["VU"])

            let forger = try await TokenAuthority(privateKeyPEM: try TokenKeyFile.loadOrCreate(
                at: fixture.root.appendingPathComponent("forger.pem").path).privateKeyPEM)
            let forged = try await forger.issue(user: EnsembleFixture.analyst, job: approval.jobId, parties: ["VU"]).token
            let real = try await TokenAuthority(privateKeyPEM: try String(
                contentsOfFile: fixture.root.appendingPathComponent("orchestrator/token-key.pem").path, encoding: .utf8))
            let expired = try await real.issue(
                user: EnsembleFixture.analyst, job: approval.jobId, parties: ["VU"], lifetime: .seconds(1),
                now: Date().addingTimeInterval(-10)).token

            #expect(await fixture.refusal(request, at: endpoint, token: forged)?.code == .unauthorized)
            #expect(await fixture.refusal(request, at: endpoint, token: expired)?.code == .unauthorized)
            #expect(await fixture.refusal(request, at: endpoint, token: "not.a.token")?.code == .unauthorized)
            let wrongJob = await fixture.refusal(request, at: endpoint, token: other.token)
            #expect(wrongJob?.code == .forbidden)
            #expect(wrongJob?.message.contains(other.jobId) == true)

            let unknown = endpoint.replacingOccurrences(of: "/VU", with: "/MIT")
            #expect(await fixture.refusal(request, at: unknown, token: approval.token)?.code == .notFound)
            let malformed: ControlError? = await { () async -> ControlError? in
                do throws(ControlError) {
                    _ = try await fixture.client.send(.POST, endpoint, token: approval.token, rawBody: Data("{\"query\": ".utf8))
                    return nil
                } catch { return error }
            }()
            #expect(malformed?.code == .badRequest)
            #expect(malformed?.message.contains("malformed JSON") == true)
            let badSQL = await fixture.refusal(
                fixture.scenario(job: approval.jobId, query: "SELECT nope FROM Personen"), at: endpoint,
                token: approval.token)
            #expect(badSQL?.code == .badRequest)
            #expect(badSQL?.party == "VU" && badSQL?.service == "query")
            #expect(badSQL?.message.contains("nope") == true)

            let restarted = try await fixture.ensemble.restartAgent("VU")
            let (answer, _) = try await fixture.client.dataRequest(
                request, at: restarted + "/agent/v1/sqlDataRequest/VU", token: approval.token)
            #expect(answer.jobId == approval.jobId)
            #expect(!answer.result.rows.isEmpty)
        }
    }
}

extension EndToEndTests {
    @Test("an agent acts only on compositions the orchestrator both sent (its broker user) and signed (its key)")
    func signedCompositions() async throws {
        try await EnsembleFixture.with { fixture in
            let keyFile = fixture.root.appendingPathComponent("orchestrator/token-key.pem").path
            let orchestrator = try await TokenAuthority(privateKeyPEM: try String(contentsOfFile: keyFile, encoding: .utf8))
            let impostor = try await TokenAuthority(privateKeyPEM: try TokenKeyFile.loadOrCreate(
                at: fixture.root.appendingPathComponent("impostor.pem").path).privateKeyPEM)
            func composition(_ job: String) -> ControlMessage {
                .composition(
                    JobComposition(
                        jobId: job, revision: 1, user: EnsembleFixture.analyst, requestType: "sqlDataRequest",
                        archetype: "dataThroughTtp", assignments: ["UVA": "dataThroughTtp"], computeProvider: "SURF",
                        providers: ["UVA"], options: [], role: .dataProvider, party: "UVA", reasons: []))
            }
            for (user, messages) in [
                ("orchestrator", [
                    composition("job-unsigned"), try await impostor.sign(control: composition("job-impostor")),
                    try await orchestrator.sign(control: composition("job-genuine")),
                ]),
                // A signed composition another party captured and replays: the signature holds, the sender does not.
                ("SURF", [try await orchestrator.sign(control: composition("job-replayed"))]),
            ] {
                let url = try #require(fixture.ensemble.brokerURL(of: user))
                let broker = try await RabbitMQBroker.connect(to: try BrokerEndpoint(url: url), name: "test.\(user)", logger: .init(label: "test"))
                let bus = ControlBus(broker: broker, logger: .init(label: "test"))
                for message in messages { try await bus.send(message, to: "dynamos.UVA.agent") }
                await broker.close()
            }

            let agent = fixture.ensemble.file.agents["UVA"]!
            func lookUp(_ job: String) async throws -> Int {
                let token = try await orchestrator.issue(user: EnsembleFixture.analyst, job: job, parties: ["UVA"]).token
                do {
                    _ = try await fixture.client.send(.GET, agent + "/agent/v1/jobs/\(job)", token: token)
                    return 200
                } catch {
                    return error.code.status
                }
            }
            try await waitUntil("the signed composition is stored", within: .seconds(5)) {
                try await lookUp("job-genuine") == 200
            }
            #expect(try await lookUp("job-unsigned") == 404)
            #expect(try await lookUp("job-impostor") == 404)
            #expect(try await lookUp("job-replayed") == 404)
        }
    }
}

extension EndToEndTests {
    @Test("idle pools are reaped to zero; the next request starts them again and reports the cold starts")
    func scaleFromZero() async throws {
        try await EnsembleFixture.with(agentArguments: ["--idle-timeout", "1"]) { fixture in
            let approval = try await fixture.approve(["VU"])
            let agent = fixture.ensemble.file.agents["VU"]!
            func live() async throws -> Int {
                let body = try await fixture.operatorClient.send(.GET, agent + "/agent/v1/workers", to: "VU")
                return try JSONDecoder().decode(WorkersSnapshot.self, from: body).pools.map(\.workers.count).reduce(0, +)
            }
            try await waitUntil("VU's pools are reaped to zero", within: .seconds(10)) { try await live() == 0 }
            let (answer, _) = try await fixture.client.dataRequest(
                fixture.scenario(job: approval.jobId), at: approval.endpoints["VU"]!, token: approval.token)
            #expect(!answer.result.rows.isEmpty)
            let query = try #require(answer.timings.hops.first { $0.service == "query" })
            #expect((query.coldStartMs ?? 0) > 0, "the query waited for its worker to start")
            #expect(try await live() >= 2)
            let (_, metrics) = try await fixture.client.send(.GET, agent + "/metrics")
            let text = String(decoding: metrics, as: UTF8.self)
            #expect(text.contains(#"dynamos_worker_cold_starts_total{party="VU",service="query"}"#))
            #expect(text.contains(#"dynamos_worker_reaps_total{party="VU",service="query"}"#))
        }
    }
}

extension EndToEndTests {
    @Test("ephemeral requests give the persistent results and leave no process and no queue behind")
    func ephemeral() async throws {
        try await EnsembleFixture.with { fixture in
            let url = ProcessInfo.processInfo.environment[BrokerEndpoint.environmentVariable] ?? BrokerEndpoint.defaultURL
            let broker = try await RabbitMQBroker.connect(to: try BrokerEndpoint(url: url), name: "test.ephemeral", logger: .init(label: "test"))
            defer { Task { await broker.close() } }
            let cases: [([String], [String: Bool], String, [String])] = [
                (["VU"], [:], "VU", ["dynamos.VU.query", "dynamos.VU.algorithm"]),
                (["UVA", "VU"], ["aggregate": true], "SURF",
                 ["dynamos.UVA.query", "dynamos.UVA.anonymize", "dynamos.VU.query", "dynamos.SURF.aggregate",
                  "dynamos.SURF.algorithm"]),
            ]
            for (providers, options, entry, queues) in cases {
                let approval = try await fixture.approve(providers, options: options)
                var request = fixture.scenario(job: approval.jobId, options: options)
                let (persistent, _) = try await fixture.client.dataRequest(
                    request, at: approval.endpoints[entry]!, token: approval.token)
                request.executionMode = "ephemeral"
                let (answer, _) = try await fixture.client.dataRequest(
                    request, at: approval.endpoints[entry]!, token: approval.token)
                #expect(answer.mode == "ephemeral" && persistent.mode == "persistent")
                #expect(answer.result == persistent.result)
                #expect(answer.timings.hops.map(\.service) == persistent.timings.hops.map(\.service))
                #expect(answer.timings.hops.allSatisfy { ($0.coldStartMs ?? 0) > 0 }, "every hop waited for its worker")
                try await waitUntil("no process of \(answer.requestId) remains", within: .seconds(10)) {
                    Self.processes(mentioning: answer.requestId).isEmpty
                }
                for queue in queues {
                    let name = "\(queue).\(answer.requestId)"
                    try await waitUntil("\(name) is deleted", within: .seconds(10)) {
                        do {
                            _ = try await broker.inspectQueue(name)
                            return false
                        } catch {
                            return (error as? AMQPError)?.replyCode == 404
                        }
                    }
                }
            }
        }
    }

    /// Pids whose command line contains `text`.
    static func processes(mentioning text: String) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { entry in
            guard Int(entry) != nil, let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else {
                return false
            }
            return String(decoding: data, as: UTF8.self).contains(text)
        }
    }
}

/// What the tests read of `GET /api/v1/jobs`.
struct JobSummary: Decodable {
    var jobId: String
    var archetype: String
    var revision: Int
}

/// The answer's averages and counts equal the directly computed ones.
func expectEqual(
    _ result: DataResponse.Result, _ expected: [String: (average: Double, count: Int)],
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let averages = DirectSQLite.averages(in: result)
    #expect(Set(averages.keys) == Set(expected.keys), sourceLocation: sourceLocation)
    #expect(!expected.isEmpty, sourceLocation: sourceLocation)
    for (gender, value) in expected {
        let got = try #require(averages[gender], sourceLocation: sourceLocation)
        #expect(abs(got.average - value.average) < 1e-9, "\(gender)", sourceLocation: sourceLocation)
        #expect(got.count == value.count, "\(gender)", sourceLocation: sourceLocation)
    }
}

/// Polls `condition` until it holds, failing after `limit`.
func waitUntil(
    _ what: String, within limit: Duration, _ condition: () async throws -> Bool,
    sourceLocation: SourceLocation = #_sourceLocation
) async throws {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if (try? await condition()) == true { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    Issue.record("\(what): not within \(limit)", sourceLocation: sourceLocation)
    throw CancellationError()
}
