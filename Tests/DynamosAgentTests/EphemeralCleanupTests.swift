@testable import DynamosAgent
import DynamosBus
import DynamosKnowledge
import DynamosQueues
import DynamosTestSupport
import Foundation
import Logging
import Testing

/// An ephemeral run's queues are deleted only when empty: what a stopped worker left is moved to the party's
/// dead-letter queue with the reason first. Against the real broker.
@Suite("ephemeral cleanup", .serialized, .timeLimit(.minutes(1)))
struct EphemeralCleanupTests {
    @Test("messages left in per-request queues are dead-lettered with a reason, then the queues are deleted")
    func leftovers() async throws {
        let url = ProcessInfo.processInfo.environment[BrokerEndpoint.environmentVariable] ?? BrokerEndpoint.defaultURL
        let broker = try await RabbitMQBroker.connect(
            to: try BrokerEndpoint(url: url), name: "test.ephemeral-cleanup", logger: Logger(label: "test"))
        let party = "EPH\(UUID().uuidString.prefix(6))"
        let dead = QueueNames.dead(party: party)
        try await DynamosTopology.declare([QueueNames.results(party: party)], party: party, on: broker)
        let run = EphemeralRun(
            party: party, requestId: "req-1", hops: ["dynamos.\(party).query.req-1", "dynamos.\(party).algorithm.req-1",
                                                      QueueNames.results(party: party)],
            services: ["query", "algorithm"])
        try await run.declare(on: broker)
        for body in ["one", "two"] {
            try await broker.publish(
                OutgoingMessage(
                    exchange: DynamosTopology.exchangeName, routingKey: run.queues[1], body: Array(body.utf8)))
        }
        await run.finish([], grace: .zero, broker: broker, logger: Logger(label: "test"))
        for queue in run.queues {
            let error = await #expect(throws: AMQPError.self) { _ = try await broker.inspectQueue(queue) }
            #expect(error?.replyCode == 404, "\(queue) is gone")
        }
        let consumer = try await broker.consume(queue: dead, prefetch: 2)
        let moved = try await within(.seconds(10), "two dead letters") {
            var bodies: [String] = []
            for try await delivery in consumer {
                let header = delivery.properties.headers[DeadLetterHeaders.reason]
                let reason: String? = if case .string(let text) = header { text } else { nil }
                #expect(reason?.contains("ephemeral request req-1 ended") == true, "\(String(describing: header))")
                #expect(delivery.properties.headers[DeadLetterHeaders.sourceQueue] == .string(run.queues[1]))
                bodies.append(String(decoding: delivery.body, as: UTF8.self))
                try await delivery.ack()
                if bodies.count == 2 { break }
            }
            return bodies
        }
        #expect(moved == ["one", "two"])
        try await consumer.cancel()
        for queue in [dead, QueueNames.results(party: party)] { _ = try? await broker.deleteQueue(queue) }
        await broker.close()
    }
}
