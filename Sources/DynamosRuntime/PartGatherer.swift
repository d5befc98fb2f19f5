import DynamosBus
import DynamosMessages
import DynamosRouteSigning
import Foundation
import Logging

/// Gathers each request's manifest and parts for a ``PartCombiner``, holding every delivery unacknowledged until
/// the request is settled: a crash between parts loses nothing, because the broker redelivers what was held.
///
/// A request completes when its manifest (its provider list and the route onward) and one part per provider are
/// here: the combined result goes on along the manifest's route, and only after the broker confirmed it are the
/// manifest and the parts acknowledged. A redelivered part replaces the copy held, so it is never counted twice.
/// A part that is an error result fails the request at once with that error. After `timeout` from the first
/// arrival, a request with a manifest fails with an error naming the missing providers; parts without a manifest
/// are dead-lettered. Parts of requests finished recently are dead-lettered as late.
actor PartGatherer {
    /// The manifest's metadata key listing the providers, comma-separated.
    static let providersKey = RequestMessage.providersKey

    private let combiner: any PartCombiner
    private let sender: HopSender
    private let configuration: WorkerConfiguration
    private let logger: Logger
    private var gatherings: [Gathering.Key: Gathering] = [:]
    private var finished = RecentKeys<Gathering.Key>(capacity: 10_000)
    private var settled: @Sendable (DeliveryOutcome) async -> Void = { _ in }

    init(combiner: any PartCombiner, sender: HopSender, configuration: WorkerConfiguration, logger: Logger) {
        self.combiner = combiner
        self.sender = sender
        self.configuration = configuration
        self.logger = logger
    }

    /// Receives the outcome of every request this gatherer settles (it settles them after ``accept(_:coldStartMicros:)``
    /// returned `.held`).
    func onSettled(_ body: @escaping @Sendable (DeliveryOutcome) async -> Void) {
        settled = body
    }

    /// The number of requests being gathered.
    var pending: Int { gatherings.count }

    /// The bytes of every message held, over all requests.
    var heldBytes: Int { gatherings.values.reduce(0) { $0 + $1.bytes } }

    /// Holds a manifest or part; settles the request when it is complete.
    func accept(_ admitted: AdmittedMessage, coldStartMicros: Int64) async -> DeliveryOutcome {
        let key = Gathering.Key(jobID: admitted.route.jobID, requestID: admitted.route.requestID)
        let logger = admitted.logger
        guard !finished.contains(key) else {
            return await sender.deadLetter(
                admitted.delivery,
                reason: "request \(key) was already settled; this \(kind(admitted)) from \(admitted.route.issuer) "
                    + "arrived late or twice", logger)
        }
        var gathering = gatherings[key] ?? Gathering(firstArrival: admitted.started)
        gathering.coldStartMicros = max(gathering.coldStartMicros, coldStartMicros)
        if admitted.rest.nextHop == nil {
            let provider = admitted.route.issuer
            let held = heldBytes - (gathering.parts[provider]?.delivery.body.count ?? 0)
            if held + admitted.delivery.body.count > configuration.gatheringByteBudget {
                let reason = "the byte budget of \(configuration.party)'s \(configuration.service) "
                    + "(\(configuration.gatheringByteBudget) bytes held at most) cannot take \(provider)'s part of "
                    + "\(admitted.delivery.body.count) bytes beside the \(held) bytes it holds; ask for a smaller "
                    + "result (fewer rows or columns, or an algorithm at the providers)"
                gathering.budgetFailure = gathering.budgetFailure ?? reason
                arm(&gathering, key)
                if let older = gathering.parts.removeValue(forKey: provider) {
                    await release(older, because: "its redelivered copy went over the budget")
                }
                gatherings[key] = gathering
                let outcome = await sender.deadLetter(admitted.delivery, reason: reason, logger)
                if gathering.manifest != nil { await settle(key) }
                return outcome
            }
            if let older = gathering.parts[provider] { await release(older, because: "a redelivered copy replaced it") }
            gathering.parts[provider] = admitted
        } else {
            guard admitted.route.issuer == configuration.party else {
                return await sender.deadLetter(
                    admitted.delivery,
                    reason: "a route of \(admitted.route.issuer) continues past \(configuration.queue); only "
                        + "\(configuration.party)'s own agent may send the manifest of a request", logger)
            }
            let providers = (admitted.message.metadata[Self.providersKey] ?? "")
                .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !providers.isEmpty else {
                return await sender.deadLetter(
                    admitted.delivery,
                    reason: "the manifest names no providers; set metadata \(Self.providersKey) to e.g. UVA,VU",
                    logger)
            }
            if let older = gathering.manifest { await release(older, because: "a redelivered copy replaced it") }
            gathering.manifest = admitted
            gathering.providers = Array(Set(providers)).sorted()
        }
        arm(&gathering, key)
        gatherings[key] = gathering
        logger.debug(
            "gathering", metadata: ["parts": "\(gathering.parts.count)", "missing": "\(gathering.missing)"])
        if gathering.manifest != nil, gathering.isComplete || gathering.failedPart != nil
            || !gathering.strangers.isEmpty || gathering.budgetFailure != nil
        {
            await settle(key)
        }
        return .held
    }

    /// Gives every held delivery back to the broker (drain): another worker, or this one restarted, gathers them.
    func releaseAll() async {
        let all = gatherings
        gatherings = [:]
        for gathering in all.values {
            gathering.timer?.cancel()
            for delivery in gathering.deliveries {
                try? await delivery.nack(requeue: true)
            }
        }
        if !all.isEmpty { logger.info("gave held parts back for redelivery", metadata: ["requests": "\(all.count)"]) }
    }

    private func settle(_ key: Gathering.Key) async {
        guard var gathering = gatherings.removeValue(forKey: key), let manifest = gathering.manifest else { return }
        gathering.timer?.cancel()
        finished.insert(key)
        let logger = manifest.logger
        for stranger in gathering.strangers {
            if let part = gathering.parts.removeValue(forKey: stranger) {
                _ = await sender.deadLetter(
                    part.delivery,
                    reason: "\(stranger) is not a provider of request \(key) (the manifest names "
                        + "\(gathering.providers.joined(separator: ", ")))", logger)
            }
        }
        if let reason = gathering.budgetFailure {
            await fail(gathering, manifest: manifest, code: .budgetExceeded, reason)
            return
        }
        if !gathering.isComplete, gathering.failedPart == nil {
            gatherings[key] = gathering
            return
        }
        let outcome = await deliver(gathering, manifest: manifest, coldStartMicros: gathering.coldStartMicros)
        await settled(outcome)
    }

    private func deliver(
        _ gathering: Gathering, manifest: AdmittedMessage, coldStartMicros: Int64
    ) async -> DeliveryOutcome {
        let logger = manifest.logger
        let parts = gathering.sortedParts
        var outgoing = manifest.message
        var destination = manifest.rest.hops[0]
        var outcome = DeliveryOutcome.forwarded
        if let failed = gathering.failedPart {
            logger.warning("a provider sent an error result; failing the request", metadata: [
                "provider": "\(failed.route.issuer)", "code": "\(failed.message.error.code)"])
            (outgoing, destination) = sender.errorResult(manifest.message, failure: failed.message.error, rest: manifest.rest)
            outcome = .failed
        } else {
            do {
                let request = try manifest.request(party: configuration.party, queue: configuration.queue)
                let gathered = try parts.map { part throws(WorkerError) in
                    GatheredPart(
                        provider: part.route.issuer,
                        request: try part.request(party: configuration.party, queue: configuration.queue))
                }
                let result = try await combiner.combine(gathered, manifest: request)
                outgoing.suppressions = parts.flatMap(\.message.suppressions) + manifest.message.suppressions
                outgoing.take(result, party: configuration.party, service: configuration.service)
                outgoing.setSignedRoute(manifest.rest)
            } catch {
                let failure = sender.serviceError(error)
                logger.warning("combining failed; sending an error result", metadata: ["error": "\(error)"])
                (outgoing, destination) = sender.errorResult(manifest.message, failure: failure, rest: manifest.rest)
                outcome = .failed
            }
        }
        outgoing.hopTimings = parts.flatMap(\.message.hopTimings) + manifest.message.hopTimings
        let lastArrival = parts.map(\.started).max() ?? manifest.started
        let queued = parts.compactMap { $0.message.hopTimings.last?.finishedUnixMicros }.max() ?? gathering.firstArrival
        outgoing.hopTimings.append(
            sender.timing(queuedSince: queued, started: max(lastArrival, manifest.started),
                          coldStartMicros: coldStartMicros))
        return await sender.send(outgoing, to: destination, settling: gathering.deliveries, outcome: outcome, logger)
    }

    private func expire(_ key: Gathering.Key) async {
        guard let gathering = gatherings.removeValue(forKey: key) else { return }
        finished.insert(key)
        let seconds = configuration.gatheringTimeout.components.seconds
        guard let manifest = gathering.manifest else {
            for part in gathering.sortedParts {
                _ = await sender.deadLetter(
                    part.delivery,
                    reason: "no manifest for request \(key) arrived within \(seconds) s; is "
                        + "\(configuration.party)'s agent running?", part.logger)
            }
            await settled(.deadLettered)
            return
        }
        let have = gathering.parts.keys.sorted()
        manifest.logger.warning("gathering timed out", metadata: ["missing": "\(gathering.missing)"])
        await fail(
            gathering, manifest: manifest, code: .partsMissing,
            "timed out after \(seconds) s waiting for parts from \(gathering.missing.joined(separator: ", "))"
                + (have.isEmpty ? " (none arrived)" : " (have \(have.joined(separator: ", ")))")
                + "; check that those providers' agents and workers run")
    }

    /// Ends a request with an error result of this worker to the manifest route's result recipient, settling
    /// everything held for it.
    private func fail(
        _ gathering: Gathering, manifest: AdmittedMessage, code: WorkerError.Code, _ message: String
    ) async {
        let failure = Dynamos_ServiceError.with {
            $0.party = configuration.party
            $0.service = configuration.service
            $0.code = code.rawValue
            $0.message = message
        }
        var (outgoing, destination) = sender.errorResult(manifest.message, failure: failure, rest: manifest.rest)
        outgoing.hopTimings.append(
            sender.timing(queuedSince: gathering.firstArrival, started: gathering.firstArrival, coldStartMicros: 0))
        let outcome = await sender.send(
            outgoing, to: destination, settling: gathering.deliveries, outcome: .failed, manifest.logger)
        await settled(outcome)
    }

    /// Starts the request's expiry timer, once.
    private func arm(_ gathering: inout Gathering, _ key: Gathering.Key) {
        guard gathering.timer == nil else { return }
        gathering.timer = Task { [weak self, timeout = configuration.gatheringTimeout] in
            try? await Task.sleep(for: timeout)
            guard !Task.isCancelled else { return }
            await self?.expire(key)
        }
    }

    private func release(_ older: AdmittedMessage, because reason: String) async {
        do {
            try await older.delivery.ack()
        } catch {
            older.logger.debug("the replaced copy was already gone", metadata: ["reason": "\(reason)"])
        }
    }

    private func kind(_ admitted: AdmittedMessage) -> String { admitted.rest.nextHop == nil ? "part" : "manifest" }
}
