public import DynamosControl
public import DynamosControlBus
public import DynamosKnowledge
public import DynamosRouting
public import DynamosTokens
import Foundation
public import Logging

/// The orchestrator's logic, without HTTP: approve requests, keep jobs in line with agreements, hand out config.
///
/// `OrchestratorHTTP` puts routes in front of it and `OrchestratorService` serves its bus inbox.
public final class Orchestrator: Sendable {
    public let store: any ConfigStore
    public let registry: AgentRegistry
    public let jobs: JobBook
    /// What callers authenticate with.
    public let credentials: Credentials
    let receipts = ReceiptBoard()
    let bus: ControlBus
    let tokens: TokenAuthority
    let settings: OrchestratorSettings
    let logger: Logger
    /// Serialises config changes with the re-planning they cause.
    let configLock = AsyncLock()

    public init(
        store: any ConfigStore, jobs: JobBook, bus: ControlBus, tokens: TokenAuthority, credentials: Credentials,
        settings: OrchestratorSettings, registry: AgentRegistry = AgentRegistry(), logger: Logger
    ) {
        self.credentials = credentials
        self.store = store
        self.jobs = jobs
        self.bus = bus
        self.tokens = tokens
        self.settings = settings
        self.registry = registry
        self.logger = logger
    }

    /// Approves `request` for `principal`, the authenticated caller, who is the request's user: checks it against
    /// the agreements, picks the archetype among online agents, tells every party's agent its part, and answers
    /// with endpoints and a token.
    /// - Throws: `ControlError`: `.forbidden` when the body names another user, `.badRequest` for a malformed
    ///   request, `.notFound` for an unknown party, `.refused` naming the steward and rule that refused,
    ///   `.unavailable` when agents are offline or silent.
    public func approve(_ request: ApprovalRequest, by principal: Principal) async throws(ControlError) -> ApprovalResponse {
        var request = request
        request.user = try request.user.resolved(as: principal.name)
        try Self.validate(request)
        let planned = try await snapshot()
        let plan = try await plan(request, knowledgeBase: planned.knowledgeBase)
        let now = Date()
        let jobId = "job-" + UUID().uuidString.lowercased().prefix(18)
        let (token, expiry) = try await tokens.issue(
            user: request.user, job: jobId, parties: Array(plan.roles.keys), lifetime: settings.tokenLifetime,
            now: now)
        var job = JobRecord(
            jobId: jobId, request: request, revision: 1, archetype: plan.archetype,
            computeProvider: plan.computeProvider, assignments: plan.assignments, roles: plan.roles,
            reasons: plan.reasons, createdAt: now, expiresAt: expiry)
        try await jobs.add(job)
        let missing: [String: String]
        do {
            missing = try await compose(job, waitFor: true)
        } catch {
            await revoke(job, reason: "approval abandoned: \(error.explanation)")
            throw error
        }
        guard missing.isEmpty else {
            await revoke(job, reason: "approval abandoned: agents did not confirm")
            let why = missing.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ")
            throw ControlError(
                .unavailable, "agents did not take job \(jobId) (\(why)); check that they run, then ask again")
        }
        let current = try await snapshot()
        if current.version != planned.version {
            await replanJobs(knowledgeBase: current.knowledgeBase, only: [job])
            guard let replanned = try await jobs.job(jobId) else {
                throw ControlError(.refused, "the agreements changed while job \(jobId) was approved; it is no longer allowed")
            }
            job = replanned
        }
        logger.info(
            "job approved",
            metadata: ["job.id": "\(jobId)", "job.archetype": "\(job.archetype)", "user": "\(request.user.userName)"])
        return ApprovalResponse(
            jobId: jobId, archetype: job.archetype, computeProvider: job.computeProvider,
            assignments: job.assignments, endpoints: await endpoints(for: job), token: token,
            expiresAt: Int(expiry.timeIntervalSince1970), reasons: job.reasons)
    }

    /// A session token for `principal` at `party`'s agent, which that agent accepts for its pools and workers.
    /// - Throws: `ControlError` `.notFound` for a party the config does not know.
    public func session(for principal: Principal, at party: String) async throws(ControlError) -> SessionToken {
        guard try await snapshot().knowledgeBase.stewards.contains(where: { $0.name == party }) else {
            throw ControlError(.notFound, "no party '\(party)'; ask for a session token with ?party=<a party>")
        }
        return try await tokens.issueSession(for: principal, at: party, lifetime: settings.sessionLifetime)
    }

    /// The current knowledge base and its version.
    func snapshot() async throws(ControlError) -> VersionedKnowledgeBase {
        do {
            return try await store.snapshot()
        } catch {
            throw ControlError(.internalError, "the config store cannot be read: \(error.explanation)")
        }
    }

    static func validate(_ request: ApprovalRequest) throws(ControlError) {
        guard !request.type.isEmpty else { throw ControlError(.badRequest, "'type' is empty; use sqlDataRequest") }
        guard !request.dataProviders.isEmpty else {
            throw ControlError(.badRequest, "'dataProviders' is empty; name at least one steward")
        }
        guard Set(request.dataProviders).count == request.dataProviders.count else {
            throw ControlError(.badRequest, "'dataProviders' names a steward twice")
        }
    }

    /// Each entry party's data-request URL: stewards running everything themselves, and the compute provider.
    func endpoints(for job: JobRecord) async -> [String: String] {
        var endpoints: [String: String] = [:]
        for (party, role) in job.roles where role != .dataProvider {
            let base = await registry.endpoint(of: party) ?? ""
            endpoints[party] = base + "/agent/v1/sqlDataRequest/" + party
        }
        return endpoints
    }
}
