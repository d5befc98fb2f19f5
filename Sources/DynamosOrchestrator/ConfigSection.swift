public import DynamosKnowledge
import DynamosStewardConfig
import Foundation

/// One section of the config API, `/api/v1/<section>`, and the knowledge-base entries it reads and writes.
///
/// The thesis paths: `archetypes`, `requestTypes`, `microservices`, `policyEnforcer` (the agreements) and
/// `datasets`; `stewards` (party settings) is ours. Entries are named by `name`; datasets by their steward, whose
/// datasets are read and written together.
public enum ConfigSection: String, Sendable, CaseIterable {
    case archetypes
    case requestTypes
    case microservices
    case policyEnforcer
    case datasets
    case stewards

    /// The knowledge-base kind behind the section.
    public var kind: ConfigKind {
        switch self {
        case .archetypes: .archetypes
        case .requestTypes: .requestTypes
        case .microservices: .microservices
        case .policyEnforcer: .agreements
        case .datasets: .datasets
        case .stewards: .stewards
        }
    }

    /// Every entry of the section, as a JSON array.
    func list(in knowledgeBase: KnowledgeBase) throws -> Data {
        switch self {
        case .archetypes: try Self.encode(knowledgeBase.archetypes)
        case .requestTypes: try Self.encode(knowledgeBase.requestTypes)
        case .microservices: try Self.encode(knowledgeBase.microservices)
        case .policyEnforcer: try Self.encode(knowledgeBase.agreements)
        case .datasets: try Self.encode(knowledgeBase.datasets)
        case .stewards: try Self.encode(knowledgeBase.stewards)
        }
    }

    /// The entry named `name` as JSON (for datasets: that steward's datasets as an array), or nil.
    func entry(_ name: String, in knowledgeBase: KnowledgeBase) throws -> Data? {
        switch self {
        case .archetypes: try knowledgeBase.archetypes.first { $0.name == name }.map(Self.encode)
        case .requestTypes: try knowledgeBase.requestTypes.first { $0.name == name }.map(Self.encode)
        case .microservices: try knowledgeBase.microservices.first { $0.name == name }.map(Self.encode)
        case .policyEnforcer: try knowledgeBase.agreements.first { $0.name == name }.map(Self.encode)
        case .stewards: try knowledgeBase.stewards.first { $0.name == name }.map(Self.encode)
        case .datasets:
            try Optional(knowledgeBase.datasets.filter { $0.steward == name }).flatMap { $0.isEmpty ? nil : $0 }
                .map(Self.encode)
        }
    }

    /// Replaces every entry of the section with the JSON array `body`.
    func replaceAll(in knowledgeBase: inout KnowledgeBase, with body: Data) throws {
        switch self {
        case .archetypes: knowledgeBase.archetypes = try Self.decode(body)
        case .requestTypes: knowledgeBase.requestTypes = try Self.decode(body)
        case .microservices: knowledgeBase.microservices = try Self.decode(body)
        case .policyEnforcer: knowledgeBase.agreements = try Self.decode(body)
        case .datasets: knowledgeBase.datasets = try Self.decode(body)
        case .stewards: knowledgeBase.stewards = try Self.decode(body)
        }
    }

    /// Adds or replaces the entry `name` with the JSON object `body` (datasets: the steward's array).
    /// - Throws: `NameMismatch` when the body names a different entry than the path.
    func upsert(_ name: String, in knowledgeBase: inout KnowledgeBase, with body: Data) throws {
        switch self {
        case .archetypes: try Self.upsert(name, try Self.decode(body), into: &knowledgeBase.archetypes, \.name)
        case .requestTypes: try Self.upsert(name, try Self.decode(body), into: &knowledgeBase.requestTypes, \.name)
        case .microservices: try Self.upsert(name, try Self.decode(body), into: &knowledgeBase.microservices, \.name)
        case .policyEnforcer: try Self.upsert(name, try Self.decode(body), into: &knowledgeBase.agreements, \.name)
        case .stewards: try Self.upsert(name, try Self.decode(body), into: &knowledgeBase.stewards, \.name)
        case .datasets:
            let datasets: [Dataset] = try Self.decode(body)
            if let other = datasets.first(where: { $0.steward != name }) {
                throw NameMismatch(path: name, body: other.steward)
            }
            knowledgeBase.datasets.removeAll { $0.steward == name }
            knowledgeBase.datasets += datasets
        }
    }

    /// Removes the entry `name`. - Returns: whether there was one.
    func remove(_ name: String, from knowledgeBase: inout KnowledgeBase) -> Bool {
        func drop<T>(_ list: inout [T], _ matches: (T) -> Bool) -> Bool {
            let before = list.count
            list.removeAll(where: matches)
            return list.count != before
        }
        switch self {
        case .archetypes: return drop(&knowledgeBase.archetypes) { $0.name == name }
        case .requestTypes: return drop(&knowledgeBase.requestTypes) { $0.name == name }
        case .microservices: return drop(&knowledgeBase.microservices) { $0.name == name }
        case .policyEnforcer: return drop(&knowledgeBase.agreements) { $0.name == name }
        case .datasets: return drop(&knowledgeBase.datasets) { $0.steward == name }
        case .stewards: return drop(&knowledgeBase.stewards) { $0.name == name }
        }
    }

    /// The body names another entry than the URL does.
    struct NameMismatch: Error, CustomStringConvertible {
        let path: String
        let body: String
        var description: String { "the body names '\(body)' but the path names '\(path)'; make them agree" }
    }

    private static func upsert<T>(_ name: String, _ value: T, into list: inout [T], _ key: KeyPath<T, String>) throws {
        guard value[keyPath: key] == name else { throw NameMismatch(path: name, body: value[keyPath: key]) }
        if let index = list.firstIndex(where: { $0[keyPath: key] == name }) {
            list[index] = value
        } else {
            list.append(value)
        }
    }

    private static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return try encoder.encode(value)
    }

    private static func decode<T: Decodable>(_ body: Data) throws -> T {
        try JSONDecoder().decode(T.self, from: body)
    }
}
