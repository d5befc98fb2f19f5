import DynamosBus
import DynamosTestSupport
import Testing

/// The in-memory broker keeps the RabbitMQ behaviour that unit tests above the bus rely on: routing, prefetch,
/// dead-lettering and requeues on a closed connection. (The real broker's own tests are the other suites here.)
@Suite("In-memory broker", .timeLimit(.minutes(1)))
struct InMemoryBrokerTests {
    let node = InMemoryBrokerNode()

    private func message(_ text: String, to key: String, exchange: String = "dynamos", mandatory: Bool = false)
        -> OutgoingMessage
    {
        OutgoingMessage(
            exchange: exchange, routingKey: key, body: Array(text.utf8), properties: MessageProperties(),
            mandatory: mandatory)
    }

    private func next(_ iterator: inout MessageConsumer.AsyncIterator) async throws -> Delivery {
        guard let delivery = try await iterator.next() else { throw TimedOut(what: "the consumer ended") }
        return delivery
    }

    @Test("topic bindings and the default exchange route; a mandatory publish nobody takes fails")
    func routing() async throws {
        let broker = node.connect(user: "agent-UVA")
        try await broker.declare(ExchangeDeclaration(name: "dynamos", kind: .topic))
        try await broker.declare(QueueDeclaration(name: "all"))
        try await broker.declare(QueueDeclaration(name: "dynamos.UVA.query"))
        try await broker.bind(QueueBinding(queue: "all", exchange: "dynamos", routingKey: "dynamos.#"))
        try await broker.bind(
            QueueBinding(queue: "dynamos.UVA.query", exchange: "dynamos", routingKey: "dynamos.*.query"))
        try await broker.publish(message("a", to: "dynamos.UVA.query"))
        try await broker.publish(message("b", to: "dynamos.UVA.graph"))
        try await broker.publish(message("c", to: "dynamos.UVA.query", exchange: ""))
        #expect(node.readyMessages(in: "all")?.map { String(decoding: $0.body, as: UTF8.self) } == ["a", "b"])
        #expect(node.readyMessages(in: "dynamos.UVA.query")?.map(\.body) == [Array("a".utf8), Array("c".utf8)])
        #expect(node.readyMessages(in: "dynamos.UVA.query")?.first?.properties.userID == "agent-UVA")
        await #expect(throws: AMQPError.self) { try await broker.publish(message("d", to: "x", mandatory: true)) }
        let missing = await #expect(throws: AMQPError.self) { try await broker.inspectQueue("nope") }
        #expect(missing?.replyCode == 404)
    }

    @Test("a consumer gets no more than its prefetch until it acks")
    func prefetch() async throws {
        let broker = node.connect(user: "w")
        try await broker.declare(QueueDeclaration(name: "q"))
        for index in 0..<3 { try await broker.publish(message("\(index)", to: "q", exchange: "")) }
        var deliveries = try await broker.consume(queue: "q", prefetch: 2, arguments: [:]).makeAsyncIterator()
        let first = try await next(&deliveries)
        _ = try await next(&deliveries)
        #expect(node.readyMessages(in: "q")?.count == 1, "the third waits for room under the prefetch")
        try await first.ack()
        let third = try await next(&deliveries)
        #expect(third.body == Array("2".utf8))
        #expect(node.unacknowledgedCount(in: "q") == 2)
        await #expect(throws: AMQPError.self) { try await first.ack() }
    }

    @Test("a rejected message and one past the delivery limit are dead-lettered with x-death")
    func deadLettering() async throws {
        let broker = node.connect(user: "w")
        try await broker.declare(DynamosTopology.exchange)
        try await DynamosTopology.declare(["dynamos.UVA.query"], party: "UVA", on: broker)
        try await broker.publish(message("bad", to: "dynamos.UVA.query"))
        try await broker.publish(message("crashes", to: "dynamos.UVA.query"))
        var deliveries = try await broker.consume(queue: "dynamos.UVA.query", prefetch: 1, arguments: [:])
            .makeAsyncIterator()
        try await next(&deliveries).reject(requeue: false)
        for attempt in 1...DynamosTopology.deliveryLimit + 1 {
            let delivery = try await next(&deliveries)
            #expect(delivery.redelivered == (attempt > 1))
            try await delivery.nack(requeue: true)
        }
        let dead = try #require(node.readyMessages(in: "dynamos.UVA.dead"))
        #expect(dead.map(\.body) == [Array("bad".utf8), Array("crashes".utf8)])
        #expect(dead.map { $0.properties.headers["x-first-death-reason"]?.stringValue } == ["rejected", "delivery_limit"])
        #expect(node.readyMessages(in: "dynamos.UVA.query")?.isEmpty == true)
    }

    @Test("closing a connection ends its consumers and redelivers what it had not settled to another")
    func closeRequeues() async throws {
        let first = node.connect(user: "w1")
        let second = node.connect(user: "w2")
        try await first.declare(QueueDeclaration(name: "q"))
        try await first.publish(message("m", to: "q", exchange: ""))
        var early = try await first.consume(queue: "q", prefetch: 1, arguments: [:]).makeAsyncIterator()
        let held = try await next(&early)
        #expect(!held.redelivered)
        var late = try await second.consume(queue: "q", prefetch: 1, arguments: [:]).makeAsyncIterator()
        await first.close()
        #expect(try await early.next() == nil, "the closed connection's consumer ended")
        let again = try await next(&late)
        #expect(again.redelivered && again.body == held.body)
        let closed = await #expect(throws: AMQPError.self) { try await first.publish(message("x", to: "q")) }
        #expect(closed?.code == .closed)
    }

    @Test("with a single active consumer only the first gets messages until it goes")
    func singleActiveConsumer() async throws {
        let broker = node.connect(user: "w")
        try await broker.declare(QueueDeclaration(name: "agg", arguments: ["x-single-active-consumer": .bool(true)]))
        let active = try await broker.consume(queue: "agg", prefetch: 10, arguments: [:])
        var standby = try await broker.consume(queue: "agg", prefetch: 10, arguments: [:]).makeAsyncIterator()
        for index in 0..<3 { try await broker.publish(message("\(index)", to: "agg", exchange: "")) }
        #expect(node.unacknowledgedCount(in: "agg") == 3, "all three went to the active consumer")
        try await active.cancel()
        try await broker.publish(message("3", to: "agg", exchange: ""))
        #expect(try await next(&standby).body == Array("3".utf8))
    }

    @Test("a message whose consumers' connections keep going away is dead-lettered past the delivery limit")
    func closeCountsDeliveries() async throws {
        let admin = node.connect(user: "w")
        try await DynamosTopology.declare(["dynamos.UVA.query"], party: "UVA", on: admin)
        try await admin.publish(message("poison", to: "dynamos.UVA.query"))
        for _ in 0...DynamosTopology.deliveryLimit {
            let worker = node.connect(user: "w")
            var deliveries = try await worker.consume(queue: "dynamos.UVA.query", prefetch: 1, arguments: [:])
                .makeAsyncIterator()
            _ = try await next(&deliveries)
            await worker.close()
        }
        let dead = try #require(node.readyMessages(in: "dynamos.UVA.dead"))
        #expect(dead.map { $0.properties.headers["x-first-death-reason"]?.stringValue } == ["delivery_limit"])
        #expect(node.readyMessages(in: "dynamos.UVA.query")?.isEmpty == true)
    }

    @Test("a cancelled consuming task gets no more messages; deleting the queue ends a consumer with an error")
    func cancelledAndDeleted() async throws {
        let broker = node.connect(user: "w")
        try await broker.declare(QueueDeclaration(name: "q"))
        let abandoned = Task {
            for try await delivery in try await broker.consume(queue: "q", prefetch: 10, arguments: [:]) {
                return delivery.body
            }
            return []
        }
        abandoned.cancel()
        _ = try? await abandoned.value
        var live = try await broker.consume(queue: "q", prefetch: 10, arguments: [:]).makeAsyncIterator()
        for index in 0..<4 { try await broker.publish(message("\(index)", to: "q", exchange: "")) }
        for index in 0..<4 { #expect(try await next(&live).body == Array("\(index)".utf8)) }
        #expect(try await broker.inspectQueue("q").consumers == 1)
        try await broker.deleteQueue("q", ifUnused: false, ifEmpty: false)
        let ended = await #expect(throws: AMQPError.self) { _ = try await live.next() }
        #expect(ended?.code == .consumerCancelled)
    }
}
