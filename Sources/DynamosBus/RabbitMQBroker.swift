import Foundation
public import Logging

/// A ``Broker`` over one RabbitMQ connection through rabbitmq-c.
///
/// One dedicated thread owns the connection (rabbitmq-c connections must never be shared): it keeps reading
/// frames and sending heartbeats while handlers run on the concurrency pool, however long they take. Publishes
/// and acks are handed to that thread and it is woken at once. When the connection drops, the thread reconnects
/// with backoff, declares the recorded topology again and resubscribes the consumers; publishes that were not
/// confirmed fail with ``AMQPError/Code/connectionLost`` instead of vanishing.
///
/// Call ``close()`` when done: the thread keeps the connection until then.
public final class RabbitMQBroker: Broker, DeliverySettler, ConsumerCanceller {
    /// How to connect and behave.
    public struct Configuration: Sendable {
        public var endpoint: BrokerEndpoint
        /// Shown by `rabbitmqctl list_connections name`.
        public var connectionName: String
        /// Most publishes awaiting a confirm at once; more wait in order.
        public var publishWindow: Int
        /// Keep trying when the very first connect fails (daemons), instead of throwing (tools, tests).
        public var retryFirstConnect: Bool
        /// How long a publish, ack or declaration waits for the connection to come back before it fails with
        /// ``AMQPError/Code/connectionLost``; nil waits as long as the outage lasts.
        public var maximumWaitWhileDisconnected: Duration?

        public init(
            endpoint: BrokerEndpoint, connectionName: String = "dynamos", publishWindow: Int = 1024,
            retryFirstConnect: Bool = false, maximumWaitWhileDisconnected: Duration? = .seconds(30)
        ) {
            self.endpoint = endpoint
            self.connectionName = connectionName
            self.publishWindow = publishWindow
            self.retryFirstConnect = retryFirstConnect
            self.maximumWaitWhileDisconnected = maximumWaitWhileDisconnected
        }
    }

    public let configuration: Configuration
    /// Connects, losses and recoveries so far.
    public let statistics = ConnectionStatistics()
    private let inbox = ConnectionInbox()
    private let logger: Logger

    private init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Opens a connection and starts its thread.
    /// - Throws: ``AMQPError`` when the first connect fails and `retryFirstConnect` is off.
    public static func connect(_ configuration: Configuration, logger: Logger) async throws(AMQPError) -> RabbitMQBroker {
        let broker = RabbitMQBroker(configuration: configuration, logger: logger)
        let result: Result<Void, AMQPError> = await withCheckedContinuation { continuation in
            broker.startThread { continuation.resume(returning: $0) }
        }
        try result.get()
        return broker
    }

    /// Connects to `endpoint` with default settings.
    public static func connect(
        to endpoint: BrokerEndpoint, name: String = "dynamos", logger: Logger
    ) async throws(AMQPError) -> RabbitMQBroker {
        try await connect(Configuration(endpoint: endpoint, connectionName: name), logger: logger)
    }

    private func startThread(firstConnect: @escaping @Sendable (Result<Void, AMQPError>) -> Void) {
        let loop = ConnectionLoop(
            endpoint: configuration.endpoint, connectionName: configuration.connectionName, logger: logger,
            inbox: inbox, statistics: statistics, publishWindow: configuration.publishWindow,
            maximumWaitWhileDisconnected: configuration.maximumWaitWhileDisconnected, driver: self)
        let retry = configuration.retryFirstConnect
        let handoff = ThreadHandoff(loop: loop)
        let thread = Thread { handoff.loop.run(retryFirstConnect: retry, firstConnect: firstConnect) }
        thread.name = "amqp:\(configuration.connectionName)"
        thread.start()
    }

    /// Runs `body` on the connection thread and returns its result; not cancellable, like every operation here
    /// (one completion per command, resumed by the thread: see ``ConnectionInbox`` for why no WaitingRoom).
    private func onConnectionThread<T: Sendable>(
        _ body: @escaping @Sendable (ConnectionLoop) throws(AMQPError) -> T
    ) async throws(AMQPError) -> T {
        let result: Result<T, AMQPError> = await withCheckedContinuation { continuation in
            inbox.submit(
                ConnectionInbox.Command(
                    run: { loop in
                        do throws(AMQPError) {
                            continuation.resume(returning: .success(try body(loop)))
                        } catch {
                            continuation.resume(returning: .failure(error))
                        }
                    },
                    fail: { continuation.resume(returning: .failure($0)) }))
        }
        return try result.get()
    }

    public func declare(_ exchange: ExchangeDeclaration) async throws(AMQPError) {
        try await onConnectionThread { loop throws(AMQPError) in
            try loop.declareExchange(exchange)
            loop.topology.record(exchange)
        }
    }

    public func inspectExchange(_ name: String) async throws(AMQPError) {
        try await onConnectionThread { loop throws(AMQPError) in
            try loop.declareExchange(ExchangeDeclaration(name: name), passive: true)
        }
    }

    @discardableResult
    public func declare(_ queue: QueueDeclaration) async throws(AMQPError) -> QueueStatus {
        try await onConnectionThread { loop throws(AMQPError) in
            let status = try loop.declareQueue(queue, passive: false)
            loop.topology.record(queue)
            return status
        }
    }

    public func bind(_ binding: QueueBinding) async throws(AMQPError) {
        try await onConnectionThread { loop throws(AMQPError) in
            try loop.bind(binding)
            loop.topology.record(binding)
        }
    }

    public func unbind(_ binding: QueueBinding) async throws(AMQPError) {
        try await onConnectionThread { loop throws(AMQPError) in
            try loop.unbind(binding)
            loop.topology.forget(binding)
        }
    }

    @discardableResult
    public func deleteQueue(_ name: String, ifUnused: Bool, ifEmpty: Bool) async throws(AMQPError) -> Int {
        try await onConnectionThread { loop throws(AMQPError) in
            let count = try loop.deleteQueue(name, ifUnused: ifUnused, ifEmpty: ifEmpty)
            loop.topology.forgetQueue(name)
            return count
        }
    }

    public func deleteExchange(_ name: String) async throws(AMQPError) {
        try await onConnectionThread { loop throws(AMQPError) in
            try loop.deleteExchange(name)
            loop.topology.forgetExchange(name)
        }
    }

    @discardableResult
    public func purgeQueue(_ name: String) async throws(AMQPError) -> Int {
        try await onConnectionThread { loop throws(AMQPError) in try loop.purgeQueue(name) }
    }

    public var user: String { configuration.endpoint.user }

    public func inspectQueue(_ name: String) async throws(AMQPError) -> QueueStatus {
        try await onConnectionThread { loop throws(AMQPError) in
            try loop.declareQueue(QueueDeclaration(name: name), passive: true)
        }
    }

    public func publish(_ message: OutgoingMessage) async throws(AMQPError) {
        try await publish(message, thenAck: nil)
    }

    /// When the delivery came from this connection, the ack follows the confirm on the connection thread itself:
    /// no round trip through the caller in between.
    public func forward(_ message: OutgoingMessage, settling delivery: Delivery) async throws(AMQPError) {
        guard (delivery.settler as? RabbitMQBroker) === self else {
            try await publish(message)
            try await delivery.ack()
            return
        }
        try await publish(message, thenAck: delivery)
    }

    private func publish(_ message: OutgoingMessage, thenAck delivery: Delivery?) async throws(AMQPError) {
        let ready = message
        let result: Result<Void, AMQPError> = await withCheckedContinuation { continuation in
            inbox.submit(
                ConnectionInbox.Command(
                    run: { loop in
                        loop.publish(ready) { confirmed in
                            guard let delivery, case .success = confirmed else {
                                return continuation.resume(returning: confirmed)
                            }
                            continuation.resume(returning: Result { () throws(AMQPError) in
                                try loop.settle(delivery, as: .ack)
                            })
                        }
                    },
                    fail: { continuation.resume(returning: .failure($0)) }))
        }
        try result.get()
    }

    public func consume(
        queue: String, prefetch: UInt16, arguments: FieldTable
    ) async throws(AMQPError) -> MessageConsumer {
        let tag = "\(configuration.connectionName).\(UUID().uuidString.prefix(8))"
        let (stream, continuation) = AsyncThrowingStream<Delivery, any Error>.makeStream()
        continuation.onTermination = { [inbox] termination in
            // The consuming task was cancelled: stop the subscription so the broker delivers elsewhere.
            guard case .cancelled = termination else { return }
            inbox.submit(
                ConnectionInbox.Command(run: { loop in try? loop.cancelConsumer(tag: tag) }, fail: { _ in }))
        }
        try await onConnectionThread { loop throws(AMQPError) in
            try loop.startConsumer(
                queue: queue, prefetch: prefetch, arguments: arguments, tag: tag, continuation: continuation)
        }
        return MessageConsumer(tag: tag, queue: queue, stream: stream, canceller: self)
    }

    func cancelConsumer(tag: String) async throws(AMQPError) {
        try await onConnectionThread { loop throws(AMQPError) in try loop.cancelConsumer(tag: tag) }
    }

    func settle(_ delivery: Delivery, as settlement: Settlement) async throws(AMQPError) {
        try await onConnectionThread { loop throws(AMQPError) in try loop.settle(delivery, as: settlement) }
    }

    /// Closes the connection: operations already submitted still run, sent publishes get a few seconds for their
    /// confirms, then the thread ends. Later calls fail with ``AMQPError/Code/closed``.
    public func close() async {
        await inbox.closeAndWait()
    }
}

/// Moves the loop onto its thread. Sound because the creating thread never touches the loop again: from here on
/// it is confined to the connection thread.
private struct ThreadHandoff: @unchecked Sendable {
    let loop: ConnectionLoop
}
