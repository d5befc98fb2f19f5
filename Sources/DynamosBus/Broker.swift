/// The message bus as the rest of Dynamos sees it: topology, confirmed publishing and consuming.
///
/// ``RabbitMQBroker`` implements it over rabbitmq-c. The protocol is the seam where another transport could be
/// put in, and the contract every implementation keeps: a publish returns only once the broker has taken
/// responsibility for the message (publisher confirm), and deliveries stay with the broker until settled.
public protocol Broker: Sendable {
    /// The broker user this connection authenticated as: every publish carries it as `user_id`.
    var user: String { get }
    /// Declares an exchange (idempotent when the properties match).
    func declare(_ exchange: ExchangeDeclaration) async throws(AMQPError)
    /// A passive declare: nothing when the exchange exists, ``AMQPError`` 404 when it does not. Needs no
    /// configure permission, so a party can check for an exchange it may not declare.
    func inspectExchange(_ name: String) async throws(AMQPError)
    /// Declares a queue and returns its current status. Recorded, so it is declared again after a reconnect.
    @discardableResult
    func declare(_ queue: QueueDeclaration) async throws(AMQPError) -> QueueStatus
    func bind(_ binding: QueueBinding) async throws(AMQPError)
    func unbind(_ binding: QueueBinding) async throws(AMQPError)
    /// Deletes a queue and returns how many messages it held.
    @discardableResult
    func deleteQueue(_ name: String, ifUnused: Bool, ifEmpty: Bool) async throws(AMQPError) -> Int
    func deleteExchange(_ name: String) async throws(AMQPError)
    /// Removes every ready message of a queue; returns how many.
    @discardableResult
    func purgeQueue(_ name: String) async throws(AMQPError) -> Int
    /// A passive declare: the queue's ready messages and consumers, or ``AMQPError`` 404 when it does not exist.
    func inspectQueue(_ name: String) async throws(AMQPError) -> QueueStatus
    /// Publishes and waits for the broker's confirm.
    /// - Throws: ``AMQPError/Code/publishNacked``, ``AMQPError/Code/unroutable`` (mandatory messages),
    ///   ``AMQPError/Code/connectionLost`` when the connection dropped before the confirm arrived.
    func publish(_ message: OutgoingMessage) async throws(AMQPError)
    /// Publishes `message` and, once the broker confirmed it, acknowledges `delivery`: how a worker hands its
    /// result on. If the publish fails the delivery stays unacknowledged (the caller may nack it or let the broker
    /// redeliver it), so a message is never lost between the two.
    func forward(_ message: OutgoingMessage, settling delivery: Delivery) async throws(AMQPError)
    /// Starts consuming a queue with manual acknowledgement and the given prefetch.
    func consume(queue: String, prefetch: UInt16, arguments: FieldTable) async throws(AMQPError) -> MessageConsumer
    /// Closes the connection after the operations already submitted; later ones fail with ``AMQPError/Code/closed``.
    func close() async
}

extension Broker {
    public func forward(_ message: OutgoingMessage, settling delivery: Delivery) async throws(AMQPError) {
        try await publish(message)
        try await delivery.ack()
    }

    @discardableResult
    public func deleteQueue(_ name: String) async throws(AMQPError) -> Int {
        try await deleteQueue(name, ifUnused: false, ifEmpty: false)
    }

    public func consume(queue: String, prefetch: UInt16 = 1) async throws(AMQPError) -> MessageConsumer {
        try await consume(queue: queue, prefetch: prefetch, arguments: [:])
    }
}
