public import DynamosClient
public import DynamosEnsemble
import Foundation
public import Logging

/// The ensemble a benchmark runs against: the one `.dynamos/ensemble.json` names when its `dynamos up` still runs,
/// otherwise one the benchmark brings up itself and stops when it is done.
///
/// Benchmarks only talk HTTP to it (approval, data requests, the agents' worker API), so a running ensemble and
/// a private one are measured the same way.
public final class BenchEnsemble: Sendable {
    /// The orchestrator's base URL.
    public let orchestrator: String
    /// Each party's agent base URL.
    public let agents: [String: String]
    /// Where the stewards' datasets are, for the message size report.
    public let dataDirectory: String
    /// The API keys of the ensemble's analyst (approvals) and operator (pools).
    public let credentials: EnsembleCredentials
    /// The certificate authority of an ensemble under `--tls`, which its servers are verified against.
    public let certificateAuthority: String?
    /// Set when the benchmark started the ensemble itself.
    private let owned: Ensemble?

    /// Whether this benchmark brought the ensemble up (and will stop it).
    public var isPrivate: Bool { owned != nil }

    private init(
        orchestrator: String, agents: [String: String], dataDirectory: String, credentials: EnsembleCredentials,
        certificateAuthority: String?, owned: Ensemble?
    ) {
        self.orchestrator = orchestrator
        self.certificateAuthority = certificateAuthority
        self.credentials = credentials
        self.agents = agents
        self.dataDirectory = dataDirectory
        self.owned = owned
    }

    /// The running ensemble described in `settings.stateDirectory`, or a new one started with `settings`.
    /// - Parameter log: receives the daemons' log lines of an ensemble started here.
    public static func acquire(
        _ settings: EnsembleSettings, logger: Logger, log: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws -> BenchEnsemble {
        if let file = EnsembleFile.running(at: EnsembleFile.path(in: settings.stateDirectory)) {
            guard let credentials = EnsembleCredentials.load(from: settings.stateDirectory) else {
                throw BenchError(
                    "the running ensemble left no \(EnsembleCredentials.path(in: settings.stateDirectory)); restart it "
                        + "with this version of `dynamos up`")
            }
            logger.info("using the running ensemble", metadata: ["orchestrator": "\(file.orchestrator)"])
            return BenchEnsemble(
                orchestrator: file.orchestrator, agents: file.agents,
                dataDirectory: file.dataDirectory ?? settings.dataDirectory, credentials: credentials,
                certificateAuthority: file.certificateAuthority, owned: nil)
        }
        logger.info("no running ensemble; bringing one up", metadata: ["state": "\(settings.stateDirectory)"])
        let ensemble = try await Ensemble.start(settings, logger: logger, log: log)
        return BenchEnsemble(
            orchestrator: ensemble.file.orchestrator, agents: ensemble.file.agents,
            dataDirectory: ensemble.file.dataDirectory ?? settings.dataDirectory, credentials: ensemble.credentials,
            certificateAuthority: ensemble.file.certificateAuthority, owned: ensemble)
    }

    /// An ensemble already running at known addresses (tests, or one started by the caller).
    public init(ensemble: Ensemble) {
        orchestrator = ensemble.file.orchestrator
        agents = ensemble.file.agents
        dataDirectory = ensemble.file.dataDirectory ?? ensemble.settings.dataDirectory
        credentials = ensemble.credentials
        certificateAuthority = ensemble.file.certificateAuthority
        owned = nil
    }

    /// Stops the ensemble when the benchmark started it; leaves a running one alone.
    public func release() async {
        await owned?.stop()
    }

    /// The agent URL of `party`.
    /// - Throws: `BenchError` when the ensemble has no agent for it.
    public func agent(_ party: String) throws(BenchError) -> String {
        guard let url = agents[party] else {
            throw BenchError("the ensemble has no agent for \(party); it has \(agents.keys.sorted())")
        }
        return url
    }
}
