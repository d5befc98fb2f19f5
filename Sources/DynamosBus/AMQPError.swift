public import DynamosErrors

/// The one error type of the bus: what went wrong, the AMQP reply code and text when the broker gave one,
/// and what to do about it.
///
/// Every failure of ``RabbitMQBroker`` surfaces as an `AMQPError`, whether rabbitmq-c reported it (a socket or
/// protocol problem), the broker closed a channel or the connection (404 NOT_FOUND, 406 PRECONDITION_FAILED,
/// 320 CONNECTION_FORCED, ...), or a publish was refused (nack, unroutable).
public struct AMQPError: DynamosError, Sendable, Equatable {
    /// The kind of failure, stable for matching in code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The broker URL could not be parsed or names an unsupported scheme or option.
        public static let invalidURL = Code("invalidURL")
        /// The TCP or TLS connection could not be opened.
        public static let connectionFailed = Code("connectionFailed")
        /// The broker refused the credentials or the virtual host.
        public static let authenticationFailed = Code("authenticationFailed")
        /// The connection was lost or closed by the broker while the operation was in flight.
        public static let connectionLost = Code("connectionLost")
        /// The broker closed the channel in reply to an operation (the reply code says why).
        public static let channelClosed = Code("channelClosed")
        /// The broker refused the operation for lack of permission (403 ACCESS_REFUSED): this connection's user may
        /// not configure, read or write that queue or exchange, or publish with that routing key. The broker reset
        /// the channel; the connection and its other consumers carry on. Retrying does not help.
        public static let accessRefused = Code("accessRefused")
        /// The broker negatively acknowledged a publish: it did not take responsibility for the message.
        public static let publishNacked = Code("publishNacked")
        /// A mandatory publish matched no queue; the broker returned it.
        public static let unroutable = Code("unroutable")
        /// An acknowledgement named a delivery from a connection that has since been replaced; the broker
        /// redelivers that message, so nothing is lost.
        public static let staleDelivery = Code("staleDelivery")
        /// The delivery was already acknowledged, nacked or rejected; settling it again would hit another message
        /// or close the channel.
        public static let alreadySettled = Code("alreadySettled")
        /// The consumer was cancelled, by the client or by the broker (for example because its queue was deleted).
        public static let consumerCancelled = Code("consumerCancelled")
        /// The broker connection has been closed by the client.
        public static let closed = Code("closed")
        /// A call into rabbitmq-c failed (the message carries the library's text).
        public static let library = Code("library")
    }

    /// What kind of failure this is.
    public var code: Code
    /// The AMQP reply code (for example 404, 406, 320) when the broker sent one.
    public var replyCode: UInt16?
    /// What happened, in words: the broker's reply text or the library's error string, with context.
    public var message: String
    /// What to do about it.
    public var hint: String?

    public init(_ code: Code, replyCode: UInt16? = nil, message: String, hint: String? = nil) {
        self.code = code
        self.replyCode = replyCode
        self.message = message
        self.hint = hint
    }

    public var codeName: String? { code.description }

    public var description: String {
        var text = "\(code)"
        if let replyCode { text += " (\(replyCode))" }
        text += ": \(message)"
        if let hint { text += ". \(hint)" }
        return text
    }
}

extension AMQPError {
    /// True for errors after which the broker closed the channel the operation used (not the connection).
    var closedChannel: Bool { code == .channelClosed || code == .accessRefused }

    static func connectionLost(_ why: String) -> AMQPError {
        AMQPError(
            .connectionLost, message: why,
            hint: "the client reconnects by itself; retry the operation (an unconfirmed publish may or may not "
                + "have reached the broker)")
    }

    static let closedByClient = AMQPError(
        .closed, message: "the broker connection was closed", hint: "open a new RabbitMQBroker")
}
