/// A subscription to one queue: an async sequence of deliveries that survives reconnects.
///
/// Created by ``Broker/consume(queue:prefetch:arguments:)``. The broker sends at most `prefetch` unacknowledged
/// deliveries at a time. After a reconnect the consumer is registered again on the new connection and the
/// sequence simply continues; deliveries from before the reconnect can no longer be settled (the broker
/// redelivers them). The sequence ends when the consumer is cancelled or its queue disappears.
public struct MessageConsumer: AsyncSequence, Sendable {
    public typealias Element = Delivery
    public typealias Failure = any Error

    /// The consumer tag the broker knows this subscription by.
    public let tag: String
    public let queue: String
    let stream: AsyncThrowingStream<Delivery, any Error>
    let canceller: any ConsumerCanceller

    public func makeAsyncIterator() -> AsyncThrowingStream<Delivery, any Error>.AsyncIterator {
        stream.makeAsyncIterator()
    }

    /// Stops the subscription. Unsettled deliveries stay valid and can still be acknowledged; messages the
    /// broker had sent but the sequence had not yet handed out are requeued by the broker.
    public func cancel() async throws(AMQPError) {
        try await canceller.cancelConsumer(tag: tag)
    }
}

/// Carries a cancel back to the thread that owns the consumer's connection.
protocol ConsumerCanceller: Sendable {
    func cancelConsumer(tag: String) async throws(AMQPError)
}
