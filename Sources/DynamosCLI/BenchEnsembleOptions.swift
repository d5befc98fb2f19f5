import ArgumentParser
import DynamosBench
import DynamosClient
import DynamosEnsemble
import Foundation
import Logging

/// Where the HTTP benchmarks find their ensemble: the running one in `<state-dir>/ensemble.json`, or one they
/// bring up themselves with these settings and stop afterwards.
struct BenchEnsembleOptions: ParsableArguments {
    @Option(help: "Where ensemble.json is looked for, and the state of an ensemble started here.")
    var stateDir = ".dynamos"

    @Option(help: "Datasets of an ensemble started here (generated when missing).")
    var dataDir = ".dynamos/data"

    @Option(help: "Configuration of an ensemble started here.")
    var config = "Deploy/config"

    @Option(help: "Orchestrator port of an ensemble started here; agents take the next ones (0: any free ports).")
    var port = 8080

    @Option(help: "Personen rows generated per steward for an ensemble started here.")
    var persons = 18_000

    @Flag(help: "Echo the daemons' logs of an ensemble started here.")
    var verbose = false

    /// Runs `body` against the running ensemble, or a new one that is stopped afterwards (also on failure).
    func with<T>(label: String, _ body: (BenchEnsemble, Logger) async throws -> T) async throws -> T {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var logger = Logger(label: label)
        logger.logLevel = .warning
        let target = try await acquire(logger: logger)
        do {
            let result = try await body(target, logger)
            await target.release()
            return result
        } catch {
            await target.release()
            throw error
        }
    }

    /// The running ensemble, or a new one.
    private func acquire(logger: Logger) async throws -> BenchEnsemble {
        let settings = EnsembleSettings(
            executable: AgentCommand.executable, orchestratorPort: port, firstAgentPort: port == 0 ? 0 : port + 1,
            stateDirectory: stateDir, dataDirectory: dataDir, configDirectory: config, generatedRows: persons,
            logLevel: verbose ? "info" : "warning")
        let verbose = verbose
        return try await BenchEnsemble.acquire(
            settings, logger: logger,
            log: { line in if verbose { FileHandle.standardError.write(Data((line + "\n").utf8)) } })
    }
}

/// Writes a report file and says where it went.
enum ReportFile {
    static func write(_ bytes: some Sequence<UInt8>, to path: String, what: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
        print("\(what): \(path)")
    }

    static func json(_ value: some Encodable, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try write(try encoder.encode(value), to: path, what: "JSON")
    }
}
