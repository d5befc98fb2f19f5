import Foundation

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
            giveBack(delivery.message, to: delivery.queue)
        case .nack(requeue: false), .reject(requeue: false):
            deadLetter(delivery.message, from: delivery.queue, reason: "rejected")
        }
        dispatch(delivery.queue)
    }

    /// Puts a returned message back at the head of `queue`, or dead-letters it (`delivery_limit`) once it has been
    /// delivered more often than the queue's delivery limit, as a quorum queue does, whether a consumer requeued it
    /// or its connection went away.
    mutating func giveBack(_ message: InMemoryMessage, to queue: String) {
        if let limit = queues[queue]?.declaration.deliveryLimit, message.deliveries > limit {
            deadLetter(message, from: queue, reason: "delivery_limit")
        } else {
            queues[queue]?.ready.insert(message, at: 0)
        }
    }

    /// Removes the consumers of `queue` that `matching` picks and returns them, for their streams to be finished
    /// outside the lock. Their unsettled deliveries stay valid.
    mutating func removeConsumers(in queue: String, where matching: (MemoryConsumer) -> Bool) -> [MemoryConsumer] {
        guard let consumers = queues[queue]?.consumers else { return [] }
        queues[queue]?.consumers = consumers.filter { !matching($0) }
        return consumers.filter(matching)
    }

    /// Removes the consumer `tag` wherever it is and returns it, for its stream to be finished outside the lock.
    mutating func removeConsumer(_ tag: String) -> [MemoryConsumer] {
        queues.keys.flatMap { removeConsumers(in: $0) { $0.tag == tag } }
    }

    /// Moves `message` to the dead-letter target of `queue` with an `x-death` entry, or drops it when the queue
    /// has none (or the target does not route), as RabbitMQ does.
    mutating func deadLetter(_ message: InMemoryMessage, from queue: String, reason: String) {
        guard let declaration = queues[queue]?.declaration, let exchange = declaration.deadLetterExchange else { return }
        var dead = message
        dead.deliveries = 0
        dead.exchange = exchange
        dead.routingKey = declaration.deadLetterRoutingKey ?? message.routingKey
        // One x-death entry per queue and reason, counted and moved to the front, with the time, as RabbitMQ keeps it.
        var deaths: [FieldValue] = []
        if case .array(let earlier)? = message.properties.headers["x-death"] { deaths = earlier }
        var count: Int64 = 1
        if let index = deaths.firstIndex(where: { entry in
            guard case .table(let fields) = entry else { return false }
            return fields["queue"]?.stringValue == queue && fields["reason"]?.stringValue == reason
        }) {
            if case .table(let fields) = deaths.remove(at: index) { count += fields["count"]?.intValue ?? 0 }
        }
        let death: FieldValue = .table([
            "queue": .string(queue), "reason": .string(reason), "count": .int(count),
            "time": .timestamp(UInt64(Date().timeIntervalSince1970)),
            "exchange": .string(message.exchange), "routing-keys": .array([.string(message.routingKey)]),
        ])
        dead.properties.headers["x-death"] = .array([death] + deaths)
        if dead.properties.headers["x-first-death-queue"] == nil {
            dead.properties.headers["x-first-death-queue"] = .string(queue)
            dead.properties.headers["x-first-death-reason"] = .string(reason)
        }
        _ = try? route(dead)
    }
}
