import DynamosBus
import DynamosTestSupport
import Foundation
import Testing

/// A broker URL list whose first node is down: the connection goes to the next node that answers and works there.
@Suite("Broker node lists against the real broker", .timeLimit(.minutes(3)))
struct ClusterEndpointTests {
    /// Publishes until the broker confirms: a publish the lost connection could not confirm fails with
    /// connectionLost, and the next one waits for the reconnect (at-least-once, as in RecoveryTests).
    private func send(_ text: String, on broker: RabbitMQBroker, to queue: String) async throws {
        var attempts = 0
        while true {
            do {
                try await broker.publish(OutgoingMessage(routingKey: queue, body: Array(text.utf8)))
                return
            } catch {
                guard error.code == .connectionLost, attempts < 20 else { throw error }
                attempts += 1
            }
        }
    }

    /// The next delivery's text, acknowledged (a stale one from before a reconnect is delivered again).
    private func receive(_ deliveries: inout MessageConsumer.AsyncIterator) async throws -> String {
        guard let delivery = try await deliveries.next() else { throw TimedOut(what: "the consumer ended") }
        try? await delivery.ack()
        return String(decoding: delivery.body, as: UTF8.self)
    }

    @Test("a node that refuses connections is skipped: the next one is connected to, publishes and consumes")
    func skipsADeadNode() async throws {
        let real = ProcessInfo.processInfo.environment[BrokerEndpoint.environmentVariable] ?? BrokerEndpoint.defaultURL
        let endpoint = try BrokerEndpoint(urls: real)
        let password = endpoint.password.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        // Port 1 on loopback: nothing listens, so the connect is refused at once.
        let dead = "amqp://\(endpoint.user):\(password)@127.0.0.1:1/"
        let nodes = try BrokerEndpoint(urls: "\(dead),\(real)")
        #expect(nodes.nodes.count == 1 + endpoint.nodes.count)
        let broker = try await RabbitMQBroker.connect(to: nodes, name: "test.cluster", logger: TestBroker.logger)
        let queue = TestBroker.uniqueName("cluster")
        try await broker.declare(QueueDeclaration(name: queue, durable: false, autoDelete: true))
        let consumer = try await broker.consume(queue: queue, prefetch: 1)
        try await broker.publish(OutgoingMessage(routingKey: queue, body: Array("over the second node".utf8)))
        let body = try await within(.seconds(20), "the message through the second node") {
            for try await delivery in consumer {
                try await delivery.ack()
                return delivery.body
            }
            throw TimedOut(what: "the consumer ended")
        }
        #expect(body == Array("over the second node".utf8))
        await broker.close()
    }

    @Test("when the node in use stops, the connection moves to the next one, declares again and consumes on")
    func failsOverWhenTheNodeStops() async throws {
        let real = ProcessInfo.processInfo.environment[BrokerEndpoint.environmentVariable] ?? BrokerEndpoint.defaultURL
        try await PrivateBrokerNode.with { node in
            let nodes = try BrokerEndpoint(urls: "\(node.url),\(real)")
            let broker = try await RabbitMQBroker.connect(to: nodes, name: "test.failover", logger: TestBroker.logger)
            let queue = TestBroker.uniqueName("failover")
            try await broker.declare(QueueDeclaration(name: queue, durable: false, autoDelete: false))
            var deliveries = try await broker.consume(queue: queue, prefetch: 8).makeAsyncIterator()
            try await send("on the first node", on: broker, to: queue)
            #expect(try await receive(&deliveries) == "on the first node")
            #expect(try await node.rabbitmqctl("list_queues", "name").contains(queue), "the first node served it")
            await node.stop()
            try await send("on the second node", on: broker, to: queue)
            #expect(try await receive(&deliveries) == "on the second node")
            #expect(try await broker.inspectQueue(queue).consumers == 1, "declared again and resubscribed there")
            try await broker.deleteQueue(queue, ifUnused: false, ifEmpty: false)
            await broker.close()
        }
    }
}
