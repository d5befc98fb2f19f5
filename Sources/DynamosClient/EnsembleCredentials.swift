import DynamosRouteSigning
import Foundation

/// `<state>/credentials.json` (mode 0600): the API keys `dynamos up` makes for the demo analyst and an operator,
/// which `dynamos request`, `workers`, `scale` and the benchmarks use when no `--api-key` or `DYNAMOS_API_KEY` is
/// given, so the README's examples and `make demo` keep working as they are.
public struct EnsembleCredentials: Sendable, Codable, Equatable {
    /// One user's key.
    public struct Key: Sendable, Codable, Equatable {
        public var user: String
        public var apiKey: String

        public init(user: String, apiKey: String) {
            self.user = user
            self.apiKey = apiKey
        }
    }

    /// The demo analyst, as the agreements in `Deploy/config` name it.
    public var analyst: Key
    public var `operator`: Key

    public init(analyst: Key, operator: Key) {
        self.analyst = analyst
        self.operator = `operator`
    }

    /// The user `dynamos up` makes an analyst key for.
    public static let demoAnalyst = "jorrit.stutterheim@cloudnation.nl"
    /// The user `dynamos up` makes an operator key for.
    public static let demoOperator = "operator"

    public static func path(in stateDirectory: String) -> String { "\(stateDirectory)/credentials.json" }

    /// The credentials of the ensemble in `stateDirectory`, if it wrote any.
    public static func load(from stateDirectory: String) -> EnsembleCredentials? {
        guard let data = FileManager.default.contents(atPath: path(in: stateDirectory)) else { return nil }
        return try? JSONDecoder().decode(EnsembleCredentials.self, from: data)
    }

    /// Writes the file with mode 0600.
    public func write(to stateDirectory: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try SecretFile.write(try encoder.encode(self), to: Self.path(in: stateDirectory))
    }
}
