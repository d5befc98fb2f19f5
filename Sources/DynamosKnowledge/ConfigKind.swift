/// The six kinds of knowledge-base entries, each kept in its own seed file `Deploy/config/<kind>.json`.
public enum ConfigKind: String, Sendable, Codable, CaseIterable {
    case requestTypes
    case microservices
    case archetypes
    case agreements
    case datasets
    case stewards

    /// The seed file of this kind, e.g. `microservices.json`.
    public var fileName: String { "\(rawValue).json" }
}
