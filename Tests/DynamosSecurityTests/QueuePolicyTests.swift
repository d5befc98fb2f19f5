import DynamosBrokerAccess
import DynamosBus
import DynamosKnowledge
import DynamosProcess
import DynamosQueues
import DynamosTestSupport
import Foundation
import Testing

/// The length and age policies on results and dead-letter queues, imported into the real broker as `dynamos up`
/// imports them: a results queue nobody drains keeps its newest messages and dead-letters the oldest with the
/// broker's reason, a dead-letter queue drops its oldest, and old results expire into the dead-letter queue.
@Suite("queue length and age policies", .serialized, .timeLimit(.minutes(3)))
struct QueuePolicyTests {
    @Test("the definitions carry both policies in RabbitMQ's spelling; limits out of range are refused")
    func definitionsCarryPolicies() throws {
        let policies = QueuePolicy.policies(QueueLimits(), vhost: "/")
        #expect(policies.map(\.name) == ["dynamos-results", "dynamos-dead"])
        #expect(policies.map(\.pattern) == ["^dynamos\\.[^.]+\\.results$", "^dynamos\\.[^.]+\\.dead$"])
        let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(policies[0])) as? [String: Any])
        #expect(json["apply-to"] as? String == "queues")
        let definition = try #require(json["definition"] as? [String: Any])
        #expect(definition["max-length"] as? Int == 10_000 && definition["message-ttl"] as? Int == 3_600_000)
        #expect(definition["overflow"] as? String == "drop-head" && definition["max-length-bytes"] as? Int == 1 << 30)
        let permissions = try BrokerPermissions(knowledgeBase: .init(), orchestratorUser: "orchestrator")
        let tooOld = QueueLimits.Cap(maxMessages: 1, maxBytes: 1, maxAgeSeconds: Int(Int32.max))
        #expect(throws: BrokerAccessError.self) {
            try BrokerDefinitions(permissions: permissions, passwords: [:], limits: QueueLimits(results: tooOld))
        }
        let none = QueueLimits.Cap(maxMessages: 0, maxBytes: 1, maxAgeSeconds: 1)
        #expect(throws: BrokerAccessError.self) {
            try BrokerDefinitions(permissions: permissions, passwords: [:], limits: QueueLimits(deadLetters: none))
        }
    }

    @Test("a full results queue dead-letters its oldest (maxlen), a full dead queue drops its oldest, old results expire")
    func lengthAndAge() async throws {
        let parties = try await ProvisionedParties.make()
        let (full, old) = (parties.steward, parties.otherSteward)
        let names = try await Self.importPolicies([
            (full, QueueLimits(
                results: .init(maxMessages: 3, maxBytes: 1 << 20, maxAgeSeconds: 3_600),
                deadLetters: .init(maxMessages: 4, maxBytes: 1 << 20, maxAgeSeconds: 3_600))),
            (old, QueueLimits(results: .init(maxMessages: 100, maxBytes: 1 << 20, maxAgeSeconds: 1))),
        ])
        defer { Self.clear(names) }
        let admin = try await ProvisionedParties.admin()
        defer { Task { await admin.close() } }
        for party in [full, old] {
            let broker = try await parties.connect(party)
            try await DynamosTopology.declare([QueueNames.results(party: party)], party: party, on: broker)
            await broker.close()
        }
        let (results, dead) = (QueueNames.results(party: full), QueueNames.dead(party: full))
        for n in 1...5 { try await admin.publish(Self.message("result \(n)", to: results)) }
        try await Self.await(admin, results, holds: 3, dead, holds: 2)
        #expect(try await Self.bodies(admin, results) == ["result 3", "result 4", "result 5"])
        let letters = try await Self.take(admin, dead)
        #expect(letters.map { String(decoding: $0.body, as: UTF8.self) } == ["result 1", "result 2"])
        #expect(letters.allSatisfy { Self.deathReason($0) == "maxlen" }, "\(letters.map(\.properties.headers))")

        // Eight more into the emptied queue: the oldest five go to the dead-letter queue, which keeps its newest four.
        for n in 6...13 { try await admin.publish(Self.message("result \(n)", to: results)) }
        try await Self.await(admin, results, holds: 3, dead, holds: 4)
        #expect(try await Self.bodies(admin, dead) == (7...10).map { "result \($0)" })

        let oldResults = QueueNames.results(party: old)
        let oldDead = QueueNames.dead(party: old)
        try await admin.publish(Self.message("nobody collected me", to: oldResults))
        try await Self.await(admin, oldResults, holds: 0, oldDead, holds: 1)
        #expect(try await Self.take(admin, oldDead).map(Self.deathReason) == ["expired"])
    }

    private static func message(_ text: String, to queue: String) -> OutgoingMessage {
        OutgoingMessage(exchange: DynamosTopology.exchangeName, routingKey: queue, body: Array(text.utf8))
    }

    /// Imports the policies for each party (named after the party, above the ensemble's own), returns their names.
    private static func importPolicies(_ limits: [(String, QueueLimits)]) async throws -> [String] {
        let policies = limits.flatMap { party, limits in
            QueuePolicy.policies(limits, vhost: "/", namePrefix: "test-\(party)", partyPattern: party, priority: 20)
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("policies-\(UUID().uuidString).json")
        try JSONEncoder().encode(["policies": policies]).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = try ChildProcess(try rabbitmqctl(), ["-q", "import_definitions", file.path], output: .file("/dev/null"))
        try #require(await process.exitStatus() == 0, "import_definitions of the test policies failed")
        return policies.map(\.name)
    }

    private static func clear(_ names: [String]) {
        for name in names {
            if let process = try? ChildProcess(try rabbitmqctl(), ["-q", "clear_policy", name], output: .file("/dev/null")) {
                Task { _ = await process.exitStatus() }
            }
        }
    }

    private static func rabbitmqctl() throws -> String {
        try #require(ProcessInfo.processInfo.environment["DYNAMOS_RABBITMQCTL"], "run with `make test` (it sets DYNAMOS_RABBITMQCTL)")
    }

    /// Waits until both queues hold the counts (the broker applies the policy as messages arrive; dead-lettering
    /// from a quorum queue follows shortly after).
    private static func await(
        _ admin: RabbitMQBroker, _ first: String, holds firstCount: Int, _ second: String, holds secondCount: Int
    ) async throws {
        try await within(.seconds(20), "\(first) holds \(firstCount) and \(second) holds \(secondCount)") {
            while true {
                let firstHolds = try await admin.inspectQueue(first).readyMessages
                let secondHolds = try await admin.inspectQueue(second).readyMessages
                if firstHolds == firstCount, secondHolds == secondCount { return }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    /// Every message of `queue`, taken and acknowledged, oldest first.
    private static func take(_ admin: RabbitMQBroker, _ queue: String) async throws -> [Delivery] {
        let count = try await admin.inspectQueue(queue).readyMessages
        guard count > 0 else { return [] }
        let consumer = try await admin.consume(queue: queue, prefetch: UInt16(count))
        return try await within(.seconds(10), "\(count) messages of \(queue)") {
            var iterator = consumer.makeAsyncIterator()
            var taken: [Delivery] = []
            while taken.count < count, let delivery = try await iterator.next() {
                try await delivery.ack()
                taken.append(delivery)
            }
            try await consumer.cancel()
            return taken
        }
    }

    private static func bodies(_ admin: RabbitMQBroker, _ queue: String) async throws -> [String] {
        try await take(admin, queue).map { String(decoding: $0.body, as: UTF8.self) }
    }

    private static func deathReason(_ delivery: Delivery) -> String? {
        guard case .array(let deaths)? = delivery.properties.headers["x-death"], case .table(let first)? = deaths.first
        else { return nil }
        return first["reason"]?.stringValue
    }
}
