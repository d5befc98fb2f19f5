import DynamosBus
import DynamosMessages
import DynamosRouteSigning
import Foundation
import Logging

/// Puts a worker's outgoing messages on the bus and settles the deliveries they answer, in at-least-once order:
/// publish, wait for the broker's confirm, then acknowledge. Shared by the one-in-one-out pipeline and the
/// gatherer of combining services.
struct HopSender: Sendable {
    let configuration: WorkerConfiguration
    let broker: any Broker

    /// Publishes `message` to `destination`, then acknowledges `deliveries`; dead-letters them when the destination
    /// has no queue or this party may not publish there, and gives them back when the broker fails.
    func send(
        _ message: Dynamos_MicroserviceCommunication, to destination: String, settling deliveries: [Delivery],
        outcome: DeliveryOutcome, _ logger: Logger
    ) async -> DeliveryOutcome {
        guard let first = deliveries.first else { return outcome }
        var properties = first.properties
        properties.persistent = true
        var (message, destination, outcome) = (message, destination, outcome)
        do {
            var body: [UInt8] = try message.serializedBytes()
            if body.count > configuration.maxMessageBytes {
                logger.warning(
                    "result too large for the broker; sending an error result",
                    metadata: ["bytes": "\(body.count)", "limit": "\(configuration.maxMessageBytes)"])
                (message, destination) = errorResult(
                    message, failure: oversized(bytes: body.count), rest: message.signedRoute)
                outcome = .failed
                body = try message.serializedBytes()
            }
            let outgoing = OutgoingMessage(
                exchange: DynamosTopology.exchangeName, routingKey: destination, body: body, properties: properties)
            if deliveries.count == 1 {
                try await broker.forward(outgoing, settling: first)
            } else {
                try await broker.publish(outgoing)
                for delivery in deliveries {
                    do {
                        try await delivery.ack()
                    } catch {
                        logger.warning(
                            "could not acknowledge a settled part; the broker will redeliver it",
                            metadata: ["error": "\(error)"])
                    }
                }
            }
            logger.debug("handed on", metadata: ["to": "\(destination)"])
            return outcome
        } catch let error as AMQPError where error.code == .unroutable || error.code == .accessRefused {
            let why = error.code == .unroutable ? "has no queue" : "may not be sent to by \(configuration.party)"
            for delivery in deliveries {
                _ = await deadLetter(delivery, reason: "next hop \(destination) \(why): \(error)", logger)
            }
            return .deadLettered
        } catch {
            for delivery in deliveries {
                _ = await giveBack(delivery, because: "could not hand the result to \(destination): \(error)", logger)
            }
            return .returned
        }
    }

    /// Copies the delivery to `dynamos.<party>.dead` with `reason`, then acknowledges it.
    func deadLetter(_ delivery: Delivery, reason: String, _ logger: Logger) async -> DeliveryOutcome {
        logger.warning("dead-lettering a message", metadata: ["queue": "\(delivery.queue)", "reason": "\(reason)"])
        do {
            try await broker.deadLetter(
                delivery, reason: reason, to: configuration.deadLetterQueue, exchange: DynamosTopology.exchangeName)
            return .deadLettered
        } catch {
            return await giveBack(delivery, because: "could not dead-letter (\(reason)): \(error)", logger)
        }
    }

    /// Requeues the delivery; if even that fails the broker redelivers it once the connection or consumer is gone.
    func giveBack(_ delivery: Delivery, because reason: String, _ logger: Logger) async -> DeliveryOutcome {
        logger.error("returning a message for redelivery", metadata: ["reason": "\(reason)"])
        try? await delivery.nack(requeue: true)
        return .returned
    }

    /// Why a message of `bytes` cannot go on: the broker would refuse it on every redelivery.
    private func oversized(bytes: Int) -> Dynamos_ServiceError {
        serviceError(
            WorkerError(
                .budgetExceeded,
                "the result of \(configuration.service) at \(configuration.party) is \(Self.mebibytes(bytes)) MiB, "
                    + "more than the broker's message size limit of \(Self.mebibytes(configuration.maxMessageBytes)) "
                    + "MiB (max_message_size); ask for fewer rows or columns, or aggregate at the steward"))
    }

    private static func mebibytes(_ bytes: Int) -> String {
        String(format: "%.1f", Double(bytes) / 1_048_576)
    }

    /// `message` turned into an error result addressed to the last hop of `rest` (the result recipient).
    func errorResult(
        _ message: Dynamos_MicroserviceCommunication, failure: Dynamos_ServiceError, rest: SignedRoute
    ) -> (message: Dynamos_MicroserviceCommunication, destination: String) {
        let recipient = rest.toRecipient()
        var outgoing = message
        outgoing.clearData()
        outgoing.error = failure
        outgoing.setSignedRoute(recipient)
        return (outgoing, recipient.hops[0])
    }

    /// This hop's timing: queued since the previous hop finished, started when the delivery was taken.
    func timing(queuedSince queued: Int64, started: Int64, coldStartMicros: Int64) -> Dynamos_HopTiming {
        .with {
            $0.party = configuration.party
            $0.service = configuration.service
            $0.queuedUnixMicros = queued
            $0.startedUnixMicros = started
            $0.finishedUnixMicros = Date.nowMicros
            $0.worker = configuration.workerID
            $0.coldStartMicros = coldStartMicros
        }
    }

    /// The `ServiceError` an error becomes: a ``WorkerError`` keeps its code, anything else is `handlerFailed`.
    func serviceError(_ error: any Error) -> Dynamos_ServiceError {
        .with {
            $0.party = configuration.party
            $0.service = configuration.service
            if let error = error as? WorkerError {
                $0.code = error.code.rawValue
                $0.message = error.explanation
            } else {
                $0.code = WorkerError.Code.handlerFailed.rawValue
                $0.message = "\(configuration.service) at \(configuration.party) failed: \(error)"
            }
        }
    }
}
