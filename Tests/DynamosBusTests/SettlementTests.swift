import DynamosBus
import DynamosTestSupport
import Testing

@Suite("Settling and returns are exact", .timeLimit(.minutes(2)))
struct SettlementTests {
    @Test("a second ack of the same delivery is refused and touches no other message")
    func doubleAckRefused() async throws {
        try await TestBroker.with { broker in
            let queue = try await TestBroker.scratchQueue("double-ack", on: broker)
            for index in 0..<2 { try await broker.publish(OutgoingMessage(routingKey: queue, body: [UInt8(index)])) }
            let consumer = try await broker.consume(queue: queue, prefetch: 2)
            let first = try await consumer.next()
            let second = try await consumer.next()
            try await first.ack()
            let again = await #expect(throws: AMQPError.self) { try await first.ack() }
            #expect(again?.code == .alreadySettled)
            try await second.nack(requeue: true)
            let redelivered = try await consumer.next()
            #expect(redelivered.body == [1])
            try await redelivered.ack()
            #expect(broker.statistics.lossCount == 0)
        }
    }

    @Test("returns are matched per publish, even when message ids repeat")
    func returnsMatchedPerPublish() async throws {
        try await TestBroker.with { broker in
            let queue = try await TestBroker.scratchQueue("same-id", on: broker)
            let missing = TestBroker.uniqueName("missing")
            let properties = MessageProperties(messageID: "request-1")
            let outcomes = await withTaskGroup(of: (String, Bool).self) { group in
                for (index, target) in [queue, missing, queue, missing].enumerated() {
                    group.addTask {
                        let ok = (try? await broker.publish(
                            OutgoingMessage(routingKey: target, body: [UInt8(index)], properties: properties))) != nil
                        return (target, ok)
                    }
                }
                var collected: [(String, Bool)] = []
                for await outcome in group { collected.append(outcome) }
                return collected
            }
            #expect(outcomes.filter { $0.0 == queue }.allSatisfy { $0.1 })
            #expect(outcomes.filter { $0.0 == missing }.allSatisfy { !$0.1 })
            let status = try await broker.inspectQueue(queue)
            #expect(status.readyMessages == 2)
            let delivery = try await broker.consume(queue: queue, prefetch: 1).next()
            #expect(delivery.properties.headers.isEmpty)
            try await delivery.ack()
        }
    }

    @Test("when the consuming task is cancelled, the subscription stops and its message goes back")
    func cancelledTaskCancelsTheConsumer() async throws {
        try await TestBroker.with { broker in
            let queue = try await TestBroker.scratchQueue("task-cancel", on: broker)
            let consumer = try await broker.consume(queue: queue, prefetch: 1)
            let task = Task {
                for try await delivery in consumer { try await delivery.ack() }
            }
            task.cancel()
            _ = await task.result
            try await within(.seconds(10), "the consumer to go away") {
                while try await broker.inspectQueue(queue).consumers > 0 { try await Task.sleep(for: .milliseconds(20)) }
            }
            try await broker.publish(OutgoingMessage(routingKey: queue, body: [1]))
            #expect(try await broker.inspectQueue(queue).readyMessages == 1)
        }
    }
}
