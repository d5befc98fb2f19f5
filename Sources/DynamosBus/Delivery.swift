/// A message the broker delivered to a consumer, with the means to settle it.
///
/// Every delivery must be settled exactly once: ``ack()`` after its work is safely handed on, ``nack(requeue:)``
/// or ``reject(requeue:)`` to give it back or dead-letter it. A delivery that is never settled stays unacked and is
/// redelivered when its connection or consumer goes away, so a crash loses nothing.
public struct Delivery: Sendable {
    public let body: [UInt8]
    public let properties: MessageProperties
    public let exchange: String
    public let routingKey: String
    /// The queue this delivery came from.
    public let queue: String
    /// True when the broker delivered this message before and it was not acknowledged.
    public let redelivered: Bool
    /// The broker's delivery tag, unique per channel and connection.
    public let deliveryTag: UInt64

    let channel: UInt16
    let generation: UInt64
    let settler: any DeliverySettler

    /// Acknowledges the delivery: the broker forgets the message.
    /// - Throws: ``AMQPError/Code/staleDelivery`` when the connection was replaced since the delivery (the
    ///   broker redelivers the message), or ``AMQPError/Code/closed``.
    public func ack() async throws(AMQPError) {
        try await settler.settle(self, as: .ack)
    }

    /// Negatively acknowledges the delivery: requeued for another consumer, or dead-lettered when
    /// `requeue` is false.
    public func nack(requeue: Bool) async throws(AMQPError) {
        try await settler.settle(self, as: .nack(requeue: requeue))
    }

    /// Rejects the delivery: requeued, or dead-lettered (reason `rejected` in `x-death`) when `requeue` is false.
    public func reject(requeue: Bool) async throws(AMQPError) {
        try await settler.settle(self, as: .reject(requeue: requeue))
    }
}

/// How a delivery is settled.
enum Settlement: Sendable, Equatable {
    case ack
    case nack(requeue: Bool)
    case reject(requeue: Bool)
}

/// Carries a settlement back to the thread that owns the delivery's connection.
protocol DeliverySettler: Sendable {
    func settle(_ delivery: Delivery, as settlement: Settlement) async throws(AMQPError)
}
