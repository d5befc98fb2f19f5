/// The AMQP basic properties Dynamos sets and reads on a message.
public struct MessageProperties: Sendable, Hashable {
    public var contentType: String?
    public var correlationID: String?
    public var messageID: String?
    public var replyTo: String?
    public var type: String?
    /// Seconds since the Unix epoch (AMQP timestamps have second resolution).
    public var timestamp: UInt64?
    /// Per-message TTL in milliseconds, as RabbitMQ's `expiration` string.
    public var expiration: String?
    /// Persistent messages (delivery mode 2) survive a broker restart in durable queues.
    public var persistent: Bool
    /// The broker user that published the message. The bus sets it on every publish to its own connection's user,
    /// and RabbitMQ refuses a publish whose `user_id` differs from the authenticated user, so a receiver knows who
    /// sent a delivery that carries one. Nil on a delivery means the sender did not say (treat it as unknown).
    public var userID: String?
    public var headers: FieldTable

    public init(
        contentType: String? = nil, correlationID: String? = nil, messageID: String? = nil, replyTo: String? = nil,
        type: String? = nil, timestamp: UInt64? = nil, expiration: String? = nil, persistent: Bool = true,
        userID: String? = nil, headers: FieldTable = [:]
    ) {
        self.contentType = contentType
        self.correlationID = correlationID
        self.messageID = messageID
        self.replyTo = replyTo
        self.type = type
        self.timestamp = timestamp
        self.expiration = expiration
        self.persistent = persistent
        self.userID = userID
        self.headers = headers
    }
}

/// A message to publish: where it goes, what it carries, and whether it must reach a queue.
public struct OutgoingMessage: Sendable {
    /// The exchange; `""` is the default exchange, which routes by queue name.
    public var exchange: String
    public var routingKey: String
    public var body: [UInt8]
    public var properties: MessageProperties
    /// When set, a message that matches no queue is returned and the publish fails with
    /// ``AMQPError/Code/unroutable`` instead of being dropped by the broker.
    public var mandatory: Bool

    public init(
        exchange: String = "", routingKey: String, body: [UInt8], properties: MessageProperties = .init(),
        mandatory: Bool = true
    ) {
        self.exchange = exchange
        self.routingKey = routingKey
        self.body = body
        self.properties = properties
        self.mandatory = mandatory
    }
}
