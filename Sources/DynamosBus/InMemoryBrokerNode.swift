import DequeModule
import Synchronization

/// A broker in memory, for unit tests of the logic above the bus (agent, orchestrator, control bus) that should
/// not need a RabbitMQ node: the `EmbeddedChannel` beside ``RabbitMQBroker``.
///
/// It keeps what Dynamos relies on from RabbitMQ: exchanges (direct, topic, fanout) and the default exchange,
/// queues with bindings, mandatory publishes that fail when unroutable, per-consumer prefetch, the single active
/// consumer, acks, requeues with `redelivered` set, dead-lettering with `x-death` on reject, nack and the quorum
/// delivery limit, the publisher's `user_id` stamped from its connection, and a closed connection's unsettled
/// deliveries requeued. It does not model permissions, TTLs, `x-expires`, length limits, policies or clustering:
/// tests of those run against the real broker. Each ``connect(user:)`` is one connection, so a test can play
/// several parties.
public final class InMemoryBrokerNode: Sendable {
    let state = Mutex(NodeState())

    public init() {}

    /// A new connection that publishes as `user`.
    public func connect(user: String) -> InMemoryBroker {
        let id = state.withLock { state in
            state.nextConnection += 1
            state.openConnections.insert(state.nextConnection)
            return state.nextConnection
        }
        return InMemoryBroker(node: self, user: user, connection: id)
    }

    /// Runs `body` on the state once `connection` is known to be open.
    func withOpenState<T>(
        of connection: UInt64, user: String, _ body: (inout NodeState) throws(AMQPError) -> T
    ) throws(AMQPError) -> T {
        try state.withLock { (state: inout NodeState) throws(AMQPError) -> T in
            guard state.openConnections.contains(connection) else {
                throw AMQPError(.closed, message: "the in-memory connection of \(user) is closed")
            }
            return try body(&state)
        }
    }

    /// The messages ready in `queue` (not delivered, or requeued), oldest first; nil when the queue does not exist.
    public func readyMessages(in queue: String) -> [InMemoryMessage]? {
        state.withLock { $0.queues[queue].map { Array($0.ready) } }
    }

    /// How many deliveries of `queue` wait for their consumer's ack; nil when the queue does not exist.
    public func unacknowledgedCount(in queue: String) -> Int? {
        state.withLock { state in
            state.queues[queue] == nil ? nil : state.unacked.values.filter { $0.queue == queue }.count
        }
    }
}

/// A message as the in-memory broker holds it.
public struct InMemoryMessage: Sendable {
    public var exchange: String
    public var routingKey: String
    public var body: [UInt8]
    public var properties: MessageProperties
    /// How many times it has been delivered (the quorum queue's delivery count).
    public var deliveries: Int = 0
}

/// A consumer attached to a queue of the in-memory broker.
struct MemoryConsumer {
    let tag: String
    let connection: UInt64
    let prefetch: Int
    let continuation: AsyncThrowingStream<Delivery, any Error>.Continuation
    /// The connection, which settles the deliveries it was handed.
    let settler: any DeliverySettler
    var unacked = 0
}

/// A queue of the in-memory broker: its declaration, ready messages and consumers.
struct MemoryQueue {
    let declaration: QueueDeclaration
    var ready: Deque<InMemoryMessage> = []
    var consumers: [MemoryConsumer] = []
    /// Where round-robin dispatch continues.
    var nextConsumer = 0

    var singleActiveConsumer: Bool { declaration.arguments["x-single-active-consumer"] == .bool(true) }
}

/// A delivery handed to a consumer and not yet settled.
struct UnackedDelivery {
    let queue: String
    let consumer: String
    let connection: UInt64
    let message: InMemoryMessage
}

/// Everything the in-memory broker holds, behind one lock.
struct NodeState {
    var exchanges: [String: ExchangeDeclaration] = [:]
    var queues: [String: MemoryQueue] = [:]
    var bindings: Set<QueueBinding> = []
    var unacked: [UInt64: UnackedDelivery] = [:]
    var openConnections: Set<UInt64> = []
    var nextConnection: UInt64 = 0
    var nextDeliveryTag: UInt64 = 0
    var nextConsumerTag = 0

    /// The queues a message published to `exchange` with `routingKey` reaches.
    func destinations(exchange: String, routingKey: String) throws(AMQPError) -> [String] {
        if exchange.isEmpty { return queues[routingKey] == nil ? [] : [routingKey] }
        guard let declaration = exchanges[exchange] else { throw Self.notFound("exchange '\(exchange)'") }
        let matching = bindings.filter { binding in
            guard binding.exchange == exchange else { return false }
            switch declaration.kind {
            case .fanout: return true
            case .topic: return TopicPattern.matches(binding.routingKey, routingKey)
            case .direct, .headers: return binding.routingKey == routingKey
            }
        }
        return Set(matching.map(\.queue)).sorted()
    }

    /// Puts `message` into the queues it routes to; returns how many.
    @discardableResult
    mutating func route(_ message: InMemoryMessage) throws(AMQPError) -> Int {
        let targets = try destinations(exchange: message.exchange, routingKey: message.routingKey)
        for queue in targets {
            queues[queue]?.ready.append(message)
            dispatch(queue)
        }
        return targets.count
    }

    /// Hands ready messages of `queue` to consumers with room under their prefetch, round robin.
    mutating func dispatch(_ name: String) {
        guard var queue = queues[name] else { return }
        defer { queues[name] = queue }
        while !queue.ready.isEmpty, !queue.consumers.isEmpty {
            let count = queue.consumers.count
            let ordered = queue.singleActiveConsumer ? [0] : (0..<count).map { (queue.nextConsumer + $0) % count }
            guard let index = ordered.first(where: {
                queue.consumers[$0].prefetch == 0 || queue.consumers[$0].unacked < queue.consumers[$0].prefetch
            }) else { return }
            var message = queue.ready.removeFirst()
            message.deliveries += 1
            nextDeliveryTag += 1
            queue.consumers[index].unacked += 1
            queue.nextConsumer = index + 1
            let consumer = queue.consumers[index]
            unacked[nextDeliveryTag] = UnackedDelivery(
                queue: name, consumer: consumer.tag, connection: consumer.connection, message: message)
            consumer.continuation.yield(
                Delivery(
                    body: message.body, properties: message.properties, exchange: message.exchange,
                    routingKey: message.routingKey, queue: name, redelivered: message.deliveries > 1,
                    deliveryTag: nextDeliveryTag, channel: 1, generation: consumer.connection,
                    settler: consumer.settler))
        }
    }

    static func notFound(_ what: String) -> AMQPError {
        AMQPError(.channelClosed, replyCode: 404, message: "NOT_FOUND - no \(what) in vhost '/'")
    }

    static func preconditionFailed(_ why: String) -> AMQPError {
        AMQPError(.channelClosed, replyCode: 406, message: "PRECONDITION_FAILED - \(why)")
    }
}

/// AMQP topic matching: words split by dots, `*` one word, `#` zero or more.
enum TopicPattern {
    static func matches(_ pattern: String, _ key: String) -> Bool {
        matches(pattern.split(separator: ".", omittingEmptySubsequences: false)[...],
                key.split(separator: ".", omittingEmptySubsequences: false)[...])
    }

    private static func matches(_ pattern: ArraySlice<Substring>, _ key: ArraySlice<Substring>) -> Bool {
        guard let head = pattern.first else { return key.isEmpty }
        if head == "#" {
            let rest = pattern.dropFirst()
            return (0...key.count).contains { matches(rest, key.dropFirst($0)) }
        }
        guard let word = key.first, head == "*" || head == word else { return false }
        return matches(pattern.dropFirst(), key.dropFirst())
    }
}
