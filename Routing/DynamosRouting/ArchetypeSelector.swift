public import DynamosKnowledge
/// Chooses the archetype (and compute provider) for a request from agreements, options, availability and load.
///
/// Rules, in order: intersect what every requested steward's agreement allows this user; drop archetypes whose
/// parties are offline or that cannot run a requested option (`aggregate` needs `dataThroughTtp`); take the lowest
/// weight (ties by name); then the thesis load rule: a steward above its CPU or memory threshold offloads to the
/// compute provider when its agreement allows an archetype that does.
public struct ArchetypeSelector: Sendable {
    public let knowledgeBase: KnowledgeBase

    public init(knowledgeBase: KnowledgeBase) {
        self.knowledgeBase = knowledgeBase
    }

    /// Selects for `request`, given the parties' `status` (parties missing from it count as online and idle).
    /// - Throws: `RoutingError` saying what to change when nothing is allowed or available.
    public func select(
        _ request: SelectionRequest, status: [String: PartyStatus] = [:]
    ) throws(RoutingError) -> ArchetypeDecision {
        let allowed = try allowedArchetypes(request, status: status)
        var reasons = request.providers.map { steward in
            "\(steward) allows \(allowed[steward, default: []].joined(separator: ", ")) for \(request.user)"
        }
        var common = Set(knowledgeBase.archetypes.map(\.name))
        for steward in request.providers { common.formIntersection(allowed[steward, default: []]) }
        guard !common.isEmpty else {
            throw RoutingError(
                .noCommonArchetype,
                "no archetype is allowed by every steward (\(reasons.joined(separator: "; "))); change the "
                    + "agreements so they share one, or ask fewer stewards")
        }
        let providers = computeProviders(request, status: status, reasons: &reasons)
        var candidates: [Archetype] = []
        for name in common.sorted() {
            guard let archetype = knowledgeBase.archetype(named: name) else { continue }
            if let problem = unusable(archetype, request: request, computeProvider: providers.first) {
                reasons.append("\(name) dropped: \(problem)")
            } else {
                candidates.append(archetype)
            }
        }
        guard let chosen = candidates.min(by: { ($0.weight, $0.name) < ($1.weight, $1.name) }) else {
            throw RoutingError(
                .noCommonArchetype,
                "no allowed archetype can run this request: \(reasons.joined(separator: "; ")); "
                    + fix(request, status: status))
        }
        let weights = candidates.map { "\($0.name) \($0.weight)" }.joined(separator: ", ")
        reasons.append("\(chosen.name) chosen: lowest weight among \(weights)")
        var assignments = request.providers.map { StewardAssignment(steward: $0, archetype: chosen.name) }
        if chosen.computeProvider == .dataProvider {
            offloadOverloaded(
                &assignments, request: request, allowed: allowed, status: status,
                computeProvider: providers.first, reasons: &reasons)
        }
        let offloads = assignments.contains { knowledgeBase.archetype(named: $0.archetype)?.computeProvider == .other }
        let archetype = Set(assignments.map(\.archetype)).count == 1 ? assignments[0].archetype : chosen.name
        return ArchetypeDecision(
            archetype: archetype, computeProvider: offloads ? providers.first : nil, assignments: assignments,
            reasons: reasons)
    }

    /// Per steward, the archetypes its agreement allows this user; checks request type, datasets, then liveness (a
    /// user the policy refuses learns nothing about which agents run).
    private func allowedArchetypes(
        _ request: SelectionRequest, status: [String: PartyStatus]
    ) throws(RoutingError) -> [String: [String]] {
        guard knowledgeBase.requestType(named: request.requestType) != nil else {
            let known = knowledgeBase.requestTypes.map(\.name).joined(separator: ", ")
            throw RoutingError(
                .unknownRequestType, "unknown request type '\(request.requestType)'; use one of: \(known)")
        }
        guard !request.providers.isEmpty else {
            throw RoutingError(.invalidRequest, "no data providers given; name at least one steward")
        }
        var perSteward: [String: [String]] = [:]
        for steward in request.providers {
            guard let settings = knowledgeBase.settings(of: steward), settings.kind == .steward else {
                let known = knowledgeBase.stewards.filter { $0.kind == .steward }.map(\.name).joined(separator: ", ")
                throw RoutingError(.unknownParty, "unknown steward '\(steward)'; use one of: \(known)")
            }
            guard let agreement = knowledgeBase.agreement(of: steward),
                let relation = agreement.relations[request.user]
            else {
                throw RoutingError(
                    .notAllowed,
                    "steward '\(steward)' has no agreement with '\(request.user)'; ask \(steward) to add a relation "
                        + "for this user to agreements.json, or leave \(steward) out")
            }
            guard relation.requestTypes.contains(request.requestType) else {
                throw RoutingError(
                    .notAllowed,
                    "steward '\(steward)' does not allow '\(request.user)' request type '\(request.requestType)'; "
                        + "allowed: \(relation.requestTypes.joined(separator: ", "))")
            }
            for dataSet in request.dataSets where !relation.dataSets.contains(dataSet) {
                throw RoutingError(
                    .notAllowed,
                    "steward '\(steward)' does not allow '\(request.user)' dataset '\(dataSet)'; "
                        + "allowed: \(relation.dataSets.joined(separator: ", "))")
            }
            guard status[steward, default: .unknown].online else {
                throw RoutingError(
                    .partyOffline, "steward '\(steward)' is offline; start its agent or leave it out of the request")
            }
            perSteward[steward] = agreement.allowedArchetypes(for: request.user) ?? []
        }
        return perSteward
    }

    /// The compute providers every steward allows this user, online ones first, by name.
    private func computeProviders(
        _ request: SelectionRequest, status: [String: PartyStatus], reasons: inout [String]
    ) -> [String] {
        var common: Set<String>?
        for steward in request.providers {
            let allowed = Set(knowledgeBase.agreement(of: steward)?.allowedComputeProviders(for: request.user) ?? [])
            common = common.map { $0.intersection(allowed) } ?? allowed
        }
        let known = (common ?? []).filter { knowledgeBase.settings(of: $0) != nil }.sorted()
        let online = known.filter { status[$0, default: .unknown].online }
        for provider in known where !online.contains(provider) {
            reasons.append("compute provider \(provider) is offline")
        }
        if let first = online.first { reasons.append("compute provider \(first): allowed by every steward, online") }
        return online
    }

    /// What to change when no archetype is left: start named offline parties, or change options or agreements.
    private func fix(_ request: SelectionRequest, status: [String: PartyStatus]) -> String {
        var allowed = Set<String>()
        for steward in request.providers {
            allowed.formUnion(knowledgeBase.agreement(of: steward)?.allowedComputeProviders(for: request.user) ?? [])
        }
        let offline = allowed.filter { !status[$0, default: .unknown].online }.sorted()
        let start = offline.isEmpty ? "" : "start the agent of \(offline.joined(separator: ", ")), "
        return start + "drop the options that need another archetype, or widen the agreements"
    }

    /// Why `archetype` cannot run this request, or nil when it can.
    private func unusable(_ archetype: Archetype, request: SelectionRequest, computeProvider: String?) -> String? {
        if archetype.computeProvider == .other, computeProvider == nil {
            return "needs a compute provider that every steward allows and that is online, and there is none"
        }
        let type = knowledgeBase.requestType(named: request.requestType)
        for option in request.options.sorted() {
            for service in type?.services(forOption: option) ?? []
            where knowledgeBase.microservice(named: service)?.invalidArchetypes.contains(archetype.name) ?? false {
                return "option '\(option)' needs service '\(service)', which \(archetype.name) cannot run"
            }
        }
        return nil
    }
}
