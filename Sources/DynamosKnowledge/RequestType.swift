public import DynamosStewardConfig
/// A kind of request an analyst can send, and the services it needs.
///
/// Required services are always in the chain; each optional entry is switched on by its option flag
/// (`anonymize`, `aggregate`, `graph`). Encoded in the thesis shape: `optionalServices` is a list of one-key objects.
public struct RequestType: Sendable, Codable, Equatable {
    public var name: String
    public var requiredServices: [String]
    /// Option flag to the services it adds, in file order.
    public var optionalServices: [OptionalServices]
    /// The mode requests of this type run in when the request does not say; nil leaves it to the steward.
    public var executionMode: StewardSettings.ExecutionMode?

    /// The services one option flag adds.
    public struct OptionalServices: Sendable, Equatable {
        public var option: String
        public var services: [String]

        public init(option: String, services: [String]) {
            self.option = option
            self.services = services
        }
    }

    public init(
        name: String, requiredServices: [String], optionalServices: [OptionalServices] = [],
        executionMode: StewardSettings.ExecutionMode? = nil
    ) {
        self.executionMode = executionMode
        self.name = name
        self.requiredServices = requiredServices
        self.optionalServices = optionalServices
    }

    /// The option flags this request type understands.
    public var options: [String] { optionalServices.map(\.option) }

    /// The services `option` adds, or nil when the request type has no such option.
    public func services(forOption option: String) -> [String]? {
        optionalServices.first { $0.option == option }?.services
    }

    private enum CodingKeys: String, CodingKey {
        case name, requiredServices, optionalServices, executionMode
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        requiredServices = try container.decodeIfPresent([String].self, forKey: .requiredServices) ?? []
        let entries = try container.decodeIfPresent([[String: [String]]].self, forKey: .optionalServices) ?? []
        optionalServices = entries.flatMap { entry in
            entry.keys.sorted().map { OptionalServices(option: $0, services: entry[$0] ?? []) }
        }
        executionMode = try container.decodeIfPresent(StewardSettings.ExecutionMode.self, forKey: .executionMode)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(requiredServices, forKey: .requiredServices)
        try container.encode(optionalServices.map { [$0.option: $0.services] }, forKey: .optionalServices)
        try container.encodeIfPresent(executionMode, forKey: .executionMode)
    }
}
