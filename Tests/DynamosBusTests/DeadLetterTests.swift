import DynamosBus
import Testing

@Suite("Dead-lettering", .timeLimit(.minutes(2)))
struct DeadLetterTests {
    /// A work queue whose rejects go to its own dead-letter queue through the default exchange.
    private func workQueueWithDeadLetters(
        on broker: RabbitMQBroker, kind: QueueDeclaration.Kind = .classic, deliveryLimit: Int? = nil
    ) async throws -> (work: String, dead: String) {
        let dead = try await TestBroker.scratchQueue("dead", on: broker)
        let work = TestBroker.uniqueName("work")
        try await broker.declare(
            QueueDeclaration(
                name: work, kind: kind, durable: kind == .quorum, deadLetterExchange: "", deadLetterRoutingKey: dead,
                deliveryLimit: deliveryLimit, expires: .seconds(120)))
        return (work, dead)
    }

    private func deathReason(_ delivery: Delivery) -> String? {
        guard case .array(let deaths)? = delivery.properties.headers["x-death"],
            case .table(let first)? = deaths.first
        else { return nil }
        return first["reason"]?.stringValue
    }

    @Test("a nacked message lands in the dead-letter queue with reason 'rejected'")
    func nackDeadLetters() async throws {
        try await TestBroker.with { broker in
            let (work, dead) = try await workQueueWithDeadLetters(on: broker)
            try await broker.publish(OutgoingMessage(routingKey: work, body: Array("bad input".utf8)))
            let consumer = try await broker.consume(queue: work, prefetch: 1)
            try await consumer.next().nack(requeue: false)

            let deadLetters = try await broker.consume(queue: dead, prefetch: 1)
            let letter = try await deadLetters.next()
            #expect(letter.body == Array("bad input".utf8))
            #expect(deathReason(letter) == "rejected")
            try await letter.ack()
            #expect(try await broker.inspectQueue(work).readyMessages == 0)
        }
    }

    @Test("a rejected message lands in the dead-letter queue with reason 'rejected'")
    func rejectDeadLetters() async throws {
        try await TestBroker.with { broker in
            let (work, dead) = try await workQueueWithDeadLetters(on: broker)
            try await broker.publish(
                OutgoingMessage(routingKey: work, body: [7], properties: .init(headers: ["x-dynamos-reason": "undecodable"])))
            let consumer = try await broker.consume(queue: work, prefetch: 1)
            try await consumer.next().reject(requeue: false)
            let letter = try await broker.consume(queue: dead, prefetch: 1).next()
            #expect(deathReason(letter) == "rejected")
            #expect(letter.properties.headers["x-dynamos-reason"]?.stringValue == "undecodable")
            try await letter.ack()
        }
    }

    @Test("a requeued message is redelivered; past x-delivery-limit it is dead-lettered")
    func deliveryLimit() async throws {
        try await TestBroker.with { broker in
            let (work, dead) = try await workQueueWithDeadLetters(on: broker, kind: .quorum, deliveryLimit: 2)
            try await broker.publish(OutgoingMessage(routingKey: work, body: [1]))
            let consumer = try await broker.consume(queue: work, prefetch: 1)
            let first = try await consumer.next()
            #expect(!first.redelivered)
            try await first.nack(requeue: true)
            let second = try await consumer.next()
            #expect(second.redelivered)
            try await second.reject(requeue: true)
            try await consumer.next().nack(requeue: true)

            let letter = try await broker.consume(queue: dead, prefetch: 1).next()
            #expect(deathReason(letter) == "delivery_limit")
            try await letter.ack()
            try await broker.deleteQueue(work)
        }
    }
}
