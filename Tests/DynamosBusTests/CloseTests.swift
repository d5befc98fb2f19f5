import DynamosBus
import DynamosTestSupport
import Testing

@Suite("Closing a connection", .timeLimit(.minutes(1)))
struct CloseTests {
    @Test("a close from a cancelled task still waits for the connection to end; publishes sent before it are not lost")
    func cancelledClose() async throws {
        let broker = try await TestBroker.connect()
        let queue = try await TestBroker.scratchQueue("cancelledclose", on: broker)
        let idle = try await TestBroker.scratchQueue("cancelledclose.idle", on: broker)
        let consumer = try await broker.consume(queue: idle, prefetch: 1)
        let confirmed = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<200 {
                group.addTask {
                    (try? await broker.publish(OutgoingMessage(routingKey: queue, body: [UInt8(index % 256)]))) != nil
                }
            }
            var confirmed = try await group.next() == true ? 1 : 0
            let closing = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                await broker.close()
            }
            await closing.value
            let ended = try await within(.seconds(2), "the consumer's end") {
                var deliveries = consumer.makeAsyncIterator()
                return try await deliveries.next() == nil
            }
            #expect(ended, "close returned after the connection thread finished its consumers")
            for try await sent in group where sent { confirmed += 1 }
            return confirmed
        }
        #expect(confirmed > 0)
        try await TestBroker.with { other in
            let ready = try await other.inspectQueue(queue).readyMessages
            #expect(ready >= confirmed, "every confirmed publish is in the queue")
        }
    }
}
