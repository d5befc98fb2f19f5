import DynamosBus
import DynamosControl
import DynamosKnowledge
import DynamosMessages
import DynamosRouting
import DynamosStewardConfig
import DynamosSupervisor
import DynamosTokens

/// One run of this party's part of a request, the same value for the three ways a request arrives here (its own
/// chain, as compute provider, forwarded by one): the request's id and mode, the hops the first message carries
/// (per-request queues in ephemeral mode), the services that must run, and for an ephemeral run its queues, its
/// slot among the party's ephemeral runs and its `--once` workers.
struct ChainRun: Sendable {
    let requestId: String
    let mode: StewardSettings.ExecutionMode
    let hops: [String]
    let services: [String]
    /// The per-request queues and workers of an ephemeral run; nil when the party's pools serve it.
    let ephemeral: EphemeralRun?
    /// The party's ephemeral-run slot this run holds, released by ``release()``.
    private let slot: AdmissionControl.Slot?

    init(route: PartyRoute, requestId: String, mode: StewardSettings.ExecutionMode, slot: AdmissionControl.Slot?) {
        self.requestId = requestId
        self.mode = mode
        self.services = route.services
        self.slot = slot
        hops = Self.hops(of: route, requestId: requestId, mode: mode)
        ephemeral = mode == .ephemeral
            ? EphemeralRun(party: route.party, requestId: requestId, hops: hops, services: route.services) : nil
    }

    /// The hops a run of `route` sends its first message along: the route's queues, or in ephemeral mode the
    /// request's own queues in their place.
    static func hops(of route: PartyRoute, requestId: String, mode: StewardSettings.ExecutionMode) -> [String] {
        mode == .ephemeral ? EphemeralRun.hops(route.path, requestId: requestId) : route.path
    }

    /// Gives the ephemeral-run slot back (nothing for a persistent run).
    func release() {
        slot?.release()
    }
}

extension Agent {
    /// The first half of the one access check every data request passes, however it arrives: the analyst's token
    /// verifies and names this job.
    func claims(of token: String, forJob jobId: String) async throws(ControlError) -> AccessClaims {
        let claims = try await verifier.verify(token)
        guard claims.job == jobId else {
            throw ControlError(.forbidden, "the token is for job \(claims.job), not \(jobId)")
        }
        return claims
    }

    /// The second half: the job is live here (its lease renewed), belongs to the token's user and was approved for
    /// this request type.
    func leasedJob(_ jobId: String, for claims: AccessClaims, requestType: String) async throws(ControlError)
        -> AgentJob
    {
        let job = try await registry.lease(jobId)
        guard job.composition.user.userName == claims.sub.value else {
            throw ControlError(.forbidden, "job \(job.jobId) belongs to another user")
        }
        guard requestType == job.composition.requestType else {
            throw ControlError(
                .forbidden, "job \(job.jobId) was approved for \(job.composition.requestType), not \(requestType)")
        }
        return job
    }

    /// A run of `route` for a new request (or `requestId`, for a forwarded one): an ephemeral run takes one of the
    /// party's ephemeral slots (its queues are declared by ``launch(_:first:alsoSend:)``, so nothing is left behind
    /// when signing fails in between).
    func beginRun(
        _ route: PartyRoute, mode: StewardSettings.ExecutionMode, requestId: String = Agent.newRequestID()
    ) async throws(ControlError) -> ChainRun {
        ChainRun(
            route: route, requestId: requestId, mode: mode, slot: mode == .ephemeral ? try await ephemeralSlot() : nil)
    }

    /// Declares an ephemeral run's queues, publishes the run's first `message` to its first hop, runs `alsoSend`
    /// (forwarding to stewards), and makes sure its services run: the party's pools, or `--once` workers for an
    /// ephemeral run, whose queues and workers are cleaned up at once on failure.
    /// - Returns: the ephemeral run's workers.
    func launch(
        _ run: ChainRun, first message: Dynamos_MicroserviceCommunication,
        alsoSend: () async throws(ControlError) -> Void = {}
    ) async throws(ControlError) -> [any WorkerHandle] {
        var handles: [any WorkerHandle] = []
        do throws(ControlError) {
            try await run.ephemeral?.declare(on: broker)
            try await publish(message, to: run.hops[0])
            try await alsoSend()
            if let ephemeral = run.ephemeral {
                handles = try await ephemeral.start(with: workers)
            } else {
                try await provision(run.services)
            }
        } catch {
            await run.ephemeral?.finish(handles, grace: .zero, broker: broker, logger: logger)
            throw error
        }
        return handles
    }

    /// Launches the run and waits for its result; an ephemeral run is cleaned up either way.
    /// - Returns: the result and the time since `started`, taken before the cleanup.
    func dispatch(
        _ run: ChainRun, first message: Dynamos_MicroserviceCommunication, started: ContinuousClock.Instant,
        alsoSend: () async throws(ControlError) -> Void = {}
    ) async throws(ControlError) -> (Dynamos_MicroserviceCommunication, Duration) {
        await correlator.expect(run.requestId)
        let handles: [any WorkerHandle]
        do {
            handles = try await launch(run, first: message, alsoSend: alsoSend)
        } catch {
            await correlator.forget(run.requestId)
            throw error
        }
        let result = await correlator.wait(for: run.requestId, timeout: settings.requestTimeout)
        let total = started.duration(to: .now)
        await run.ephemeral?.finish(handles, grace: .seconds(5), broker: broker, logger: logger)
        guard let result else { throw Self.timedOut(run.requestId, after: settings.requestTimeout) }
        return (result, total)
    }
}
