import DynamosControl
import DynamosKnowledge
import DynamosStewardConfig

extension Agent {
    /// Refuses a request whose algorithm the agreement of any of `stewards` does not allow its user: record-level
    /// output (`rows`) only where a relation names it, and only the algorithms a relation lists when it lists
    /// them. A steward's agent checks its own agreement before its data moves; a compute provider checks every
    /// steward's first, so the analyst hears of it before any steward starts.
    /// - Throws: `ControlError` 403 naming the steward, the algorithm and what the agreement allows.
    func checkOutputPolicy(_ request: DataRequest, stewards: [String]) async throws(ControlError) {
        let knowledgeBase = await config.current.knowledgeBase
        let user = request.user.userName
        for steward in stewards {
            guard let agreement = knowledgeBase.agreement(of: steward) else { continue }
            guard !agreement.allowsAlgorithm(request.algorithm, for: user) else { continue }
            let allowed = agreement.allowedAlgorithms(for: user)
            throw ControlError(
                .forbidden,
                "\(steward)'s agreement does not allow algorithm '\(request.algorithm)' for \(user)"
                    + (Agreement.recordLevelAlgorithms.contains(Agreement.knownAlgorithm(named: request.algorithm) ?? "")
                        ? " (record-level output needs the agreement to name it)" : "")
                    + "; allowed: \(allowed.isEmpty ? "none" : allowed.joined(separator: ", "))",
                party: steward, reason: "algorithmNotAllowed")
        }
    }

    /// A place among this party's ephemeral runs (`maxEphemeralRuns`), waiting `settings.ephemeralWait` at most.
    /// - Throws: `ControlError` 429 with `Retry-After` when none came free.
    func ephemeralSlot() async throws(ControlError) -> AdmissionControl.Slot {
        let own = await ownSettings()
        return try await admission.ephemeralRun(
            limit: own?.maxEphemeralRuns ?? StewardSettings.defaultMaxEphemeralRuns, party: party,
            wait: settings.ephemeralWait)
    }

    /// A place among `user`'s requests in flight here (`maxRequestsPerUser`).
    /// - Throws: `ControlError` 429 with `Retry-After` when the user is at the limit.
    func userSlot(_ user: String) async throws(ControlError) -> AdmissionControl.Slot {
        let own = await ownSettings()
        return try admission.admit(user: user, limit: own?.maxRequestsPerUser ?? StewardSettings.defaultMaxRequestsPerUser)
    }

    /// This party's entry of the current `stewards` config.
    private func ownSettings() async -> StewardSettings? {
        await config.current.knowledgeBase.stewards.first { $0.name == party }
    }
}
