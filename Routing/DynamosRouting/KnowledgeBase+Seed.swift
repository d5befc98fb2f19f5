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
        guard FileManager.default.fileExists(atPath: path) else {
            throw RoutingError(
                .invalidConfig, "\(path) is missing; point at a directory with all six seed files (see Deploy/config)")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw RoutingError(
                .invalidConfig, "\(path) cannot be read (\(error.localizedDescription)); check its permissions")
        }
        return try decode(type, from: data, file: path)
    }

    /// Decodes JSON `data` that came from `file`; errors name the file and the failing entry.
    static func decode<Value: Decodable>(_ type: Value.Type, from data: Data, file: String) throws(RoutingError)
        -> Value
    {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw RoutingError(.invalidConfig, "\(file): \(describe(error)); fix that entry")
        } catch {
            throw RoutingError(.invalidConfig, "\(file): \(error); fix the file")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func location(_ path: [any CodingKey]) -> String {
            guard !path.isEmpty else { return "the top level" }
            return path.map { key in key.intValue.map { "entry \($0 + 1)" } ?? key.stringValue }
                .joined(separator: ", ")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(location(context.codingPath)): missing field '\(key.stringValue)'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(location(context.codingPath)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            return "\(location(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
