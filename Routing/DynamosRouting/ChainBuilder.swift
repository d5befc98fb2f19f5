public import DynamosKnowledge
/// Turns a request into the ordered list of services that handle it, for one party and role.
///
/// The chain is the request type's required services, the services of the selected options, the services the
/// steward enforces and those the archetype implies, minus services invalid for the archetype, ordered
/// topologically under `allowedOutputs`. Every service in the chain outputs to the next one.
public struct ChainBuilder: Sendable {
    public let knowledgeBase: KnowledgeBase

    public init(knowledgeBase: KnowledgeBase) {
        self.knowledgeBase = knowledgeBase
    }

    /// The full chain for `requestType` at `party` under `archetype`, before role filtering.
    /// - Throws: `RoutingError` for an unknown request type, option or archetype, a cycle, or services that
    ///   cannot be put in one line.
    public func chain(
        requestType: String, options: Set<String>, party: String?, archetype: String
    ) throws(RoutingError) -> [String] {
        guard let type = knowledgeBase.requestType(named: requestType) else {
            let known = knowledgeBase.requestTypes.map(\.name).joined(separator: ", ")
            throw RoutingError(.unknownRequestType, "unknown request type '\(requestType)'; use one of: \(known)")
        }
        guard let archetypeEntry = knowledgeBase.archetype(named: archetype) else {
            let known = knowledgeBase.archetypes.map(\.name).joined(separator: ", ")
            throw RoutingError(.unknownArchetype, "unknown archetype '\(archetype)'; use one of: \(known)")
        }
        var selected = Set(type.requiredServices)
        for option in options.sorted() {
            guard let services = type.services(forOption: option) else {
                throw RoutingError(
                    .unknownOption,
                    "request type '\(requestType)' has no option '\(option)'; use any of: "
                        + type.options.joined(separator: ", "))
            }
            selected.formUnion(services)
        }
        if let party { selected.formUnion(knowledgeBase.enforcedServices(of: party, for: requestType)) }
        selected.formUnion(archetypeEntry.impliedServices)
        for name in selected {
            if knowledgeBase.microservice(named: name)?.invalidArchetypes.contains(archetype) ?? false {
                selected.remove(name)
            }
        }
        return try order(selected)
    }

    /// The chain filtered to the services a party with `role` runs.
    public func chain(
        requestType: String, options: Set<String>, party: String?, archetype: String, role: PartyRole
    ) throws(RoutingError) -> [String] {
        let full = try chain(requestType: requestType, options: options, party: party, archetype: archetype)
        return full.filter { name in knowledgeBase.microservice(named: name).map { role.runs($0.label) } ?? false }
    }

    /// Orders `services` so each one outputs to the next.
    /// - Throws: `RoutingError` naming the cycle, an unknown service, or two neighbours that cannot be joined.
    public func order(_ services: Set<String>) throws(RoutingError) -> [String] {
        for name in services.sorted() where knowledgeBase.microservice(named: name) == nil {
            throw RoutingError(.unknownService, "unknown service '\(name)'; add it to microservices.json")
        }
        let graph = ServiceGraph(microservices: knowledgeBase.microservices, selecting: services)
        guard let order = graph.topologicalOrder() else {
            let cycle = graph.cycle() ?? graph.nodes
            throw RoutingError(
                .cycle,
                "the services form a cycle \(cycle.joined(separator: " -> ")); remove one of these allowedOutputs")
        }
        for (source, target) in zip(order, order.dropFirst()) where !graph.hasEdge(from: source, to: target) {
            throw RoutingError(
                .invalidRoute,
                "the chain \(order.joined(separator: " -> ")) needs '\(source)' to output to '\(target)', which its "
                    + "allowedOutputs do not permit; add '\(target)' to them or change the request's options")
        }
        return order
    }
}
