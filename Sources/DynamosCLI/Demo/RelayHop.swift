import DynamosBus
import DynamosMessages
import Foundation
import Logging

/// A stand-in worker for the bus demo: takes a `MicroserviceCommunication` off its queue, records its hop timing,
/// drops its own entry from `routing_data` and sends the message to the next one. Unlike `dynamos worker relay`
/// (``WorkerRuntime``) it needs no route keys, so the demo runs without configuration.
struct RelayHop: Sendable {
    let party: String
    let service: String
    let queue: String
    let broker: RabbitMQBroker
    let logger: Logger

    /// Relays until the consumer ends. Undecodable messages and messages with no next hop are dead-lettered
    /// with the reason; nothing is dropped.
    func run(consumer: MessageConsumer) async throws {
        for try await delivery in consumer {
            let started = Date.nowMicros
            let message: Dynamos_MicroserviceCommunication
            do {
                message = try Dynamos_MicroserviceCommunication(serializedBytes: delivery.body)
            } catch {
                try await deadLetter(delivery, reason: "undecodable MicroserviceCommunication: \(error)")
                continue
            }
            guard message.routingData.first == queue else {
                let first = message.routingData.first ?? "nothing"
                try await deadLetter(delivery, reason: "routing_data is addressed to \(first), not to \(queue)")
                continue
            }
            guard message.routingData.count > 1 else {
                try await deadLetter(delivery, reason: "routing_data ends at \(queue): no hop after it")
                continue
            }
            var forwarded = message
            forwarded.routingData.removeFirst()
            let next = forwarded.routingData[0]
            forwarded.hopTimings.append(
                .with {
                    $0.party = party
                    $0.service = service
                    $0.queuedUnixMicros = message.hopTimings.last?.finishedUnixMicros ?? 0
                    $0.startedUnixMicros = started
                    $0.finishedUnixMicros = Date.nowMicros
                    $0.worker = "relay-\(ProcessInfo.processInfo.processIdentifier)"
                })
            try await broker.publish(
                OutgoingMessage(
                    exchange: DynamosTopology.exchangeName, routingKey: next, body: try forwarded.serializedBytes(),
                    properties: delivery.properties))
            try await delivery.ack()
        }
    }

    private func deadLetter(_ delivery: Delivery, reason: String) async throws {
        logger.warning("dead-lettering a message", metadata: ["queue": "\(queue)", "reason": "\(reason)"])
        try await broker.deadLetter(
            delivery, reason: reason, to: DynamosTopology.deadLetterQueueName(party: party),
            exchange: DynamosTopology.exchangeName)
    }
}

extension Date {
    /// Microseconds since the Unix epoch, as hop timings carry them.
    static var nowMicros: Int64 { Int64((Date().timeIntervalSince1970 * 1_000_000).rounded()) }
}
