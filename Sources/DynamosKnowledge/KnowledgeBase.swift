public import DynamosStewardConfig
/// Everything the router knows: request types, services, archetypes, agreements, datasets and party settings.
///
/// A plain value, so a snapshot can be handed to any task; `ConfigStore` versions and persists it.
public struct KnowledgeBase: Sendable, Codable, Equatable {
    public var requestTypes: [RequestType]
    public var microservices: [Microservice]
    public var archetypes: [Archetype]
    public var agreements: [Agreement]
    public var datasets: [Dataset]
    public var stewards: [StewardSettings]

    public init(
        requestTypes: [RequestType] = [], microservices: [Microservice] = [], archetypes: [Archetype] = [],
        agreements: [Agreement] = [], datasets: [Dataset] = [], stewards: [StewardSettings] = []
    ) {
        self.requestTypes = requestTypes
        self.microservices = microservices
        self.archetypes = archetypes
        self.agreements = agreements
        self.datasets = datasets
        self.stewards = stewards
    }

    public func requestType(named name: String) -> RequestType? { requestTypes.first { $0.name == name } }
    public func microservice(named name: String) -> Microservice? { microservices.first { $0.name == name } }
    public func archetype(named name: String) -> Archetype? { archetypes.first { $0.name == name } }
    public func agreement(of steward: String) -> Agreement? { agreements.first { $0.name == steward } }
    public func settings(of party: String) -> StewardSettings? { stewards.first { $0.name == party } }

    /// The services `party` enforces for `requestType`.
    public func enforcedServices(of party: String, for requestType: String) -> [String] {
        settings(of: party)?.enforcedServices[requestType] ?? []
    }

    /// The names of every entry of `kind`, in file order (used to name entries in errors).
    public func names(of kind: ConfigKind) -> [String] {
        switch kind {
        case .requestTypes: requestTypes.map(\.name)
        case .microservices: microservices.map(\.name)
        case .archetypes: archetypes.map(\.name)
        case .agreements: agreements.map(\.name)
        case .datasets: datasets.map { "\($0.steward)/\($0.name)" }
        case .stewards: stewards.map(\.name)
        }
    }

    /// The mode a request runs in at `party`: the request's own choice, else its request type's, else the party's;
    /// a mode the party forbids is refused.
    /// - Throws: `RoutingError` `.invalidRequest` for an unknown mode, `.notAllowed` for a forbidden one.
    public func executionMode(
        requested: String?, requestType: String, party: String
    ) throws(RoutingError) -> StewardSettings.ExecutionMode {
        var mode = self.requestType(named: requestType)?.executionMode ?? settings(of: party)?.executionMode
            ?? .persistent
        if let requested {
            guard let chosen = StewardSettings.ExecutionMode(rawValue: requested) else {
                throw RoutingError(.invalidRequest, "unknown executionMode '\(requested)'; use persistent or ephemeral")
            }
            mode = chosen
        }
        if settings(of: party)?.forbiddenExecutionModes.contains(mode) == true {
            throw RoutingError(.notAllowed, "\(party) does not run requests in \(mode.rawValue) mode")
        }
        return mode
    }
}
