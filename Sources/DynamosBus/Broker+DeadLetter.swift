import Foundation

/// The headers Dynamos puts on a message it dead-letters, read back by the dead-letter desk: one definition, not a
/// property of any one broker implementation.
public enum DeadLetterHeaders {
    /// Why the message was dead-lettered.
    public static let reason = "x-dynamos-reason"
    /// The queue the message was taken from.
    public static let sourceQueue = "x-dynamos-source-queue"
    /// When (seconds since the Unix epoch) the message was dead-lettered.
    public static let deadAt = "x-dynamos-dead-at"
}

extension Broker {
    /// Moves a delivery to a dead-letter queue with a reason, then acknowledges it.
    ///
    /// `reject(requeue: false)` dead-letters too, but the broker can only say `rejected`; this keeps the reason a
    /// person needs ("undecodable protobuf: truncated message") next to the message. The copy is confirmed before
    /// the original is acknowledged, so a crash in between leaves a duplicate, never a loss.
    public func deadLetter(
        _ delivery: Delivery, reason: String, to queue: String, exchange: String = ""
    ) async throws(AMQPError) {
        var properties = delivery.properties
        properties.persistent = true
        properties.headers[DeadLetterHeaders.reason] = .string(reason)
        properties.headers[DeadLetterHeaders.sourceQueue] = .string(delivery.queue)
        properties.headers[DeadLetterHeaders.deadAt] = .int(Int64(Date().timeIntervalSince1970))
        try await publish(OutgoingMessage(exchange: exchange, routingKey: queue, body: delivery.body, properties: properties))
        try await delivery.ack()
    }
}
