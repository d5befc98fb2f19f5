public import AsyncHTTPClient
import Foundation

/// `.dynamos/ensemble.json`: where a running local ensemble is, so `dynamos request` and the benchmarks find it.
public struct EnsembleFile: Sendable, Codable, Equatable {
    /// The orchestrator's base URL.
    public var orchestrator: String
    /// Each party's agent base URL.
    public var agents: [String: String]
    /// The broker URL the ensemble uses (password removed).
    public var broker: String
    /// The pid of the `dynamos up` process.
    public var pid: Int32
    /// Seconds since the Unix epoch when it came up.
    public var startedAt: Double
    /// Where the stewards' datasets are (`<dir>/<party>/<table>.csv`); absent in files of older versions.
    public var dataDirectory: String?
    /// The certificate authority the ensemble's HTTPS servers and broker are verified against, under `--tls`.
    public var certificateAuthority: String?

    public init(
        orchestrator: String, agents: [String: String], broker: String, pid: Int32, startedAt: Double,
        dataDirectory: String? = nil, certificateAuthority: String? = nil
    ) {
        self.certificateAuthority = certificateAuthority
        self.orchestrator = orchestrator
        self.agents = agents
        self.broker = broker
        self.pid = pid
        self.startedAt = startedAt
        self.dataDirectory = dataDirectory
    }

    /// The default location under the state directory.
    public static func path(in stateDirectory: String) -> String { "\(stateDirectory)/ensemble.json" }

    /// The ensemble described at `path` when its `dynamos up` process still runs; nil otherwise.
    public static func running(at path: String) -> EnsembleFile? {
        guard let data = FileManager.default.contents(atPath: path),
            let file = try? JSONDecoder().decode(EnsembleFile.self, from: data), kill(file.pid, 0) == 0
        else { return nil }
        return file
    }

    /// An HTTP client that verifies the ensemble's servers (its own authority under `--tls`).
    public var http: HTTPClient { TrustedHTTP.client(trusting: certificateAuthority) }

    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
