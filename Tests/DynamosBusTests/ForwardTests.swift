import DynamosBus
import Testing

@Suite("Forwarding a delivery to the next hop", .timeLimit(.minutes(2)))
struct ForwardTests {
    @Test("forward publishes, waits for the confirm, then acks the input")
    func forwardMovesTheMessage() async throws {
        try await TestBroker.with { broker in
            let input = try await TestBroker.scratchQueue("forward-in", on: broker)
            let output = try await TestBroker.scratchQueue("forward-out", on: broker)
            try await broker.publish(OutgoingMessage(routingKey: input, body: Array("hop".utf8)))
            let consumer = try await broker.consume(queue: input, prefetch: 1)
            let delivery = try await consumer.next()
            try await broker.forward(OutgoingMessage(routingKey: output, body: delivery.body), settling: delivery)
            try await consumer.cancel()
            #expect(try await broker.inspectQueue(input) == QueueStatus(name: input, readyMessages: 0, consumers: 0))
            #expect(try await broker.inspectQueue(output).readyMessages == 1)
        }
    }

    @Test("a forward that fails leaves the input unacknowledged, so it can be handed back")
    func failedForwardKeepsTheInput() async throws {
        try await TestBroker.with { broker in
            let input = try await TestBroker.scratchQueue("forward-fail", on: broker)
            try await broker.publish(OutgoingMessage(routingKey: input, body: [1]))
            let consumer = try await broker.consume(queue: input, prefetch: 1)
            let delivery = try await consumer.next()
            let error = await #expect(throws: AMQPError.self) {
                try await broker.forward(
                    OutgoingMessage(routingKey: TestBroker.uniqueName("missing-next-hop"), body: delivery.body),
                    settling: delivery)
            }
            #expect(error?.code == .unroutable)
            try await delivery.nack(requeue: true)
            let again = try await consumer.next()
            #expect(again.redelivered)
            try await again.ack()
        }
    }

    @Test("a delivery from another connection is forwarded too (publish, then ack on its own connection)")
    func forwardAcrossConnections() async throws {
        try await TestBroker.with { broker in
            let input = try await TestBroker.scratchQueue("forward-cross-in", on: broker)
            let output = try await TestBroker.scratchQueue("forward-cross-out", on: broker)
            try await broker.publish(OutgoingMessage(routingKey: input, body: [5]))
            try await TestBroker.with("publisher") { publisher in
                let delivery = try await broker.consume(queue: input, prefetch: 1).next()
                try await publisher.forward(OutgoingMessage(routingKey: output, body: delivery.body), settling: delivery)
            }
            #expect(try await broker.inspectQueue(output).readyMessages == 1)
        }
    }

    @Test("deadLetter keeps the message with its reason and source queue, and acks the original")
    func deadLetterWithReason() async throws {
        try await TestBroker.with { broker in
            let input = try await TestBroker.scratchQueue("poison", on: broker)
            let dead = try await TestBroker.scratchQueue("poison-dead", on: broker)
            try await broker.publish(
                OutgoingMessage(routingKey: input, body: Array("garbage".utf8), properties: .init(correlationID: "c-9")))
            let consumer = try await broker.consume(queue: input, prefetch: 1)
            try await broker.deadLetter(try await consumer.next(), reason: "undecodable: truncated", to: dead)

            let letter = try await broker.consume(queue: dead, prefetch: 1).next()
            #expect(letter.body == Array("garbage".utf8))
            #expect(letter.properties.correlationID == "c-9")
            #expect(letter.properties.headers[DeadLetterHeaders.reason]?.stringValue == "undecodable: truncated")
            #expect(letter.properties.headers[DeadLetterHeaders.sourceQueue]?.stringValue == input)
            try await letter.ack()
            try await consumer.cancel()
            #expect(try await broker.inspectQueue(input).readyMessages == 0)
        }
    }
}
