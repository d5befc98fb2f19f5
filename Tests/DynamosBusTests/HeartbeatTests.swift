import DynamosBus
import Foundation
import Testing

@Suite("The connection thread keeps the connection alive", .timeLimit(.minutes(2)))
struct HeartbeatTests {
    @Test("a handler blocking 30 s does not cost a connection with a 5 s heartbeat")
    func blockingHandlerKeepsConnection() async throws {
        let url = try TestBroker.endpoint
        let heartbeatURL = "amqp://\(url.user):\(url.password)@\(url.host):\(url.port)/?heartbeat=5"
        try await TestBroker.with(url: heartbeatURL) { broker in
            #expect(broker.configuration.endpoint.heartbeatSeconds == 5)
            let queue = try await TestBroker.scratchQueue("heartbeat", on: broker)
            try await broker.publish(OutgoingMessage(routingKey: queue, body: [1]))
            let consumer = try await broker.consume(queue: queue, prefetch: 1)
            let delivery = try await consumer.next()

            // The handler blocks a whole OS thread for 30 s: six heartbeat intervals.
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                Thread.detachNewThread {
                    Thread.sleep(forTimeInterval: 30)
                    done.resume()
                }
            }

            try await delivery.ack()
            #expect(broker.statistics.lossCount == 0)
            #expect(broker.statistics.connectCount == 1)
            let status = try await broker.inspectQueue(queue)
            #expect(status.consumers == 1)
            #expect(status.readyMessages == 0)
        }
    }
}
