import DynamosBus
import DynamosClient
import DynamosControl
import DynamosControlBus
import DynamosRouteSigning
import Foundation
import Testing

/// Forgeries on the bus against a real ensemble: every party connects with its own broker user, and receivers
/// accept control traffic only from the party it names.
extension EndToEndTests {
    /// A control bus connected as `user` of the ensemble.
    private func bus(_ fixture: EnsembleFixture, as user: String) async throws -> (ControlBus, RabbitMQBroker) {
        let url = try #require(fixture.ensemble.brokerURL(of: user))
        let broker = try await RabbitMQBroker.connect(
            to: try BrokerEndpoint(url: url), name: "test.forger.\(user)", logger: .init(label: "test"))
        return (ControlBus(broker: broker, logger: .init(label: "test")), broker)
    }

    /// The dead-letter reasons in `queue` that mention `marker`, waiting (bounded) for `count` of them.
    private func deadLetters(in queue: String, mentioning marker: String, count: Int) async throws -> [String] {
        let admin = try await RabbitMQBroker.connect(
            to: try BrokerEndpoint.fromEnvironment(), name: "test.dead", logger: .init(label: "test"))
        let consumer = try await admin.consume(queue: queue, prefetch: 64)
        var found: [String] = []
        do {
            try await waitUntil("\(count) dead letters about \(marker) in \(queue)", within: .seconds(10)) {
                var iterator = consumer.makeAsyncIterator()
                while found.count < count, let delivery = try await iterator.next() {
                    let body = String(decoding: delivery.body, as: UTF8.self)
                    if body.contains(marker) {
                        found.append(delivery.properties.headers["x-dynamos-reason"]?.stringValue ?? "")
                        try await delivery.ack()
                    } else {
                        try await delivery.nack(requeue: true)
                    }
                }
                return found.count >= count
            }
        } catch {
            try? await consumer.cancel()
            await admin.close()
            throw error
        }
        try? await consumer.cancel()
        await admin.close()
        return found
    }

    @Test("a forged heartbeat, receipt or forwarded request is refused on the bus, and the endpoints approvals hand out stay true")
    func forgeriesOnTheBus() async throws {
        try await EnsembleFixture.with { fixture in
            let marker = "evil-\(UUID().uuidString.prefix(8))"
            let realUVA = fixture.ensemble.file.agents["UVA"]!
            let (vu, vuBroker) = try await bus(fixture, as: "VU")
            let beat = AgentHeartbeat(
                party: "UVA", inbox: "dynamos.UVA.agent", endpoint: "http://\(marker):1", cpu: 0, memory: 0,
                activeJobs: 0, requestsInFlight: 0, configVersion: 1,
                sentUnixMicros: Int64(Date().timeIntervalSince1970 * 1_000_000))
            try await vu.send(.heartbeat(beat), to: ControlQueues.orchestrator)
            try await vu.send(
                .compositionAccepted(CompositionReceipt(jobId: marker, party: "UVA", revision: 1)),
                to: ControlQueues.orchestrator)
            let request = fixture.scenario(job: marker)
            let ticket = RouteTicketFixture.any(job: marker)
            let forwarded = ControlMessage.forwardedRequest(
                ForwardedRequest(jobId: marker, requestId: marker, from: "SURF", request: request, ticket: ticket, token: "t"))
            // A steward may not write to another steward's inbox at all: the broker refuses it.
            let refused = await #expect(throws: ControlError.self) { try await vu.send(forwarded, to: "dynamos.UVA.agent") }
            #expect(refused?.code == .unavailable && refused?.explanation.contains("accessRefused") == true, "\(String(describing: refused))")
            #expect(refused?.cause?.as(AMQPError.self)?.code == .accessRefused, "the broker's own error is kept, not a copy of its text")
            await vuBroker.close()
            // The third party may write there, but not in another party's name.
            let (surf, surfBroker) = try await bus(fixture, as: "SURF")
            try await surf.send(
                .forwardedRequest(ForwardedRequest(
                    jobId: marker, requestId: marker, from: "VU", request: request, ticket: ticket, token: "t")),
                to: "dynamos.UVA.agent")
            await surfBroker.close()
            // UVA's own user, but another inbox than its own.
            let (uva, uvaBroker) = try await bus(fixture, as: "UVA")
            var elsewhere = beat
            elsewhere.inbox = "dynamos.UVA.\(marker)"
            elsewhere.endpoint = "http://\(marker):2"
            try await uva.send(.heartbeat(elsewhere), to: ControlQueues.orchestrator)
            await uvaBroker.close()

            let orchestratorDead = try await deadLetters(in: "dynamos.orchestrator.dead", mentioning: marker, count: 3)
            #expect(orchestratorDead.contains { $0.contains("heartbeat for UVA sent by broker user 'VU'") }, "\(orchestratorDead)")
            #expect(orchestratorDead.contains { $0.contains("receipt for UVA sent by broker user 'VU'") }, "\(orchestratorDead)")
            #expect(orchestratorDead.contains { $0.contains("names inbox dynamos.UVA.\(marker)") }, "\(orchestratorDead)")
            let uvaDead = try await deadLetters(in: "dynamos.UVA.dead", mentioning: marker, count: 1)
            #expect(uvaDead.first?.contains("forwarded in VU's name by broker user 'SURF'") == true, "\(uvaDead)")

            let agents = try JSONSerialization.jsonObject(with: try await fixture.asOperator(.GET, "/api/v1/agents"))
                as? [[String: Any]] ?? []
            #expect(agents.first { $0["party"] as? String == "UVA" }?["endpoint"] as? String == realUVA)
            let approval = try await fixture.approve(["UVA"])
            #expect(approval.endpoints["UVA"] == realUVA + "/agent/v1/sqlDataRequest/UVA")
        }
    }

    @Test("each party's processes hold only their own broker credentials and keys; what dynamos up writes is private")
    func credentialsStayWithTheirParty() async throws {
        try await EnsembleFixture.with { fixture in
            let ensemble = fixture.ensemble
            let passwords = Dictionary(uniqueKeysWithValues: ["orchestrator", "UVA", "VU", "RUG", "SURF"].map { user in
                (user, URLComponents(string: ensemble.brokerURL(of: user) ?? "")?.password ?? "")
            })
            #expect(passwords.values.allSatisfy { $0.count >= 32 })
            var partySecrets: [String: Set<String>] = [:]
            for party in ["UVA", "VU", "RUG", "SURF"] {
                let agent = try #require(ensemble.agentProcess(party))
                let body = try await fixture.operatorClient.send(
                    .GET, ensemble.file.agents[party]! + "/agent/v1/workers", to: party)
                let workers = try JSONDecoder().decode(WorkersSnapshot.self, from: body).pools.flatMap(\.workers)
                #expect(!workers.isEmpty, "\(party) runs workers")
                for (pid, kind) in [(agent.pid, "agent")] + workers.map { ($0.pid, "worker") } {
                    let environment = try Self.environment(of: pid)
                    let url = try #require(environment["DYNAMOS_AMQP_URL"], "\(party) \(kind) \(pid)")
                    #expect(URLComponents(string: url)?.user == party, "\(party) \(kind) connects as \(url)")
                    let blob = environment.map { "\($0.key)=\($0.value)" }.joined(separator: "\n")
                    for (user, password) in passwords where user != party {
                        #expect(!blob.contains(password), "\(party)'s \(kind) holds \(user)'s broker password")
                    }
                    partySecrets[party, default: []].insert(environment["DYNAMOS_PARTY_SECRET"] ?? "")
                    let maskKeys = environment.keys.filter { $0.hasPrefix("DYNAMOS_MASK_KEY_") }
                    #expect(maskKeys.allSatisfy { $0 == "DYNAMOS_MASK_KEY_\(party)" }, "\(party) \(kind): \(maskKeys)")
                    if kind == "agent" {
                        #expect(environment["DYNAMOS_SIGNING_KEY"]?.hasSuffix("keys/\(party).jwk") == true)
                    } else {
                        #expect(environment["DYNAMOS_SIGNING_KEY"] == nil, "\(party)'s worker holds a signing key")
                    }
                    #expect(!blob.contains(".jwk") || kind == "agent", "\(party)'s \(kind) knows a private key file")
                }
            }
            // One party secret per party, shared by its agent and workers only.
            #expect(partySecrets.values.allSatisfy { $0.count == 1 && !$0.contains("") }, "\(partySecrets)")
            #expect(Set(partySecrets.values.compactMap(\.first)).count == 4)
            let root = fixture.root.path
            for file in ["credentials.json", "broker/definitions.json", "keys/UVA.jwk", "keys/SURF.jwk",
                         "orchestrator/token-key.pem"] {
                let mode = try #require(
                    (try? FileManager.default.attributesOfItem(atPath: "\(root)/\(file)"))?[.posixPermissions] as? Int)
                #expect(mode == 0o600, "\(file) has mode \(String(mode, radix: 8))")
            }
            let definitions = try String(contentsOfFile: "\(root)/broker/definitions.json", encoding: .utf8)
            #expect(passwords.values.allSatisfy { !definitions.contains($0) }, "the definitions hold a password in clear")
            #expect(!definitions.contains("administrator"))
        }
    }

    /// The environment of process `pid`, from `/proc`.
    static func environment(of pid: Int32) throws -> [String: String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/environ"))
        var environment: [String: String] = [:]
        for entry in data.split(separator: 0) {
            let text = String(decoding: entry, as: UTF8.self)
            guard let equals = text.firstIndex(of: "=") else { continue }
            environment[String(text[..<equals])] = String(text[text.index(after: equals)...])
        }
        return environment
    }
}

/// A ticket of the right shape; receivers here refuse the message before they look at it.
enum RouteTicketFixture {
    static func any(job: String) -> RouteTicket {
        RouteTicket(
            jobID: job, requestID: job, party: "SURF", queue: "dynamos.SURF.aggregate", expectedParts: 1,
            expiresAt: Int64(Date().timeIntervalSince1970) + 60, keyID: "SURF-0", signature: [])
    }
}
