/// One connection to an ``InMemoryBrokerNode``: a ``Broker`` for unit tests, publishing as its user.
///
/// Every operation takes effect before it returns (a publish is "confirmed" once routed). After ``close()``
/// operations fail with ``AMQPError/Code/closed``, its consumers' sequences end and its unsettled deliveries go
/// back to their queues, redelivered to other consumers, as a lost connection's do on RabbitMQ.
public final class InMemoryBroker: Broker {
    public let node: InMemoryBrokerNode
    public let user: String
    let connection: UInt64
    /// Settles this connection's deliveries and cancels its consumers.
    private let settler: ConnectionSettler

    init(node: InMemoryBrokerNode, user: String, connection: UInt64) {
        self.node = node
        self.user = user
        self.connection = connection
        settler = ConnectionSettler(node: node, connection: connection, user: user)
    }

    /// Runs `body` on the node's state once this connection is known to be open.
    private func withOpenState<T>(_ body: (inout NodeState) throws(AMQPError) -> T) throws(AMQPError) -> T {
        try node.withOpenState(of: connection, user: user, body)
    }

    public func declare(_ exchange: ExchangeDeclaration) async throws(AMQPError) {
        try withOpenState { state throws(AMQPError) in
            if let existing = state.exchanges[exchange.name], existing != exchange {
                throw NodeState.preconditionFailed("inequivalent arg for exchange '\(exchange.name)'")
            }
            state.exchanges[exchange.name] = exchange
        }
    }

    public func inspectExchange(_ name: String) async throws(AMQPError) {
        try withOpenState { state throws(AMQPError) in
            guard state.exchanges[name] != nil else { throw NodeState.notFound("exchange '\(name)'") }
        }
    }

    @discardableResult
    public func declare(_ queue: QueueDeclaration) async throws(AMQPError) -> QueueStatus {
        try withOpenState { state throws(AMQPError) in
            if let existing = state.queues[queue.name] {
                guard existing.declaration == queue else {
                    throw NodeState.preconditionFailed("inequivalent arg for queue '\(queue.name)'")
                }
            } else {
                state.queues[queue.name] = MemoryQueue(declaration: queue)
            }
            return state.status(of: queue.name)
        }
    }

    public func bind(_ binding: QueueBinding) async throws(AMQPError) {
        try withOpenState { state throws(AMQPError) in
            guard state.queues[binding.queue] != nil else { throw NodeState.notFound("queue '\(binding.queue)'") }
            guard state.exchanges[binding.exchange] != nil else {
                throw NodeState.notFound("exchange '\(binding.exchange)'")
            }
            state.bindings.insert(binding)
        }
    }

    public func unbind(_ binding: QueueBinding) async throws(AMQPError) {
        try withOpenState { state throws(AMQPError) in _ = state.bindings.remove(binding) }
    }

    @discardableResult
    public func deleteQueue(_ name: String, ifUnused: Bool, ifEmpty: Bool) async throws(AMQPError) -> Int {
        let (count, consumers) = try withOpenState { state throws(AMQPError) in
            guard let queue = state.queues[name] else { return (0, [MemoryConsumer]()) }
            if ifUnused, !queue.consumers.isEmpty { throw NodeState.preconditionFailed("queue '\(name)' in use") }
            if ifEmpty, !queue.ready.isEmpty { throw NodeState.preconditionFailed("queue '\(name)' not empty") }
            state.queues[name] = nil
            state.bindings = state.bindings.filter { $0.queue != name }
            state.unacked = state.unacked.filter { $0.value.queue != name }
            return (queue.ready.count, queue.consumers)
        }
        // Ended outside the lock: finishing runs a stream's termination handler, which takes the lock.
        for consumer in consumers {
            consumer.continuation.finish(
                throwing: AMQPError(.consumerCancelled, message: "queue '\(name)' was deleted"))
        }
        return count
    }

    public func deleteExchange(_ name: String) async throws(AMQPError) {
        try withOpenState { state throws(AMQPError) in
            state.exchanges[name] = nil
            state.bindings = state.bindings.filter { $0.exchange != name }
        }
    }

    @discardableResult
    public func purgeQueue(_ name: String) async throws(AMQPError) -> Int {
        try withOpenState { state throws(AMQPError) in
            guard let count = state.queues[name]?.ready.count else { throw NodeState.notFound("queue '\(name)'") }
            state.queues[name]?.ready.removeAll()
            return count
        }
    }

    public func inspectQueue(_ name: String) async throws(AMQPError) -> QueueStatus {
        try withOpenState { state throws(AMQPError) in
            guard state.queues[name] != nil else { throw NodeState.notFound("queue '\(name)'") }
            return state.status(of: name)
        }
    }

    public func publish(_ message: OutgoingMessage) async throws(AMQPError) {
        var properties = message.properties
        properties.userID = user
        let stored = InMemoryMessage(
            exchange: message.exchange, routingKey: message.routingKey, body: message.body, properties: properties)
        try withOpenState { state throws(AMQPError) in
            if try state.route(stored) == 0, message.mandatory {
                throw AMQPError(
                    .unroutable, replyCode: 312,
                    message: "NO_ROUTE - '\(message.routingKey)' on exchange '\(message.exchange)' reaches no queue")
            }
        }
    }

    public func consume(queue: String, prefetch: UInt16, arguments: FieldTable) async throws(AMQPError)
        -> MessageConsumer
    {
        let (stream, continuation) = AsyncThrowingStream<Delivery, any Error>.makeStream()
        let tag = try withOpenState { state throws(AMQPError) in
            guard state.queues[queue] != nil else { throw NodeState.notFound("queue '\(queue)'") }
            state.nextConsumerTag += 1
            let tag = "amq.ctag-memory-\(state.nextConsumerTag)"
            state.queues[queue]?.consumers.append(
                MemoryConsumer(
                    tag: tag, connection: connection, prefetch: Int(prefetch), continuation: continuation,
                    settler: settler))
            state.dispatch(queue)
            return tag
        }
        // A consuming task that is cancelled ends its subscription, as with RabbitMQBroker: no more deliveries go to
        // a stream nobody reads.
        continuation.onTermination = { [weak node] termination in
            if case .cancelled = termination { _ = node?.state.withLock { $0.removeConsumer(tag) } }
        }
        return MessageConsumer(tag: tag, queue: queue, stream: stream, canceller: settler)
    }

    public func close() async {
        let ended = node.state.withLock { state -> [MemoryConsumer] in
            guard state.openConnections.remove(connection) != nil else { return [] }
            var ended: [MemoryConsumer] = []
            for name in state.queues.keys {
                ended += state.removeConsumers(in: name) { $0.connection == connection }
            }
            let orphaned = state.unacked.filter { $0.value.connection == connection }.sorted { $0.key > $1.key }
            for (tag, delivery) in orphaned {
                state.unacked[tag] = nil
                state.giveBack(delivery.message, to: delivery.queue)
            }
            Set(orphaned.map(\.value.queue)).forEach { state.dispatch($0) }
            return ended
        }
        ended.forEach { $0.continuation.finish() }
    }
}

/// Settles deliveries and cancels consumers of one connection for the node's consumers, holding the node weakly:
/// the node keeps its consumers, so a strong reference back would keep every node of a test alive.
final class ConnectionSettler: DeliverySettler, ConsumerCanceller {
    weak let node: InMemoryBrokerNode?
    let connection: UInt64
    let user: String

    init(node: InMemoryBrokerNode, connection: UInt64, user: String) {
        self.node = node
        self.connection = connection
        self.user = user
    }

    private func withOpenState<T>(_ body: (inout NodeState) throws(AMQPError) -> T) throws(AMQPError) -> T {
        guard let node else { throw AMQPError(.closed, message: "the in-memory broker of \(user) is gone") }
        return try node.withOpenState(of: connection, user: user, body)
    }

    func settle(_ delivery: Delivery, as settlement: Settlement) async throws(AMQPError) {
        try withOpenState { state throws(AMQPError) in
            try state.settle(tag: delivery.deliveryTag, connection: connection, as: settlement)
        }
    }

    func cancelConsumer(tag: String) async throws(AMQPError) {
        let ended = try withOpenState { state throws(AMQPError) in state.removeConsumer(tag) }
        ended.forEach { $0.continuation.finish() }
    }
}
