import DynamosBus
import Testing

@Suite("Publish and consume against the real broker", .timeLimit(.minutes(2)))
struct PublishConsumeTests {
    @Test("a message round-trips with its body, properties and headers, stamped with the sender's user")
    func roundTrip() async throws {
        try await TestBroker.with { broker in
            let queue = try await TestBroker.scratchQueue("roundtrip", on: broker)
            let properties = MessageProperties(
                contentType: "application/x-protobuf", correlationID: "corr-1", messageID: "msg-1", type: "sqlDataRequest",
                timestamp: 1_700_000_000,
                headers: [
                    "job": "job-7", "attempt": 3, "ratio": .double(0.5), "flag": true,
                    "nested": .table(["hops": .array(["a", "b"])]),
                ])
            let body = (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            try await broker.publish(OutgoingMessage(routingKey: queue, body: body, properties: properties))

            let consumer = try await broker.consume(queue: queue, prefetch: 1)
            let delivery = try await consumer.next()
            #expect(delivery.body == body)
            var stamped = properties
            stamped.userID = broker.user
            #expect(delivery.properties == stamped, "every publish carries its connection's user as user_id")
            #expect(delivery.sender == broker.user)
            #expect(delivery.queue == queue)
            #expect(!delivery.redelivered)
            try await delivery.ack()
            try await consumer.cancel()
            #expect(try await broker.inspectQueue(queue).readyMessages == 0)
        }
    }

    @Test("every publish gets its confirm, with many in flight at once")
    func confirmsForEveryPublish() async throws {
        try await TestBroker.with { broker in
            let queue = try await TestBroker.scratchQueue("confirms", on: broker)
            let count = 2_000
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<count {
                    group.addTask {
                        try await broker.publish(OutgoingMessage(routingKey: queue, body: Array("\(index)".utf8)))
                    }
                }
                try await group.waitForAll()
            }
            let status = try await broker.inspectQueue(queue)
            #expect(status.readyMessages == count)
            #expect(status.consumers == 0)
        }
    }

    @Test("a publish that matches no queue fails as unroutable instead of vanishing")
    func unroutable() async throws {
        try await TestBroker.with { broker in
            let error = await #expect(throws: AMQPError.self) {
                try await broker.publish(OutgoingMessage(routingKey: TestBroker.uniqueName("nowhere"), body: [1]))
            }
            #expect(error?.code == .unroutable)
            #expect(error?.replyCode == 312)
        }
    }

    @Test("a channel error is reported with its reply code and the channel recovers")
    func channelErrorRecovers() async throws {
        try await TestBroker.with { broker in
            let missing = await #expect(throws: AMQPError.self) {
                try await broker.inspectQueue(TestBroker.uniqueName("missing"))
            }
            #expect(missing?.code == .channelClosed)
            #expect(missing?.replyCode == 404)

            let noExchange = await #expect(throws: AMQPError.self) {
                try await broker.publish(OutgoingMessage(exchange: TestBroker.uniqueName("no-exchange"), routingKey: "x", body: [1]))
            }
            #expect(noExchange?.replyCode == 404)

            let queue = try await TestBroker.scratchQueue("after-error", on: broker)
            try await broker.publish(OutgoingMessage(routingKey: queue, body: [2]))
            #expect(try await broker.inspectQueue(queue).readyMessages == 1)
            #expect(broker.statistics.lossCount == 0)
        }
    }

    @Test("declaring a queue again with other arguments is refused with 406")
    func preconditionFailed() async throws {
        try await TestBroker.with { broker in
            let queue = try await TestBroker.scratchQueue("precondition", on: broker)
            let error = await #expect(throws: AMQPError.self) {
                try await broker.declare(QueueDeclaration(name: queue, durable: true))
            }
            #expect(error?.replyCode == 406)
            #expect(error?.hint != nil)
        }
    }

    @Test("topic exchange, binding, passive declare counts, purge and delete")
    func topologyOperations() async throws {
        try await TestBroker.with { broker in
            let exchange = TestBroker.uniqueName("exchange")
            try await broker.declare(ExchangeDeclaration(name: exchange, kind: .topic, durable: false, autoDelete: false))
            let queue = try await TestBroker.scratchQueue("bound", on: broker)
            try await broker.bind(QueueBinding(queue: queue, exchange: exchange, routingKey: "dynamos.UVA.*"))
            for _ in 0..<3 {
                try await broker.publish(OutgoingMessage(exchange: exchange, routingKey: "dynamos.UVA.query", body: [1]))
            }
            #expect(try await broker.inspectQueue(queue) == QueueStatus(name: queue, readyMessages: 3, consumers: 0))
            #expect(try await broker.purgeQueue(queue) == 3)
            try await broker.unbind(QueueBinding(queue: queue, exchange: exchange, routingKey: "dynamos.UVA.*"))
            let unbound = await #expect(throws: AMQPError.self) {
                try await broker.publish(OutgoingMessage(exchange: exchange, routingKey: "dynamos.UVA.query", body: [1]))
            }
            #expect(unbound?.code == .unroutable)
            try await broker.publish(OutgoingMessage(routingKey: queue, body: [9]))
            #expect(try await broker.deleteQueue(queue) == 1)
            try await broker.deleteExchange(exchange)
        }
    }

    @Test("a cancelled consumer ends its sequence; a delivery it handed out can still be acknowledged")
    func cancelKeepsDeliveriesSettleable() async throws {
        try await TestBroker.with { broker in
            let queue = try await TestBroker.scratchQueue("cancel", on: broker)
            try await broker.publish(OutgoingMessage(routingKey: queue, body: [1]))
            let consumer = try await broker.consume(queue: queue, prefetch: 5)
            let delivery = try await consumer.next()
            try await consumer.cancel()
            try await delivery.ack()
            var iterator = consumer.makeAsyncIterator()
            #expect(try await iterator.next() == nil)
            #expect(try await broker.inspectQueue(queue) == QueueStatus(name: queue, readyMessages: 0, consumers: 0))
        }
    }

    @Test("prefetch bounds what a consumer holds unacknowledged")
    func prefetchBounds() async throws {
        try await TestBroker.with { broker in
            let queue = try await TestBroker.scratchQueue("prefetch", on: broker)
            for index in 0..<10 { try await broker.publish(OutgoingMessage(routingKey: queue, body: [UInt8(index)])) }
            let consumer = try await broker.consume(queue: queue, prefetch: 3)
            var held: [Delivery] = []
            for _ in 0..<3 { held.append(try await consumer.next()) }
            let status = try await broker.inspectQueue(queue)
            #expect(status.readyMessages == 7)
            for delivery in held { try await delivery.ack() }
            for _ in 0..<7 { try await consumer.next().ack() }
            #expect(held.map(\.body) == [[0], [1], [2]])
        }
    }
}
