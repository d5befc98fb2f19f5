import DynamosStewardConfig
import Foundation

extension KnowledgeBase {
    /// Reads and validates the six seed files (`requestTypes.json`, `microservices.json`, ...) in `directory`.
    ///
    /// - Throws: `RoutingError` naming the file, the entry and the problem, for a missing or unreadable file,
    ///   a malformed entry or an inconsistent configuration.
    public static func load(directory: String) throws(RoutingError) -> KnowledgeBase {
        let base = ConfigFile.path("", in: directory)
        let knowledgeBase: KnowledgeBase
        do {
            knowledgeBase = KnowledgeBase(
                requestTypes: try ConfigFile.decode([RequestType].self, base + ConfigKind.requestTypes.fileName),
                microservices: try ConfigFile.decode([Microservice].self, base + ConfigKind.microservices.fileName),
                archetypes: try ConfigFile.decode([Archetype].self, base + ConfigKind.archetypes.fileName),
                agreements: try ConfigFile.decode([Agreement].self, base + ConfigKind.agreements.fileName),
                datasets: try Dataset.loadAll(directory: directory),
                stewards: try StewardSettings.loadAll(directory: directory))
        } catch {
            throw RoutingError(.invalidConfig, error.message)
        }
        try knowledgeBase.validate(origin: base)
        return knowledgeBase
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
