import DynamosBus
import DynamosControl
import DynamosControlBus
import DynamosKnowledge
import DynamosMessages
import DynamosRouteSigning
import DynamosRouting
import DynamosSupervisor

extension Agent {
    /// Handles one message from the agent's inbox. Compositions, revocations and config pushes count only when the
    /// orchestrator sent them (its broker user) and signed them (its key); a forwarded request only when the compute
    /// provider it names sent it, and its analyst's token is checked in `serveForwarded`.
    func receive(_ message: ControlMessage, from sender: ControlSender) async -> ControlDisposition {
        switch message {
        case .signed(let signed):
            guard sender.isParty(ControlQueues.orchestratorParty) else {
                return .refused("a signed control message sent by \(sender), not by the orchestrator")
            }
            do {
                await receiveSigned(try await verifier.open(signed))
            } catch {
                return .refused(error.explanation)
            }
        case .forwardedRequest(let forwarded):
            guard sender.isParty(forwarded.from) else {
                return .refused("a request forwarded in \(forwarded.from)'s name by \(sender)")
            }
            await serveForwarded(forwarded)
        case .composition, .configChanged, .jobRevoked:
            return .refused("an unsigned \(message.kind.rawValue) message; only the orchestrator's signed ones count")
        case .heartbeat, .compositionAccepted:
            return .refused("a \(message.kind.rawValue) message is meant for the orchestrator, not an agent")
        }
        return .handled
    }

    /// Acts on a control message the orchestrator signed.
    private func receiveSigned(_ message: ControlMessage) async {
        switch message {
        case .composition(let composition): await accept(composition)
        case .configChanged(let push):
            let snapshot = VersionedKnowledgeBase(version: push.version, knowledgeBase: push.knowledgeBase)
            if await config.offer(snapshot) {
                logger.info("config updated", metadata: ["config.version": "\(push.version)"])
            }
        case .jobRevoked(let revocation):
            do {
                try await registry.revoke(revocation.jobId, reason: revocation.reason, finally: revocation.final)
                logger.info("job revoked", metadata: ["job.id": "\(revocation.jobId)", "reason": "\(revocation.reason)"])
            } catch {
                logger.error("a revocation could not be stored", metadata: ["job.id": "\(revocation.jobId)", "error": "\(error)"])
            }
        case .forwardedRequest, .heartbeat, .compositionAccepted, .signed:
            logger.warning("ignoring a signed control message of kind \(message.kind)")
        }
    }

    /// Stores a composition for this party and tells the orchestrator whether it was taken, and if not, why.
    func accept(_ composition: JobComposition) async {
        guard composition.party == party else {
            logger.warning("ignoring a composition for another party", metadata: ["party": "\(composition.party)"])
            return
        }
        var refusal: String?
        do {
            if try await !registry.store(composition) {
                refusal = "job \(composition.jobId) is revoked, lapsed or at a newer revision here"
            }
        } catch {
            refusal = error.explanation
        }
        if let refusal {
            logger.warning("a composition was not taken", metadata: ["job.id": "\(composition.jobId)", "why": "\(refusal)"])
        } else {
            logger.info(
                "job composed",
                metadata: ["job.id": "\(composition.jobId)", "job.role": "\(composition.role.rawValue)",
                           "job.revision": "\(composition.revision)"])
        }
        let receipt = CompositionReceipt(
            jobId: composition.jobId, party: party, revision: composition.revision, refusal: refusal)
        do {
            try await control.send(.compositionAccepted(receipt), to: ControlQueues.orchestrator)
        } catch {
            logger.error("a receipt could not be sent", metadata: ["job.id": "\(composition.jobId)", "error": "\(error)"])
        }
    }

    /// dataThroughTtp at a steward: runs the data part of a request the compute provider forwarded, ending at the
    /// compute provider's aggregate queue. Once the request proved where it comes from (the analyst's access token
    /// for this job, and the compute provider's own signed ticket for this very request), a refusal (say, the job is
    /// revoked here) still sends a part, an error one, so the request fails at once instead of waiting out the
    /// gathering timeout; a request that proved nothing gets no answer, so nobody can make this party sign and send
    /// parts on a whim.
    func serveForwarded(_ forwarded: ForwardedRequest) async {
        var authorized = false
        do throws(ControlError) {
            let claims = try await claims(of: forwarded.token, forJob: forwarded.jobId)
            guard claims.sub.value == forwarded.request.user.userName,
                forwarded.request.requestMetadata.jobId == forwarded.jobId
            else {
                throw ControlError(.forbidden, "the forwarded request's token is for another job or user")
            }
            let ticket = forwarded.ticket
            guard ticket.party == forwarded.from, ticket.jobID == forwarded.jobId, ticket.requestID == forwarded.requestId,
                signer.verifier.isValid(ticket)
            else {
                throw ControlError(.forbidden, "the forwarded request carries no valid ticket of \(forwarded.from) for it")
            }
            authorized = true
            let job = try await leasedJob(forwarded.jobId, for: claims, requestType: forwarded.request.type)
            guard job.composition.role == .dataProvider, job.composition.computeProvider == forwarded.from else {
                throw ControlError(
                    .forbidden, "\(forwarded.from) is not the compute provider of job \(forwarded.jobId) at \(party)")
            }
            try await checkOutputPolicy(forwarded.request, stewards: [party])
            let mode = try await executionMode(forwarded.request.executionMode, requestType: forwarded.request.type)
            let archetype = job.composition.assignments[party] ?? job.composition.archetype
            let routes = try await planRoutes(
                forwarded.request, job: job, assignments: [StewardAssignment(steward: party, archetype: archetype)])
            guard let own = routes.first(where: { $0.party == party }) else {
                throw ControlError(.conflict, "\(party) has no part in job \(forwarded.jobId) under its current plan")
            }
            guard ChainRun.hops(of: own, requestId: forwarded.requestId, mode: mode).last == forwarded.ticket.queue else {
                throw ControlError(
                    .conflict, "\(party)'s route for job \(forwarded.jobId) does not end at \(forwarded.ticket.queue)")
            }
            let run = try await beginRun(own, mode: mode, requestId: forwarded.requestId)
            defer { run.release() }
            let message = try signedMessage(
                RequestMessage(
                    request: forwarded.request.sqlDataRequest(requestId: forwarded.requestId),
                    jobID: forwarded.jobId, requestID: forwarded.requestId, hops: run.hops, tickets: [forwarded.ticket]))
            let handles = try await launch(run, first: message)
            await run.ephemeral?.finish(handles, grace: settings.requestTimeout, broker: broker, logger: logger)
        } catch {
            logger.warning(
                "a forwarded request was refused",
                metadata: ["job.id": "\(forwarded.jobId)", "request.id": "\(forwarded.requestId)", "error": "\(error)"])
            if authorized { await sendErrorPart(for: forwarded, error: error) }
        }
    }

    /// An error part to the compute provider's aggregate, naming this party and the refusal.
    private func sendErrorPart(for forwarded: ForwardedRequest, error: ControlError) async {
        do {
            var message = try signedMessage(
                RequestMessage(
                    request: forwarded.request.sqlDataRequest(requestId: forwarded.requestId),
                    jobID: forwarded.jobId, requestID: forwarded.requestId, hops: [forwarded.ticket.queue],
                    tickets: [forwarded.ticket]))
            message.error = Dynamos_ServiceError.with {
                $0.party = party
                $0.service = "agent"
                $0.code = error.code.rawValue
                $0.message = error.explanation
            }
            try await publish(message, to: forwarded.ticket.queue)
        } catch {
            logger.error("the error part could not be sent", metadata: ["request.id": "\(forwarded.requestId)", "error": "\(error)"])
        }
    }
}
