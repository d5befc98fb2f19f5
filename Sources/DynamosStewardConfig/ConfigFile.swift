public import DynamosErrors
public import Foundation

/// One JSON file of the configuration directory (`datasets.json`, `stewards.json`, ...), decoded with errors that
/// name the file and the failing entry: the one reader the router's knowledge base and the workers share.
public enum ConfigFile {
    /// Decodes the file at `path`.
    /// - Throws: ``ConfigFileError`` for a missing or unreadable file or a malformed entry.
    public static func decode<Value: Decodable>(_ type: Value.Type, _ path: String) throws(ConfigFileError) -> Value {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ConfigFileError(
                "\(path) is missing; point at a directory with all six seed files (see Deploy/config)")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigFileError("\(path) cannot be read (\(error.localizedDescription)); check its permissions")
        }
        return try decode(type, from: data, file: path)
    }

    /// Decodes JSON `data` that came from `file`.
    /// - Throws: ``ConfigFileError`` naming the file and the failing entry.
    public static func decode<Value: Decodable>(_ type: Value.Type, from data: Data, file: String)
        throws(ConfigFileError) -> Value
    {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw ConfigFileError("\(file): \(describe(error)); fix that entry")
        } catch {
            throw ConfigFileError("\(file): \(error); fix the file")
        }
    }

    /// The path of `file` in `directory`.
    public static func path(_ file: String, in directory: String) -> String {
        (directory.hasSuffix("/") ? directory : directory + "/") + file
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

/// A configuration file that cannot be used: which file, which entry, and what to fix.
public struct ConfigFileError: DynamosError, Equatable {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }
}
