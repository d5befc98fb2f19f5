import DynamosBus
import DynamosTestSupport
import Synchronization
import Testing

/// These tests close every connection of, or restart, a broker node; they get a node of their own.
@Suite("Recovery after the broker drops the connection", .timeLimit(.minutes(3)))
struct RecoveryTests {
    /// Publishes until the broker confirms, retrying when the connection dropped first (at-least-once).
    private func publishConfirmed(_ broker: RabbitMQBroker, queue: String, id: String) async throws {
        var attempts = 0
        while true {
            do {
                try await broker.publish(
                    OutgoingMessage(routingKey: queue, body: Array(id.utf8), properties: .init(messageID: id)))
                return
            } catch {
                guard error.code == .connectionLost, attempts < 20 else { throw error }
                attempts += 1
            }
        }
    }

    /// Consumes until every id in `expected` has arrived at least once; acks what it gets.
    private func collect(_ consumer: MessageConsumer, expected: Set<String>) async throws -> Set<String> {
        var seen = Set<String>()
        for try await delivery in consumer {
            seen.insert(String(decoding: delivery.body, as: UTF8.self))
            do {
                try await delivery.ack()
            } catch {
                // A delivery from before the reconnect is stale: the broker delivers it again.
                guard error.code == .staleDelivery else { throw error }
            }
            if expected.isSubset(of: seen) { break }
        }
        return seen
    }

    @Test("rabbitmqctl close_all_connections mid-stream: every message is confirmed and delivered at least once")
    func closeAllConnectionsMidStream() async throws {
        try await PrivateBrokerNode.with { node in try await TestBroker.with(url: node.url) { publisher in
            let consuming = try await TestBroker.connect("consumer", url: node.url)
            let queue = try await TestBroker.scratchQueue("recovery", on: publisher)
            let consumer = try await consuming.consume(queue: queue, prefetch: 50)
            let ids = (0..<3_000).map { "m-\($0)" }
            let expected = Set(ids)

            let seen = try await within(.seconds(120), "every message after close_all_connections") {
                try await withThrowingTaskGroup(of: Set<String>.self) { group in
                    group.addTask { try await collect(consumer, expected: expected) }
                    group.addTask {
                        for id in ids[..<1_000] { try await publishConfirmed(publisher, queue: queue, id: id) }
                        async let closed = node.rabbitmqctl("close_all_connections", "test: mid-stream")
                        for id in ids[1_000..<2_500] { try await publishConfirmed(publisher, queue: queue, id: id) }
                        _ = try await closed
                        for id in ids[2_500...] { try await publishConfirmed(publisher, queue: queue, id: id) }
                        return []
                    }
                    var union = Set<String>()
                    for try await part in group { union.formUnion(part) }
                    return union
                }
            }
            #expect(seen == expected)
            #expect(publisher.statistics.lossCount >= 1)
            #expect(publisher.statistics.recoveryCount >= 1)
            #expect(consuming.statistics.recoveryCount >= 1)
            await consuming.close()
        } }
    }

    @Test("after a broker restart, a transient queue is declared again and its consumer resubscribed")
    func topologyRecoveryAfterRestart() async throws {
        try await PrivateBrokerNode.with { node in try await TestBroker.with(url: node.url) { broker in
            let queue = try await TestBroker.scratchQueue("restart", on: broker)
            let consumer = try await broker.consume(queue: queue, prefetch: 1)
            try await node.rabbitmqctl("stop_app")
            try await node.rabbitmqctl("start_app")
            try await within(.seconds(60), "the connection to come back") {
                while broker.statistics.recoveryCount == 0 { try await Task.sleep(for: .milliseconds(50)) }
            }
            try await publishConfirmed(broker, queue: queue, id: "after-restart")
            let delivery = try await consumer.next(within: .seconds(30))
            #expect(delivery.body == Array("after-restart".utf8))
            try await delivery.ack()
            #expect(try await broker.inspectQueue(queue).consumers == 1)
        } }
    }
}

@Suite("Waits are bounded while the broker is away", .timeLimit(.minutes(2)))
struct OutageTests {
    @Test("a publish during an outage fails after maximumWaitWhileDisconnected; after the outage it succeeds")
    func publishDuringOutageIsBounded() async throws {
        try await PrivateBrokerNode.with { node in
            var configuration = RabbitMQBroker.Configuration(
                endpoint: try BrokerEndpoint(url: node.url), connectionName: "test.outage",
                maximumWaitWhileDisconnected: .seconds(2))
            configuration.publishWindow = 16
            let broker = try await RabbitMQBroker.connect(configuration, logger: TestBroker.logger)
            let queue = try await TestBroker.scratchQueue("outage", on: broker)
            try await node.rabbitmqctl("stop_app")
            try await within(.seconds(20), "the client to notice the outage") {
                while broker.statistics.lossCount == 0 { try await Task.sleep(for: .milliseconds(20)) }
            }
            let clock = ContinuousClock()
            let start = clock.now
            let error = await #expect(throws: AMQPError.self) {
                try await within(.seconds(20), "the publish to give up") {
                    try await broker.publish(OutgoingMessage(routingKey: queue, body: [1]))
                }
            }
            #expect(error?.code == .connectionLost)
            #expect(clock.now - start >= .seconds(2))
            try await node.rabbitmqctl("start_app")
            try await within(.seconds(60), "the connection to come back") {
                while broker.statistics.recoveryCount == 0 { try await Task.sleep(for: .milliseconds(50)) }
            }
            try await broker.publish(OutgoingMessage(routingKey: queue, body: [2]))
            #expect(try await broker.inspectQueue(queue).readyMessages == 1)
            await broker.close()
        }
    }
}
