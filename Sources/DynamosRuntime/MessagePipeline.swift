import DynamosBus
import DynamosMessages
import DynamosRouteSigning
import Foundation
import Logging

/// The work done for one delivery: decode, check who sent it, verify the route, then either run the handler and hand
/// the result (or an error result) on, or pass the message to the gatherer of a combining service. Never throws:
/// every input ends in a ``DeliveryOutcome``.
struct MessagePipeline: Sendable {
    /// What the worker does with an admitted message.
    enum Work: Sendable {
        case handler(any ServiceHandler)
        case combiner(PartGatherer)
    }

    let configuration: WorkerConfiguration
    let sender: HopSender
    let work: Work
    let verifier: RouteVerifier
    let logger: Logger

    /// Admits, handles or gathers, and forwards one delivery.
    /// - Parameter readyAtMicros: when this worker became ready (microseconds since the Unix epoch); a message
    ///   waiting since before then waited for the worker to start, and its hop timing carries the cold start, as
    ///   does every message of a once-mode worker (started for that message).
    func process(_ delivery: Delivery, readyAtMicros: Int64) async -> DeliveryOutcome {
        let admitted: AdmittedMessage
        switch await admit(delivery) {
        case .success(let message): admitted = message
        case .failure(let rejection): return await sender.deadLetter(delivery, reason: rejection.reason, rejection.logger)
        }
        let waited = configuration.once || queuedSince(admitted) < readyAtMicros
        let coldStartMicros = waited ? configuration.coldStartMicros : 0
        switch work {
        case .handler(let handler):
            return await handle(admitted, with: handler, coldStartMicros: coldStartMicros)
        case .combiner(let gatherer):
            return await gatherer.accept(admitted, coldStartMicros: coldStartMicros)
        }
    }

    /// Why a delivery was not admitted, for its dead-letter reason.
    struct Rejection: Error {
        let reason: String
        let logger: Logger
    }

    private func admit(_ delivery: Delivery) async -> Result<AdmittedMessage, Rejection> {
        let started = Date.nowMicros
        let message: Dynamos_MicroserviceCommunication
        do {
            message = try Dynamos_MicroserviceCommunication(serializedBytes: delivery.body)
        } catch {
            return .failure(Rejection(reason: "undecodable MicroserviceCommunication: \(error)", logger: logger))
        }
        var logger = self.logger
        logger[metadataKey: "job.id"] = "\(message.requestMetadata.jobID)"
        logger[metadataKey: "request.id"] = "\(message.requestMetadata.requestID)"
        logger[metadataKey: "correlation.id"] = "\(message.requestMetadata.correlationID)"

        guard message.hasRouteSignature else {
            return .failure(Rejection(
                reason: "route rejected: the message carries no route_signature; only signed routes run",
                logger: logger))
        }
        let route = message.signedRoute
        let ownUser = sender.broker.user
        guard delivery.isSent(byParty: configuration.party, orUser: ownUser)
            || delivery.isSent(byParty: route.issuer, orUser: ownUser)
        else {
            return .failure(Rejection(
                reason: "sender refused: \(delivery.senderDescription) sent it, but only \(configuration.party) itself "
                    + "or the route's issuer \(route.issuer.isEmpty ? "(none)" : route.issuer) may hand messages to "
                    + "\(configuration.queue)",
                logger: logger))
        }
        do {
            try verifier.verify(
                route, requestDigest: message.requestDigest,
                tickets: message.tickets + (await configuration.tickets(route.jobID)))
        } catch {
            return .failure(Rejection(reason: "route rejected: \(error)", logger: logger))
        }
        guard route.hops.first == configuration.queue else {
            let first = route.hops.first ?? "nothing"
            return .failure(Rejection(
                reason: "route is addressed to \(first), not to \(configuration.queue)", logger: logger))
        }
        return .success(AdmittedMessage(
            delivery: delivery, message: message, route: route, rest: route.advanced(), logger: logger,
            started: started))
    }

    private func handle(
        _ admitted: AdmittedMessage, with handler: any ServiceHandler, coldStartMicros: Int64
    ) async -> DeliveryOutcome {
        let logger = admitted.logger
        guard admitted.rest.nextHop != nil else {
            return await sender.deadLetter(
                admitted.delivery,
                reason: "route ends at \(configuration.queue): no result recipient after this worker", logger)
        }
        var outgoing = admitted.message
        var destination = admitted.rest.hops[0]
        let outcome: DeliveryOutcome
        if admitted.message.hasError {
            logger.debug("passing an error result on to the result recipient")
            (outgoing, destination) = sender.errorResult(
                admitted.message, failure: admitted.message.error, rest: admitted.rest)
            outcome = .forwarded
        } else {
            do {
                let result = try await handler.handle(
                    admitted.request(party: configuration.party, queue: configuration.queue))
                outgoing.take(result, party: configuration.party, service: configuration.service)
                outgoing.setSignedRoute(admitted.rest)
                outcome = .forwarded
            } catch {
                let failure = sender.serviceError(error)
                logger.warning(
                    "handler failed; sending an error result",
                    metadata: ["code": "\(failure.code)", "error": "\(error)"])
                (outgoing, destination) = sender.errorResult(admitted.message, failure: failure, rest: admitted.rest)
                outcome = .failed
            }
        }
        outgoing.hopTimings.append(
            sender.timing(
                queuedSince: queuedSince(admitted), started: admitted.started, coldStartMicros: coldStartMicros))
        return await sender.send(outgoing, to: destination, settling: [admitted.delivery], outcome: outcome, logger)
    }

    /// Since when the message waited for this hop: the previous hop's finish, or for a first message when the agent
    /// built it.
    private func queuedSince(_ admitted: AdmittedMessage) -> Int64 {
        admitted.message.hopTimings.last?.finishedUnixMicros
            ?? Int64(admitted.message.metadata[RequestMessage.publishedKey] ?? "") ?? admitted.started
    }
}
