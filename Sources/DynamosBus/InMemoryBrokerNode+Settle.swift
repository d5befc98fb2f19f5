extension NodeState {
    /// A queue's ready messages and consumers, as a passive declare reports them.
    func status(of name: String) -> QueueStatus {
        QueueStatus(
            name: name, readyMessages: queues[name]?.ready.count ?? 0, consumers: queues[name]?.consumers.count ?? 0)
    }

    /// Acks, requeues or dead-letters the delivery `tag` handed out on `connection`.
    mutating func settle(tag: UInt64, connection: UInt64, as settlement: Settlement) throws(AMQPError) {
        guard let delivery = unacked[tag], delivery.connection == connection else {
            throw AMQPError(.alreadySettled, message: "delivery \(tag) is not waiting to be settled")
        }
        unacked[tag] = nil
        if let index = queues[delivery.queue]?.consumers.firstIndex(where: { $0.tag == delivery.consumer }) {
            queues[delivery.queue]?.consumers[index].unacked -= 1
        }
        switch settlement {
        case .ack:
            break
        case .nack(requeue: true), .reject(requeue: true):
            let limit = queues[delivery.queue]?.declaration.deliveryLimit
            if let limit, delivery.message.deliveries > limit {
                deadLetter(delivery.message, from: delivery.queue, reason: "delivery_limit")
            } else {
                queues[delivery.queue]?.ready.insert(delivery.message, at: 0)
            }
        case .nack(requeue: false), .reject(requeue: false):
            deadLetter(delivery.message, from: delivery.queue, reason: "rejected")
        }
        dispatch(delivery.queue)
    }

    /// Moves `message` to the dead-letter target of `queue` with an `x-death` entry, or drops it when the queue
    /// has none (or the target does not route), as RabbitMQ does.
    mutating func deadLetter(_ message: InMemoryMessage, from queue: String, reason: String) {
        guard let declaration = queues[queue]?.declaration, let exchange = declaration.deadLetterExchange else { return }
        var dead = message
        dead.deliveries = 0
        dead.exchange = exchange
        dead.routingKey = declaration.deadLetterRoutingKey ?? message.routingKey
        let death: FieldValue = .table([
            "queue": .string(queue), "reason": .string(reason), "count": .int(1),
            "exchange": .string(message.exchange), "routing-keys": .array([.string(message.routingKey)]),
        ])
        var deaths: [FieldValue] = []
        if case .array(let earlier)? = message.properties.headers["x-death"] { deaths = earlier }
        dead.properties.headers["x-death"] = .array([death] + deaths)
        if dead.properties.headers["x-first-death-queue"] == nil {
            dead.properties.headers["x-first-death-queue"] = .string(queue)
            dead.properties.headers["x-first-death-reason"] = .string(reason)
        }
        _ = try? route(dead)
    }
}
