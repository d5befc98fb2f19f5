import DynamosBus
import Testing

@Suite("Nothing is lost when a consumer dies", .timeLimit(.minutes(2)))
struct RedeliveryTests {
    @Test("a consumer whose connection closes without acking: the message goes to another consumer")
    func redeliveredToAnotherConsumer() async throws {
        try await TestBroker.with { survivor in
            let queue = try await TestBroker.scratchQueue("redelivery", on: survivor)
            try await survivor.publish(OutgoingMessage(routingKey: queue, body: Array("work".utf8)))

            let doomed = try await TestBroker.connect("doomed")
            let doomedConsumer = try await doomed.consume(queue: queue, prefetch: 1)
            let unacked = try await doomedConsumer.next()
            #expect(!unacked.redelivered)
            let backup = try await survivor.consume(queue: queue, prefetch: 1)
            await doomed.close()

            let redelivered = try await backup.next()
            #expect(redelivered.body == Array("work".utf8))
            #expect(redelivered.redelivered)
            try await redelivered.ack()

            let stale = await #expect(throws: AMQPError.self) { try await unacked.ack() }
            #expect(stale?.code == .closed)
            #expect(try await survivor.inspectQueue(queue).readyMessages == 0)
        }
    }
}
