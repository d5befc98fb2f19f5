public import DynamosKnowledge
/// The router's front door: from a request to a `RoutePlan`, with the archetype given or selected.
///
/// Combines `ArchetypeSelector` (which archetype, why) and `PathPlanner` (which queues, for whom) over one
/// knowledge-base snapshot.
public struct Router: Sendable {
    public let knowledgeBase: KnowledgeBase

    public init(knowledgeBase: KnowledgeBase) {
        self.knowledgeBase = knowledgeBase
    }

    /// Routes with an archetype chosen by the caller: every steward takes part under `archetype`.
    /// - Throws: `RoutingError` for unknown names, a missing compute provider or an unroutable chain.
    public func plan(
        requestType: String, archetype: String, providers: [String], computeProvider: String?,
        options: Set<String>
    ) throws(RoutingError) -> RoutePlan {
        let assignments = providers.map { StewardAssignment(steward: $0, archetype: archetype) }
        let parties = try PathPlanner(knowledgeBase: knowledgeBase).routes(
            requestType: requestType, options: options, assignments: assignments, computeProvider: computeProvider)
        let usesProvider = parties.contains { $0.role == .computeProvider }
        return RoutePlan(
            archetype: archetype, computeProvider: usesProvider ? computeProvider : nil, parties: parties,
            reasons: ["archetype \(archetype) given by the caller"])
    }

    /// Selects the archetype for `request` (see `ArchetypeSelector`), then routes it.
    /// - Throws: `RoutingError` saying what to change when nothing is allowed, available or routable.
    public func plan(
        selecting request: SelectionRequest, status: [String: PartyStatus] = [:]
    ) throws(RoutingError) -> RoutePlan {
        let decision = try ArchetypeSelector(knowledgeBase: knowledgeBase).select(request, status: status)
        let parties = try PathPlanner(knowledgeBase: knowledgeBase).routes(
            requestType: request.requestType, options: request.options, assignments: decision.assignments,
            computeProvider: decision.computeProvider)
        return RoutePlan(
            archetype: decision.archetype, computeProvider: decision.computeProvider, parties: parties,
            reasons: decision.reasons)
    }
}
