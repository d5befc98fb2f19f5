public import DynamosBus
public import DynamosMessages
public import DynamosRouteSigning
import Foundation

/// The analyst's end of a chain, for the demo and the chain benchmark: signs a route for each request, publishes
/// the first message and waits for the result with the same request id at the route's results queue.
public struct ChainClient: Sendable {
    public let broker: RabbitMQBroker
    public let signer: RouteSigner
    /// The route every request takes; the last hop is the results queue the client reads.
    public let hops: [String]
    private let inbox: MessageConsumer

    /// Starts consuming the results queue (`hops.last`).
    public init(broker: RabbitMQBroker, signer: RouteSigner, hops: [String]) async throws(AMQPError) {
        self.broker = broker
        self.signer = signer
        self.hops = hops
        inbox = try await broker.consume(queue: hops[hops.count - 1], prefetch: 8)
    }

    /// One request: the result message, its size on the wire, the first message's size and when it was published
    /// (microseconds since the Unix epoch), and the time from publish to result.
    public struct Exchange: Sendable {
        public let result: Dynamos_MicroserviceCommunication
        public let resultBytes: Int
        public let requestBytes: Int
        public let publishedUnixMicros: Int64
        public let latency: Duration
    }

    /// Sends `request` along the route, with `data` as the first message's table when given, and waits for its
    /// result; results of other requests that arrive meanwhile are acknowledged and skipped.
    public func send(_ request: Dynamos_SqlDataRequest, data: Dynamos_Table? = nil) async throws -> Exchange {
        let id = "req-\(UUID().uuidString.prefix(13))"
        var message = try RequestMessage(request: request, jobID: "chain", requestID: id, hops: hops)
            .message(signedBy: signer, expiresAt: UnixTime.now + 300)
        if let data { message.data = data }
        let body: [UInt8] = try message.serializedBytes()
        let published = Int64(Date().timeIntervalSince1970 * 1_000_000)
        let started = ContinuousClock.now
        try await broker.publish(OutgoingMessage(exchange: DynamosTopology.exchangeName, routingKey: hops[0], body: body))
        var iterator = inbox.makeAsyncIterator()
        while let delivery = try await iterator.next() {
            try await delivery.ack()
            let result = try Dynamos_MicroserviceCommunication(serializedBytes: delivery.body)
            guard result.requestMetadata.requestID == id else { continue }
            return Exchange(
                result: result, resultBytes: delivery.body.count, requestBytes: body.count,
                publishedUnixMicros: published, latency: started.duration(to: .now))
        }
        throw BenchError("the results queue \(hops[hops.count - 1]) was closed")
    }

    /// Stops reading the results queue.
    public func close() async throws(AMQPError) {
        try await inbox.cancel()
    }
}
