import DynamosStewardConfig
import Foundation

extension KnowledgeBase {
    /// Reads and validates the six seed files (`requestTypes.json`, `microservices.json`, ...) in `directory`.
    ///
    /// - Throws: `RoutingError` naming the file, the entry and the problem, for a missing or unreadable file,
    ///   a malformed entry or an inconsistent configuration.
    public static func load(directory: String) throws(RoutingError) -> KnowledgeBase {
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        let knowledgeBase = KnowledgeBase(
            requestTypes: try decode([RequestType].self, base + ConfigKind.requestTypes.fileName),
            microservices: try decode([Microservice].self, base + ConfigKind.microservices.fileName),
            archetypes: try decode([Archetype].self, base + ConfigKind.archetypes.fileName),
            agreements: try decode([Agreement].self, base + ConfigKind.agreements.fileName),
            datasets: try decode([Dataset].self, base + ConfigKind.datasets.fileName),
            stewards: try decode([StewardSettings].self, base + ConfigKind.stewards.fileName))
        try knowledgeBase.validate(origin: base)
        return knowledgeBase
    }

    /// Decodes one seed file; errors name the file and the failing entry.
    static func decode<Value: Decodable>(_ type: Value.Type, _ path: String) throws(RoutingError) -> Value {
        do {
            return try ConfigFile.decode(type, path)
        } catch {
            throw RoutingError(.invalidConfig, error.message)
        }
    }

    /// Decodes JSON `data` that came from `file`; errors name the file and the failing entry.
    static func decode<Value: Decodable>(_ type: Value.Type, from data: Data, file: String) throws(RoutingError)
        -> Value
    {
        do {
            return try ConfigFile.decode(type, from: data, file: file)
        } catch {
            throw RoutingError(.invalidConfig, error.message)
        }
    }
}
