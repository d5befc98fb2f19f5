import DynamosBus
public import DynamosControl
import DynamosKnowledge
import DynamosMessages
import DynamosQueues
import DynamosRouteSigning
import DynamosRouting
import DynamosStewardConfig
import DynamosSupervisor
import DynamosTokens
import Foundation

extension Agent {
    /// Serves `POST /agent/v1/sqlDataRequest/<party>`: checks the token and the job, plans this party's route,
    /// makes sure its workers run, publishes the first message and answers with the result.
    /// - Throws: `ControlError` with the status to answer: 401 for a missing or invalid token, 403 for a token
    ///   of another job or user or a revoked job (a token names its job, and the job, re-planned or not, names the
    ///   parties that serve it), 404 for an unknown party or job, 409 when the job's data requests
    ///   go to another party, 400 for a request the chain refused (bad SQL), 504 when no result came in time.
    public func serve(
        _ request: DataRequest, for requestedParty: String, authorization: String?
    ) async throws(ControlError) -> DataResponse {
        guard requestedParty == party else {
            throw ControlError(
                .notFound, "this agent serves \(party); party '\(requestedParty)' is not served here")
        }
        let token = try TokenVerifier.bearerToken(from: authorization)
        let claims = try await claims(of: token, forJob: request.requestMetadata.jobId)
        var request = request
        request.user = try request.user.resolved(as: claims.sub.value)
        let job = try await leasedJob(request.requestMetadata.jobId, for: claims, requestType: request.type)
        let mode = try await executionMode(request.executionMode, requestType: request.type)
        let slot = try await userSlot(claims.sub.value)
        defer { slot.release() }
        return try await tracked { () async throws(ControlError) -> DataResponse in
            switch job.composition.role {
            case .all: return try await runOwnChain(request, job: job, mode: mode)
            case .computeProvider:
                return try await runAsComputeProvider(request, job: job, token: token, mode: mode)
            case .dataProvider:
                let provider = job.composition.computeProvider ?? "the compute provider"
                throw ControlError(
                    .conflict,
                    "job \(job.jobId) runs \(job.composition.archetype) here; send its data requests to \(provider)'s agent")
            }
        }
    }

    /// The mode a request runs in here: its own, its request type's or this party's; a forbidden one is refused.
    func executionMode(
        _ requested: String?, requestType: String
    ) async throws(ControlError) -> StewardSettings.ExecutionMode {
        do {
            return try await config.current.knowledgeBase.executionMode(
                requested: requested, requestType: requestType, party: party)
        } catch {
            throw ControlError(error.code == .notAllowed ? .forbidden : .badRequest, error.explanation)
        }
    }

    /// computeToData: this steward runs the whole chain and gets the result back.
    func runOwnChain(
        _ request: DataRequest, job: AgentJob, mode: StewardSettings.ExecutionMode
    ) async throws(ControlError) -> DataResponse {
        let started = ContinuousClock.now
        try await checkOutputPolicy(request, stewards: [party])
        let archetype = job.composition.assignments[party] ?? job.composition.archetype
        let routes = try await planRoutes(
            request, job: job, assignments: [StewardAssignment(steward: party, archetype: archetype)])
        guard let own = routes.first(where: { $0.party == party }) else {
            throw ControlError(.internalError, "the router gave \(party) no route for job \(job.jobId)")
        }
        let run = try await beginRun(own, mode: mode)
        defer { run.release() }
        let message = try signedMessage(
            RequestMessage(
                request: request.sqlDataRequest(requestId: run.requestId), jobID: job.jobId, requestID: run.requestId,
                hops: run.hops))
        let (result, total) = try await dispatch(run, first: message, started: started)
        return try DataResponseBuilder.response(
            for: result, jobId: job.jobId, requestId: run.requestId, archetype: archetype, mode: mode.rawValue,
            total: total)
    }

    /// dataThroughTtp at the compute provider: send the manifest into its own chain, forward the request to each
    /// steward with a ticket for the aggregate queue, and wait for the combined result.
    func runAsComputeProvider(
        _ request: DataRequest, job: AgentJob, token: String, mode: StewardSettings.ExecutionMode
    ) async throws(ControlError) -> DataResponse {
        let started = ContinuousClock.now
        let assignments = job.composition.assignments.sorted { $0.key < $1.key }.map {
            StewardAssignment(steward: $0.key, archetype: $0.value)
        }
        let routes = try await planRoutes(request, job: job, assignments: assignments)
        guard let own = routes.first(where: { $0.party == party && $0.role == .computeProvider }) else {
            throw ControlError(.conflict, "job \(job.jobId) has no compute part at \(party) under its current plan")
        }
        let providers = routes.filter { $0.role == .dataProvider }.map(\.party)
        try await checkOutputPolicy(request, stewards: providers)
        let run = try await beginRun(own, mode: mode)
        defer { run.release() }
        let ticket: RouteTicket
        do {
            ticket = try signer.issueTicket(
                jobID: job.jobId, requestID: run.requestId, queue: run.hops[0], expectedParts: providers.count,
                expiresAt: routeExpiry())
        } catch {
            throw ControlError(.internalError, "\(party) cannot issue a ticket: \(error.explanation)")
        }
        let manifest = try signedMessage(
            RequestMessage(
                request: request.sqlDataRequest(requestId: run.requestId), jobID: job.jobId, requestID: run.requestId,
                hops: run.hops, providers: providers))
        var forwardedRequest = request
        forwardedRequest.executionMode = mode.rawValue
        let (result, total) = try await dispatch(run, first: manifest, started: started) {
            () async throws(ControlError) in
            for steward in providers {
                let forwarded = ForwardedRequest(
                    jobId: job.jobId, requestId: run.requestId, from: party, request: forwardedRequest, ticket: ticket,
                    token: token)
                try await control.send(.forwardedRequest(forwarded), to: QueueNames.agent(party: steward))
            }
        }
        return try DataResponseBuilder.response(
            for: result, jobId: job.jobId, requestId: run.requestId, archetype: job.composition.archetype,
            mode: mode.rawValue, total: total)
    }

    /// Every party's route for this request under the current config.
    func planRoutes(
        _ request: DataRequest, job: AgentJob, assignments: [StewardAssignment]
    ) async throws(ControlError) -> [PartyRoute] {
        let knowledgeBase = await config.current.knowledgeBase
        let options = Set(job.composition.options).union(request.enabledOptions)
        do {
            return try PathPlanner(knowledgeBase: knowledgeBase).routes(
                requestType: request.type, options: options, assignments: assignments,
                computeProvider: job.composition.computeProvider)
        } catch {
            let requestFaults: Set<RoutingError.Code> = [
                .unknownOption, .unknownRequestType, .invalidRequest, .unknownService, .unknownArchetype,
            ]
            let code: ControlError.Code = requestFaults.contains(error.code) ? .badRequest : .internalError
            throw ControlError(code, "no route for this request: \(error.explanation)")
        }
    }

    /// Makes sure `services` have workers at this party, starting them when their pools are at zero. Called after
    /// the first message is published, so a message that waits for a worker's start carries that cold start in its
    /// hop timing, at whichever party it happens.
    func provision(_ services: [String]) async throws(ControlError) {
        do {
            _ = try await workers.ensureRunning(services)
        } catch {
            throw ControlError(.unavailable, "\(party)'s workers for \(services) could not be started", cause: error)
        }
    }

    /// `request` as its first message, the route signed with this party's key, valid for the request timeout and
    /// a minute's grace for clocks that differ between hosts.
    func signedMessage(_ request: RequestMessage) throws(ControlError) -> Dynamos_MicroserviceCommunication {
        do {
            return try request.message(signedBy: signer, expiresAt: routeExpiry())
        } catch {
            throw ControlError(.internalError, "\(party) cannot sign the route of \(request.requestID): \(error.explanation)")
        }
    }

    /// When routes and tickets this agent signs now expire: after the request timeout and a minute's grace.
    func routeExpiry() -> Int64 {
        UnixTime.now + settings.requestTimeout.components.seconds + 60
    }

    func publish(_ message: Dynamos_MicroserviceCommunication, to queue: String) async throws(ControlError) {
        do {
            let body: [UInt8] = try message.serializedBytes()
            try await broker.publish(
                OutgoingMessage(exchange: DynamosTopology.exchangeName, routingKey: queue, body: body))
        } catch {
            throw ControlError(.unavailable, "the request could not be published to \(queue)", cause: error)
        }
    }

    static func timedOut(_ requestId: String, after timeout: Duration) -> ControlError {
        ControlError(
            .timeout, "no result for request \(requestId) within \(timeout); the chain may be overloaded or a "
                + "worker down")
    }

    static func newRequestID() -> String { "req-" + UUID().uuidString.lowercased() }
}
