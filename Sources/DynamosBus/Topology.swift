/// An exchange to declare, as the broker should keep it.
public struct ExchangeDeclaration: Sendable, Hashable {
    /// The AMQP exchange types.
    public enum Kind: String, Sendable, Hashable {
        case direct, topic, fanout, headers
    }

    public var name: String
    public var kind: Kind
    public var durable: Bool
    public var autoDelete: Bool
    public var isInternal: Bool
    public var arguments: FieldTable

    public init(
        name: String, kind: Kind = .topic, durable: Bool = true, autoDelete: Bool = false, isInternal: Bool = false,
        arguments: FieldTable = [:]
    ) {
        self.name = name
        self.kind = kind
        self.durable = durable
        self.autoDelete = autoDelete
        self.isInternal = isInternal
        self.arguments = arguments
    }
}

/// A queue to declare, with the RabbitMQ arguments Dynamos relies on spelled out as properties.
///
/// Worker queues are durable quorum queues with a delivery limit and a dead-letter target, so a message that
/// keeps failing ends in `dynamos.<party>.dead` instead of looping; ephemeral queues add `expires`.
public struct QueueDeclaration: Sendable, Hashable {
    /// RabbitMQ queue types (`x-queue-type`).
    public enum Kind: String, Sendable, Hashable {
        case classic, quorum
    }

    public var name: String
    public var kind: Kind
    public var durable: Bool
    public var exclusive: Bool
    public var autoDelete: Bool
    /// Dead-letter exchange (`x-dead-letter-exchange`); `""` is the default exchange.
    public var deadLetterExchange: String?
    /// Routing key for dead letters (`x-dead-letter-routing-key`).
    public var deadLetterRoutingKey: String?
    /// How many deliveries before a message is dead-lettered (`x-delivery-limit`, quorum queues).
    public var deliveryLimit: Int?
    /// Delete the queue after it has been unused this long (`x-expires`).
    public var expires: Duration?
    /// Drop or dead-letter messages older than this (`x-message-ttl`).
    public var messageTTL: Duration?
    /// Further arguments, passed as they are.
    public var arguments: FieldTable

    public init(
        name: String, kind: Kind = .classic, durable: Bool = true, exclusive: Bool = false,
        autoDelete: Bool = false, deadLetterExchange: String? = nil, deadLetterRoutingKey: String? = nil,
        deliveryLimit: Int? = nil, expires: Duration? = nil, messageTTL: Duration? = nil,
        arguments: FieldTable = [:]
    ) {
        self.name = name
        self.kind = kind
        self.durable = durable
        self.exclusive = exclusive
        self.autoDelete = autoDelete
        self.deadLetterExchange = deadLetterExchange
        self.deadLetterRoutingKey = deadLetterRoutingKey
        self.deliveryLimit = deliveryLimit
        self.expires = expires
        self.messageTTL = messageTTL
        self.arguments = arguments
    }

    /// The arguments table sent with `queue.declare`.
    var allArguments: FieldTable {
        var table = arguments
        if kind == .quorum { table["x-queue-type"] = .string(kind.rawValue) }
        if let deadLetterExchange { table["x-dead-letter-exchange"] = .string(deadLetterExchange) }
        if let deadLetterRoutingKey { table["x-dead-letter-routing-key"] = .string(deadLetterRoutingKey) }
        if let deliveryLimit { table["x-delivery-limit"] = .int(Int64(deliveryLimit)) }
        if let expires { table["x-expires"] = .int(expires.wholeMilliseconds) }
        if let messageTTL { table["x-message-ttl"] = .int(messageTTL.wholeMilliseconds) }
        return table
    }
}

/// A binding from an exchange to a queue.
public struct QueueBinding: Sendable, Hashable {
    public var queue: String
    public var exchange: String
    public var routingKey: String
    public var arguments: FieldTable

    public init(queue: String, exchange: String, routingKey: String, arguments: FieldTable = [:]) {
        self.queue = queue
        self.exchange = exchange
        self.routingKey = routingKey
        self.arguments = arguments
    }
}

/// What a (passive) queue declare reports: messages ready for delivery and consumers attached.
public struct QueueStatus: Sendable, Hashable {
    public var name: String
    public var readyMessages: Int
    public var consumers: Int

    public init(name: String, readyMessages: Int, consumers: Int) {
        self.name = name
        self.readyMessages = readyMessages
        self.consumers = consumers
    }
}

extension Duration {
    var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
