public import DynamosBus
public import DynamosControl
public import Logging
public import Synchronization

/// The control plane's use of the bus: declare an inbox, send a control message to a queue, and serve an inbox.
///
/// Control messages are persistent and mandatory (a message to an inbox nobody declared fails the send instead of
/// vanishing). Each carries its sender's broker user (`user_id`, which RabbitMQ checks), handed to the handler as a
/// ``ControlSender``. An undecodable message, or one the handler refuses (say, a heartbeat sent by another party
/// than it names), is dead-lettered with the reason; anything else is acknowledged once handled, since every control
/// message is idempotent and a retry would fail the same way. An ack or dead-letter that fails (the connection
/// dropped; the broker redelivers the message) is logged and counted, never the end of the daemon.
public struct ControlBus: Sendable {
    public let broker: any Broker
    private let logger: Logger
    /// Acks and dead-letters of control messages that failed, for the daemon's metrics.
    public let settleFailures = SettleFailures()

    public init(broker: any Broker, logger: Logger) {
        self.broker = broker
        self.logger = logger
    }

    /// Declares the exchange, `party`'s dead-letter queue and the inbox `queue`.
    public func declareInbox(_ queue: String, party: String) async throws(AMQPError) {
        try await DynamosTopology.declare([queue], party: party, on: broker)
    }

    /// Sends `message` to `queue` and waits for the broker's confirm.
    /// - Parameter expiration: a time after which the broker drops the message unread (heartbeats go stale).
    /// - Throws: `ControlError` `.unavailable` when the queue does not exist or the broker refuses it (an
    ///   `accessRefused` in the message: this party's broker user may not send there, a provisioning matter, not the
    ///   caller's fault).
    public func send(
        _ message: ControlMessage, to queue: String, expiration: Duration? = nil
    ) async throws(ControlError) {
        let body = try message.encoded()
        var properties = MessageProperties(contentType: "application/json", type: message.kind.rawValue)
        if let expiration {
            properties.expiration = String(expiration.components.seconds * 1000 + expiration.components.attoseconds / 1_000_000_000_000_000)
        }
        do {
            try await broker.publish(
                OutgoingMessage(
                    exchange: DynamosTopology.exchangeName, routingKey: queue, body: body, properties: properties))
        } catch {
            throw ControlError(.unavailable, "the control message could not be delivered to \(queue)", cause: error)
        }
    }

    /// Consumes `queue` until the consumer ends or the task is cancelled, passing each control message to `handle`
    /// and acknowledging it once handled.
    /// - Parameters:
    ///   - deadLetterQueue: where undecodable messages go, with the reason.
    ///   - concurrently: messages for which it answers true are handled beside the others (at most `prefetch` at
    ///     once) instead of in order; slow work such as a forwarded request must not hold up compositions.
    public func serve(
        _ queue: String, deadLetterQueue: String, prefetch: UInt16 = 16,
        concurrently: @escaping @Sendable (ControlMessage) -> Bool = { _ in false },
        handle: @escaping @Sendable (ControlMessage, ControlSender) async -> ControlDisposition
    ) async throws {
        let consumer = try await broker.consume(queue: queue, prefetch: prefetch)
        try await withTaskCancellationHandler {
            try await withThrowingDiscardingTaskGroup { group in
                for try await delivery in consumer {
                    let message: ControlMessage
                    do throws(ControlError) {
                        message = try ControlMessage.decode(delivery.body)
                    } catch {
                        logger.warning(
                            "dead-lettering an undecodable control message",
                            metadata: ["queue": "\(queue)", "error": "\(error.explanation)"])
                        await settle(delivery, .refused(error.explanation), queue: queue, dead: deadLetterQueue)
                        continue
                    }
                    let sender = ControlSender(user: delivery.sender, ownUser: broker.user)
                    if concurrently(message) {
                        group.addTask { await settle(delivery, await handle(message, sender), queue: queue, dead: deadLetterQueue) }
                    } else {
                        await settle(delivery, await handle(message, sender), queue: queue, dead: deadLetterQueue)
                    }
                }
            }
        } onCancel: {
            Task { try? await consumer.cancel() }
        }
    }

    /// Acks or dead-letters `delivery`; a failure is logged and counted (the broker redelivers the message).
    private func settle(_ delivery: Delivery, _ disposition: ControlDisposition, queue: String, dead: String) async {
        do {
            switch disposition {
            case .handled:
                try await delivery.ack()
            case .refused(let reason):
                logger.warning(
                    "dead-lettering a refused control message", metadata: ["queue": "\(queue)", "reason": "\(reason)"])
                try await broker.deadLetter(delivery, reason: reason, to: dead, exchange: DynamosTopology.exchangeName)
            }
        } catch {
            settleFailures.count.add(1, ordering: .relaxed)
            logger.error(
                "a control message could not be settled; the broker redelivers it",
                metadata: ["queue": "\(queue)", "error": "\(error)"])
        }
    }
}

/// How many control messages could not be acknowledged or dead-lettered.
public final class SettleFailures: Sendable {
    public let count = Atomic<Int>(0)

    public init() {}
}

/// What became of a control message: handled (acknowledged), or refused with a reason (dead-lettered with it).
public enum ControlDisposition: Sendable, Equatable {
    case handled
    case refused(String)
}

/// Who sent a control message, as the broker vouches for it (`user_id`): each party's broker user is named after
/// the party, so a heartbeat or receipt is accepted only from the party it names.
public struct ControlSender: Sendable, Equatable, CustomStringConvertible {
    /// The publishing broker user; nil when the publisher set none.
    public let user: String?
    /// The receiving connection's own user: a fellow process of the receiver, or everyone in a deployment that
    /// gives all processes one user.
    public let ownUser: String

    public init(user: String?, ownUser: String) {
        self.user = user
        self.ownUser = ownUser
    }

    /// Whether `party` sent the message (or a process sharing the receiver's own user).
    public func isParty(_ party: String) -> Bool {
        guard let user else { return false }
        return user == party || user == ownUser
    }

    public var description: String { user.map { "broker user '\($0)'" } ?? "a sender that set no user_id" }
}
