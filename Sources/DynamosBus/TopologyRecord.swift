import CRabbitMQ

/// The exchanges, queues and bindings declared through a connection, in order, so a recovered connection can
/// declare them again before its consumers come back (topology recovery).
struct TopologyRecord {
    private(set) var exchanges: [String: ExchangeDeclaration] = [:]
    private(set) var queues: [String: QueueDeclaration] = [:]
    private(set) var bindings: [QueueBinding] = []
    private var exchangeOrder: [String] = []
    private var queueOrder: [String] = []

    mutating func record(_ exchange: ExchangeDeclaration) {
        if exchanges.updateValue(exchange, forKey: exchange.name) == nil { exchangeOrder.append(exchange.name) }
    }

    mutating func record(_ queue: QueueDeclaration) {
        if queues.updateValue(queue, forKey: queue.name) == nil { queueOrder.append(queue.name) }
    }

    mutating func record(_ binding: QueueBinding) {
        if !bindings.contains(binding) { bindings.append(binding) }
    }

    mutating func forget(_ binding: QueueBinding) {
        bindings.removeAll { $0 == binding }
    }

    mutating func forgetQueue(_ name: String) {
        queues[name] = nil
        queueOrder.removeAll { $0 == name }
        bindings.removeAll { $0.queue == name }
    }

    mutating func forgetExchange(_ name: String) {
        exchanges[name] = nil
        exchangeOrder.removeAll { $0 == name }
        bindings.removeAll { $0.exchange == name }
    }

    /// Declares everything again on a fresh connection. An item the broker now refuses (someone redeclared the
    /// queue differently, the exchange is gone) is logged and skipped rather than blocking recovery; a lost
    /// connection stops the replay.
    func replay(on loop: ConnectionLoop) throws(AMQPError) {
        for name in exchangeOrder {
            try replaying("exchange \(name)", on: loop) { () throws(AMQPError) in try loop.declareExchange(exchanges[name]!) }
        }
        for name in queueOrder {
            try replaying("queue \(name)", on: loop) { () throws(AMQPError) in
                _ = try loop.declareQueue(queues[name]!, passive: false)
            }
        }
        for binding in bindings {
            try replaying("binding \(binding.queue)", on: loop) { () throws(AMQPError) in try loop.bind(binding) }
        }
    }

    private func replaying(
        _ what: String, on loop: ConnectionLoop, _ body: () throws(AMQPError) -> Void
    ) throws(AMQPError) {
        do {
            try body()
        } catch {
            guard error.closedChannel else { throw error }
            loop.logger.error("could not restore \(what) after reconnecting; skipping it", metadata: ["error": "\(error)"])
        }
    }
}

extension ConnectionLoop {
    func declareExchange(_ exchange: ExchangeDeclaration, passive: Bool = false) throws(AMQPError) {
        let arena = CArena()
        _ = try controlRPC("exchange.declare\(passive ? " (passive)" : "") \(exchange.name)") { state in
            amqp_exchange_declare(
                state, Self.controlChannel, arena.bytes(exchange.name), arena.bytes(exchange.kind.rawValue),
                passive ? 1 : 0,
                exchange.durable ? 1 : 0, exchange.autoDelete ? 1 : 0, exchange.isInternal ? 1 : 0,
                arena.table(exchange.arguments))
        }
    }

    func declareQueue(_ queue: QueueDeclaration, passive: Bool) throws(AMQPError) -> QueueStatus {
        let arena = CArena()
        let verb = passive ? "queue.declare (passive)" : "queue.declare"
        let ok = try controlRPC("\(verb) \(queue.name)") { state in
            amqp_queue_declare(
                state, Self.controlChannel, arena.bytes(queue.name), passive ? 1 : 0, queue.durable ? 1 : 0,
                queue.exclusive ? 1 : 0, queue.autoDelete ? 1 : 0, passive ? amqp_empty_table : arena.table(queue.allArguments))
        }.pointee
        return QueueStatus(
            name: CValues.string(ok.queue), readyMessages: Int(ok.message_count), consumers: Int(ok.consumer_count))
    }

    func bind(_ binding: QueueBinding) throws(AMQPError) {
        let arena = CArena()
        _ = try controlRPC("queue.bind \(binding.queue) to \(binding.exchange)") { state in
            amqp_queue_bind(
                state, Self.controlChannel, arena.bytes(binding.queue), arena.bytes(binding.exchange),
                arena.bytes(binding.routingKey), arena.table(binding.arguments))
        }
    }

    func unbind(_ binding: QueueBinding) throws(AMQPError) {
        let arena = CArena()
        _ = try controlRPC("queue.unbind \(binding.queue) from \(binding.exchange)") { state in
            amqp_queue_unbind(
                state, Self.controlChannel, arena.bytes(binding.queue), arena.bytes(binding.exchange),
                arena.bytes(binding.routingKey), arena.table(binding.arguments))
        }
    }

    func deleteQueue(_ name: String, ifUnused: Bool, ifEmpty: Bool) throws(AMQPError) -> Int {
        let arena = CArena()
        let ok = try controlRPC("queue.delete \(name)") { state in
            amqp_queue_delete(state, Self.controlChannel, arena.bytes(name), ifUnused ? 1 : 0, ifEmpty ? 1 : 0)
        }.pointee
        return Int(ok.message_count)
    }

    func purgeQueue(_ name: String) throws(AMQPError) -> Int {
        let arena = CArena()
        let ok = try controlRPC("queue.purge \(name)") { state in
            amqp_queue_purge(state, Self.controlChannel, arena.bytes(name))
        }.pointee
        return Int(ok.message_count)
    }

    func deleteExchange(_ name: String) throws(AMQPError) {
        let arena = CArena()
        _ = try controlRPC("exchange.delete \(name)") { state in
            amqp_exchange_delete(state, Self.controlChannel, arena.bytes(name), 0)
        }
    }
}
