/// A service a chain can contain, with where it runs and which services may receive its output.
///
/// `allowedOutputs` are the edges of the service graph: a chain is valid only if every service hands its output to
/// one it lists. `invalidArchetypes` removes the service from chains of those archetypes (`aggregate` has no
/// meaning when every steward computes on its own data).
public struct Microservice: Sendable, Codable, Equatable {
    public var name: String
    public var label: ServiceLabel
    public var allowedOutputs: [String]
    public var invalidArchetypes: [String]

    public init(name: String, label: ServiceLabel, allowedOutputs: [String] = [], invalidArchetypes: [String] = []) {
        self.name = name
        self.label = label
        self.allowedOutputs = allowedOutputs
        self.invalidArchetypes = invalidArchetypes
    }

    private enum CodingKeys: String, CodingKey {
        case name, label, allowedOutputs, invalidArchetypes
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        label = try container.decode(ServiceLabel.self, forKey: .label)
        allowedOutputs = try container.decodeIfPresent([String].self, forKey: .allowedOutputs) ?? []
        invalidArchetypes = try container.decodeIfPresent([String].self, forKey: .invalidArchetypes) ?? []
    }
}
