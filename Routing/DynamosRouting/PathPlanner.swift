public import DynamosKnowledge
import DynamosQueues
import DynamosStewardConfig
/// Turns archetype assignments into every party's concrete hop list of queue names.
///
/// A steward under an archetype that computes at the data (`computeToData`) runs its whole chain and answers to
/// its own agent (`dynamos.<steward>.results`). A steward that sends its data to another party (`dataThroughTtp`)
/// runs its `dataProvider` services and ends at the compute provider's first service; the compute provider runs
/// the `computeProvider` services, expecting one part per such steward, and answers on its results queue.
public struct PathPlanner: Sendable {
    public let chains: ChainBuilder

    public init(knowledgeBase: KnowledgeBase) {
        chains = ChainBuilder(knowledgeBase: knowledgeBase)
    }

    /// Every party's route, stewards in the given order, then the compute provider if one is used.
    /// - Throws: `RoutingError` for unknown parties or archetypes, a missing compute provider, or chains that do
    ///   not split into a data part followed by a compute part.
    public func routes(
        requestType: String, options: Set<String>, assignments: [StewardAssignment], computeProvider: String?
    ) throws(RoutingError) -> [PartyRoute] {
        let knowledgeBase = chains.knowledgeBase
        guard !assignments.isEmpty else {
            throw RoutingError(.invalidRequest, "no data providers given; name at least one steward")
        }
        var routes: [PartyRoute] = []
        var offloading: [(steward: String, archetype: Archetype)] = []
        for assignment in assignments {
            try requireParty(assignment.steward, kind: .steward)
            guard let archetype = knowledgeBase.archetype(named: assignment.archetype) else {
                let known = knowledgeBase.archetypes.map(\.name).joined(separator: ", ")
                throw RoutingError(
                    .unknownArchetype, "unknown archetype '\(assignment.archetype)'; use one of: \(known)")
            }
            let role = archetype.stewardRole
            let services = try chains.chain(
                requestType: requestType, options: options, party: assignment.steward, archetype: archetype.name,
                role: role)
            let hops = services.map { QueueNames.worker(party: assignment.steward, service: $0) }
            if role == .all {
                routes.append(
                    PartyRoute(
                        party: assignment.steward, role: role, archetype: archetype.name, services: services,
                        path: hops + [QueueNames.results(party: assignment.steward)]))
            } else {
                try requireDataBeforeCompute(requestType: requestType, options: options, party: assignment.steward,
                    archetype: archetype.name)
                offloading.append((assignment.steward, archetype))
                routes.append(
                    PartyRoute(
                        party: assignment.steward, role: role, archetype: archetype.name, services: services,
                        path: hops))
            }
        }
        guard let first = offloading.first else { return routes }
        guard let computeProvider, !computeProvider.isEmpty else {
            throw RoutingError(
                .invalidRequest,
                "archetype '\(first.archetype.name)' sends data to a compute provider, but none was given; "
                    + "name one (e.g. --compute-provider SURF)")
        }
        try requireParty(computeProvider, kind: nil)
        if assignments.contains(where: { $0.steward == computeProvider }) {
            throw RoutingError(
                .invalidRequest, "'\(computeProvider)' is both a data provider and the compute provider; pick another")
        }
        if let other = offloading.first(where: { $0.archetype.name != first.archetype.name }) {
            throw RoutingError(
                .invalidRequest,
                "stewards send to the compute provider under two archetypes ('\(first.archetype.name)', "
                    + "'\(other.archetype.name)'); use one")
        }
        let computeServices = try chains.chain(
            requestType: requestType, options: options, party: computeProvider, archetype: first.archetype.name,
            role: .computeProvider)
        guard let entry = computeServices.first else {
            throw RoutingError(
                .invalidRoute,
                "archetype '\(first.archetype.name)' leaves no computeProvider service for '\(computeProvider)'; "
                    + "add one (e.g. aggregate or algorithm) to the request")
        }
        let entryQueue = QueueNames.worker(party: computeProvider, service: entry)
        for index in routes.indices where routes[index].role == .dataProvider {
            routes[index].path.append(entryQueue)
        }
        routes.append(
            PartyRoute(
                party: computeProvider, role: .computeProvider, archetype: first.archetype.name,
                services: computeServices,
                path: computeServices.map { QueueNames.worker(party: computeProvider, service: $0) }
                    + [QueueNames.results(party: computeProvider)],
                expectedParts: offloading.count))
        return routes
    }

    private func requireParty(_ name: String, kind: StewardSettings.Kind?) throws(RoutingError) {
        let knowledgeBase = chains.knowledgeBase
        guard let settings = knowledgeBase.settings(of: name) else {
            let candidates = knowledgeBase.stewards.filter { kind == nil || $0.kind == kind }.map(\.name)
            throw RoutingError(
                .unknownParty, "unknown party '\(name)'; use one of: \(candidates.joined(separator: ", "))")
        }
        if let kind, settings.kind != kind {
            throw RoutingError(.invalidRequest, "'\(name)' is a \(settings.kind.rawValue), not a \(kind.rawValue)")
        }
    }

    /// A steward hands over after its last data service, so its chain must be data services, then compute ones.
    private func requireDataBeforeCompute(
        requestType: String, options: Set<String>, party: String, archetype: String
    ) throws(RoutingError) {
        let full = try chains.chain(requestType: requestType, options: options, party: party, archetype: archetype)
        let labels = full.compactMap { chains.knowledgeBase.microservice(named: $0)?.label }
        if let firstCompute = labels.firstIndex(of: .computeProvider),
            labels[firstCompute...].contains(.dataProvider)
        {
            throw RoutingError(
                .labelMismatch,
                "the chain \(full.joined(separator: " -> ")) at '\(party)' runs a dataProvider service after a "
                    + "computeProvider one, so it cannot be split between parties; relabel or reorder the services")
        }
    }
}
