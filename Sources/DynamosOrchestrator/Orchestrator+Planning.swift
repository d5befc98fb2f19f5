import DynamosControl
import DynamosKnowledge
import DynamosQueues
import DynamosRouting
import Foundation

extension Orchestrator {
    /// A plan for a job: the archetypes, the compute provider and each party's role, with the reasons.
    struct JobPlan: Sendable, Equatable {
        var archetype: String
        var computeProvider: String?
        var assignments: [String: String]
        var roles: [String: PartyRole]
        var reasons: [String]
    }

    /// Runs the policy enforcer and archetype selection for `request` over the agents online now.
    func plan(_ request: ApprovalRequest, knowledgeBase: KnowledgeBase) async throws(ControlError) -> JobPlan {
        let parties = knowledgeBase.stewards.map(\.name)
        let status = await registry.status(of: parties)
        let selection = SelectionRequest(
            user: request.user.userName, requestType: request.type, providers: request.dataProviders,
            options: request.enabledOptions)
        let routePlan: RoutePlan
        do {
            routePlan = try Router(knowledgeBase: knowledgeBase).plan(selecting: selection, status: status)
        } catch {
            throw Self.controlError(for: error)
        }
        var assignments: [String: String] = [:]
        var roles: [String: PartyRole] = [:]
        for route in routePlan.parties {
            roles[route.party] = route.role
            if route.role != .computeProvider { assignments[route.party] = route.archetype }
        }
        return JobPlan(
            archetype: routePlan.archetype, computeProvider: routePlan.computeProvider, assignments: assignments,
            roles: roles, reasons: routePlan.reasons)
    }

    /// The control-plane error for a router refusal: who refused and why, with the matching HTTP status.
    static func controlError(for error: RoutingError) -> ControlError {
        switch error.code {
        case .unknownParty: ControlError(.notFound, error.explanation)
        case .notAllowed, .noCommonArchetype: ControlError(.refused, error.explanation)
        case .partyOffline: ControlError(.unavailable, error.explanation)
        case .unknownRequestType, .unknownOption, .invalidRequest, .unknownArchetype, .unknownService:
            ControlError(.badRequest, error.explanation)
        default: ControlError(.internalError, error.explanation)
        }
    }

    /// Sends every party of `job` its composition; with `waitFor`, waits for their receipts.
    /// - Returns: each party that did not accept it, with why.
    func compose(_ job: JobRecord, waitFor: Bool) async throws(ControlError) -> [String: String] {
        let parties = Set(job.roles.keys)
        if waitFor { await receipts.expect(jobId: job.jobId, revision: job.revision, from: parties) }
        do throws(ControlError) {
            try await sendCompositions(of: job)
        } catch {
            await receipts.forget(jobId: job.jobId, revision: job.revision)
            throw error
        }
        guard waitFor else { return [:] }
        return await receipts.wait(jobId: job.jobId, revision: job.revision, timeout: settings.receiptTimeout)
    }

    private func sendCompositions(of job: JobRecord) async throws(ControlError) {
        for party in job.parties {
            let composition = JobComposition(
                jobId: job.jobId, revision: job.revision, user: job.request.user, requestType: job.request.type,
                archetype: job.archetype, assignments: job.assignments, computeProvider: job.computeProvider,
                providers: job.request.dataProviders, options: job.request.enabledOptions.sorted(),
                role: job.roles[party] ?? .all, party: party, reasons: job.reasons)
            try await bus.send(try await tokens.sign(control: .composition(composition)), to: QueueNames.agent(party: party))
        }
    }

    /// Ends `job` at every party taking part (its tokens stop working there) and forgets it; with `parties`, ends
    /// it only there, not finally (a re-plan moved it away from them and may move it back).
    func revoke(_ job: JobRecord, reason: String, at parties: [String]? = nil) async {
        let revocation = JobRevocation(
            jobId: job.jobId, user: job.request.user.userName, reason: reason, final: parties == nil)
        for party in parties ?? job.parties {
            do {
                try await bus.send(try await tokens.sign(control: .jobRevoked(revocation)), to: QueueNames.agent(party: party))
            } catch {
                logger.error(
                    "a revocation could not be sent", metadata: ["job.id": "\(job.jobId)", "party": "\(party)",
                                                                 "error": "\(error)"])
            }
        }
        if parties == nil {
            do {
                try await jobs.remove(job.jobId)
            } catch {
                logger.error("a revoked job stays in the book", metadata: ["job.id": "\(job.jobId)", "error": "\(error)"])
            }
        }
        logger.info("job revoked", metadata: ["job.id": "\(job.jobId)", "reason": "\(reason)"])
    }

    /// Re-plans every active job (or just `only`) against `knowledgeBase`: a job whose user lost permission is
    /// revoked, a job whose archetype or roles changed gets a new revision sent to its agents; agents that drop out
    /// are told to end it there. A job some agents did not confirm is sent again. A job that cannot be planned only
    /// because agents are offline keeps its plan.
    func replanJobs(knowledgeBase: KnowledgeBase, only: [JobRecord]? = nil) async {
        let active: [JobRecord]
        do {
            if let only { active = only } else { active = try await jobs.active() }
        } catch {
            logger.error("the job book cannot be read; no job re-planned", metadata: ["error": "\(error)"])
            return
        }
        for job in active {
            let plan: JobPlan
            do {
                plan = try await self.plan(job.request, knowledgeBase: knowledgeBase)
            } catch where error.code == .refused || error.code == .notFound || error.code == .badRequest {
                await revoke(job, reason: "the agreements no longer allow it: \(error.explanation)")
                continue
            } catch {
                logger.warning("job kept on its plan", metadata: ["job.id": "\(job.jobId)", "error": "\(error)"])
                continue
            }
            var next = job
            next.archetype = plan.archetype
            next.computeProvider = plan.computeProvider
            next.assignments = plan.assignments
            next.roles = plan.roles
            next.reasons = plan.reasons
            let changed = !next.samePlan(as: job)
            guard changed || !job.unconfirmed.isEmpty else { continue }
            if changed { next.revision += 1 }
            do {
                next.unconfirmed = try await compose(next, waitFor: true).keys.sorted()
            } catch {
                next.unconfirmed = next.parties
                logger.error("a re-planned job could not be sent", metadata: ["job.id": "\(job.jobId)", "error": "\(error)"])
            }
            if !next.unconfirmed.isEmpty {
                logger.warning(
                    "agents did not confirm a re-planned job; it is sent again on the next change",
                    metadata: ["job.id": "\(job.jobId)", "parties": "\(next.unconfirmed)"])
            }
            do {
                try await jobs.add(next)
            } catch {
                logger.error("a re-planned job could not be stored", metadata: ["job.id": "\(job.jobId)", "error": "\(error)"])
            }
            let dropped = Set(job.parties).subtracting(next.parties).sorted()
            if !dropped.isEmpty { await revoke(job, reason: "re-planned without this party", at: dropped) }
            if changed {
                logger.info(
                    "job re-planned",
                    metadata: ["job.id": "\(job.jobId)", "job.archetype": "\(job.archetype) -> \(next.archetype)"])
            }
        }
    }
}
