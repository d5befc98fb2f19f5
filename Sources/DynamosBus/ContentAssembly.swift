import CRabbitMQ

/// A message arriving in pieces (method, header, body frames) on one channel, until its body is complete.
struct ContentAssembly {
    enum Origin {
        case delivery(consumerTag: String, deliveryTag: UInt64, redelivered: Bool, exchange: String, routingKey: String)
        case returned(replyCode: UInt16, replyText: String, exchange: String, routingKey: String)
    }

    let origin: Origin
    var properties = MessageProperties()
    var expectedSize = 0
    var body: [UInt8] = []
    var headerSeen = false

    var isComplete: Bool { headerSeen && body.count >= expectedSize }

    mutating func takeHeader(_ header: amqp_basic_properties_t, bodySize: UInt64) {
        properties = Self.properties(header)
        expectedSize = Int(bodySize)
        body.reserveCapacity(expectedSize)
        headerSeen = true
    }

    mutating func append(_ fragment: amqp_bytes_t) {
        guard fragment.len > 0, let base = fragment.bytes else { return }
        body.append(contentsOf: UnsafeRawBufferPointer(start: base, count: fragment.len))
    }

    static func properties(_ header: amqp_basic_properties_t) -> MessageProperties {
        let flags = header._flags
        func has(_ flag: Int32) -> Bool { flags & amqp_flags_t(flag) != 0 }
        func text(_ flag: Int32, _ bytes: amqp_bytes_t) -> String? { has(flag) ? CValues.string(bytes) : nil }
        return MessageProperties(
            contentType: text(AMQP_BASIC_CONTENT_TYPE_FLAG, header.content_type),
            correlationID: text(AMQP_BASIC_CORRELATION_ID_FLAG, header.correlation_id),
            messageID: text(AMQP_BASIC_MESSAGE_ID_FLAG, header.message_id),
            replyTo: text(AMQP_BASIC_REPLY_TO_FLAG, header.reply_to),
            type: text(AMQP_BASIC_TYPE_FLAG, header.type),
            timestamp: has(AMQP_BASIC_TIMESTAMP_FLAG) ? header.timestamp : nil,
            expiration: text(AMQP_BASIC_EXPIRATION_FLAG, header.expiration),
            persistent: has(AMQP_BASIC_DELIVERY_MODE_FLAG) && header.delivery_mode == 2,
            userID: text(AMQP_BASIC_USER_ID_FLAG, header.user_id),
            headers: has(AMQP_BASIC_HEADERS_FLAG) ? CValues.table(header.headers) : [:])
    }
}

extension MessageProperties {
    /// The C properties for `basic.publish`, with strings and headers held by `arena`.
    func cProperties(in arena: CArena) -> amqp_basic_properties_t {
        var header = amqp_basic_properties_t()
        var flags: Int32 = AMQP_BASIC_DELIVERY_MODE_FLAG
        header.delivery_mode = persistent ? 2 : 1
        func set(_ value: String?, _ flag: Int32, _ field: inout amqp_bytes_t) {
            guard let value else { return }
            field = arena.bytes(value)
            flags |= flag
        }
        set(contentType, AMQP_BASIC_CONTENT_TYPE_FLAG, &header.content_type)
        set(correlationID, AMQP_BASIC_CORRELATION_ID_FLAG, &header.correlation_id)
        set(messageID, AMQP_BASIC_MESSAGE_ID_FLAG, &header.message_id)
        set(replyTo, AMQP_BASIC_REPLY_TO_FLAG, &header.reply_to)
        set(type, AMQP_BASIC_TYPE_FLAG, &header.type)
        set(expiration, AMQP_BASIC_EXPIRATION_FLAG, &header.expiration)
        set(userID, AMQP_BASIC_USER_ID_FLAG, &header.user_id)
        if let timestamp {
            header.timestamp = timestamp
            flags |= AMQP_BASIC_TIMESTAMP_FLAG
        }
        if !headers.isEmpty {
            header.headers = arena.table(headers)
            flags |= AMQP_BASIC_HEADERS_FLAG
        }
        header._flags = amqp_flags_t(flags)
        return header
    }
}
