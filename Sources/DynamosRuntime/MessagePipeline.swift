import DynamosBus
import DynamosMessages
import DynamosRouting
import Foundation
import Logging

/// The work done for one delivery: decode, verify the route, run the handler, hand the result (or an error result)
/// on and acknowledge only after the broker confirmed it. Never throws: every input ends in an ``Outcome``.
struct MessagePipeline: Sendable {
    /// How a delivery was settled.
    enum Outcome: Sendable {
        /// The result went to the next hop and the delivery was acknowledged.
        case forwarded
        /// The handler failed; an error result went to the result recipient and the delivery was acknowledged.
        case failed
        /// The delivery was copied to the dead-letter queue with a reason and acknowledged.
        case deadLettered
        /// The delivery could not be settled (broker trouble) and was given back for redelivery.
        case returned
    }

    let configuration: WorkerConfiguration
    let broker: any Broker
    let handler: any ServiceHandler
    let signer: RouteSigner
    let logger: Logger

    func process(_ delivery: Delivery, coldStartMicros: Int64) async -> Outcome {
        let started = Date.nowMicros
        let message: Dynamos_MicroserviceCommunication
        do {
            message = try Dynamos_MicroserviceCommunication(serializedBytes: delivery.body)
        } catch {
            return await deadLetter(delivery, reason: "undecodable MicroserviceCommunication: \(error)", logger)
        }
        var logger = self.logger
        logger[metadataKey: "job.id"] = "\(message.requestMetadata.jobID)"
        logger[metadataKey: "request.id"] = "\(message.requestMetadata.requestID)"
        logger[metadataKey: "correlation.id"] = "\(message.requestMetadata.correlationID)"

        guard message.hasRouteSignature else {
            return await deadLetter(
                delivery, reason: "route rejected: the message carries no route_signature; only signed routes run",
                logger)
        }
        let route = message.signedRoute
        do {
            try signer.verify(route, tickets: await configuration.tickets(route.jobID))
        } catch {
            return await deadLetter(delivery, reason: "route rejected: \(error)", logger)
        }
        guard route.hops.first == configuration.queue else {
            let first = route.hops.first ?? "nothing"
            return await deadLetter(
                delivery, reason: "route is addressed to \(first), not to \(configuration.queue)", logger)
        }
        let rest = route.advanced()
        guard let next = rest.nextHop else {
            return await deadLetter(
                delivery, reason: "route ends at \(configuration.queue): no result recipient after this worker", logger)
        }

        var outgoing = message
        var destination = next
        let outcome: Outcome
        do {
            let result = try await handler.handle(request(message, logger: logger))
            outgoing.data = result.proto
            outgoing.setSignedRoute(rest)
            outcome = .forwarded
        } catch {
            let failure = Self.serviceError(error, party: configuration.party, service: configuration.service)
            logger.warning(
                "handler failed; sending an error result", metadata: ["code": "\(failure.code)", "error": "\(error)"])
            var recipient = rest
            recipient.hops = Array(rest.hops.suffix(1))
            recipient.tags = Array(rest.tags.suffix(1))
            outgoing.clearData()
            outgoing.error = failure
            outgoing.setSignedRoute(recipient)
            destination = recipient.hops[0]
            outcome = .failed
        }
        outgoing.hopTimings.append(timing(for: message, started: started, coldStartMicros: coldStartMicros))
        return await send(outgoing, to: destination, settling: delivery, outcome: outcome, logger)
    }

    private func request(_ message: Dynamos_MicroserviceCommunication, logger: Logger) throws -> WorkerRequest {
        let table: DataTable
        do {
            table = try DataTable(proto: message.data)
        } catch {
            throw WorkerError(.invalidInput, "the message's data is not a valid table (\(error)); the sender is faulty")
        }
        return WorkerRequest(
            message: message, table: table, party: configuration.party, queue: configuration.queue, logger: logger)
    }

    private func timing(
        for message: Dynamos_MicroserviceCommunication, started: Int64, coldStartMicros: Int64
    ) -> Dynamos_HopTiming {
        .with {
            $0.party = configuration.party
            $0.service = configuration.service
            $0.queuedUnixMicros = message.hopTimings.last?.finishedUnixMicros ?? 0
            $0.startedUnixMicros = started
            $0.finishedUnixMicros = Date.nowMicros
            $0.worker = configuration.workerID
            $0.coldStartMicros = coldStartMicros
        }
    }

    private func send(
        _ message: Dynamos_MicroserviceCommunication, to destination: String, settling delivery: Delivery,
        outcome: Outcome, _ logger: Logger
    ) async -> Outcome {
        var properties = delivery.properties
        properties.persistent = true
        do {
            let body: [UInt8] = try message.serializedBytes()
            try await broker.forward(
                OutgoingMessage(
                    exchange: DynamosTopology.exchangeName, routingKey: destination, body: body,
                    properties: properties),
                settling: delivery)
            logger.debug("handed on", metadata: ["to": "\(destination)"])
            return outcome
        } catch let error as AMQPError where error.code == .unroutable {
            return await deadLetter(delivery, reason: "next hop \(destination) has no queue: \(error)", logger)
        } catch {
            return await giveBack(delivery, because: "could not hand the result to \(destination): \(error)", logger)
        }
    }

    private func deadLetter(_ delivery: Delivery, reason: String, _ logger: Logger) async -> Outcome {
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
    private func giveBack(_ delivery: Delivery, because reason: String, _ logger: Logger) async -> Outcome {
        logger.error("returning a message for redelivery", metadata: ["reason": "\(reason)"])
        try? await delivery.nack(requeue: true)
        return .returned
    }

    static func serviceError(_ error: any Error, party: String, service: String) -> Dynamos_ServiceError {
        .with {
            $0.party = party
            $0.service = service
            if let error = error as? WorkerError {
                $0.code = error.code.rawValue
                $0.message = error.message
            } else {
                $0.code = WorkerError.Code.handlerFailed.rawValue
                $0.message = "\(service) at \(party) failed: \(error)"
            }
        }
    }
}
