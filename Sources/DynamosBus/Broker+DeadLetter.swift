import Foundation

extension Broker {
    /// The header that says why a message was dead-lettered by Dynamos.
    public static var deadLetterReasonHeader: String { "x-dynamos-reason" }
    /// The header that names the queue the message was taken from.
    public static var deadLetterSourceHeader: String { "x-dynamos-source-queue" }
    /// The header that says when (seconds since the Unix epoch) the message was dead-lettered.
    public static var deadLetterTimeHeader: String { "x-dynamos-dead-at" }

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
        properties.headers[Self.deadLetterReasonHeader] = .string(reason)
        properties.headers[Self.deadLetterSourceHeader] = .string(delivery.queue)
        properties.headers[Self.deadLetterTimeHeader] = .int(Int64(Date().timeIntervalSince1970))
        try await publish(OutgoingMessage(exchange: exchange, routingKey: queue, body: delivery.body, properties: properties))
        try await delivery.ack()
    }
}
