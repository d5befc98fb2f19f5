import ArgumentParser
import DynamosServices
import Foundation
import Logging

/// `dynamos worker`: runs one worker daemon for one service of one party, until SIGTERM or SIGINT.
///
/// Status goes to standard output as one JSON line per event (the supervisor's line protocol); logs go to
/// standard error. The parties' public route keys come from `--keyring`, the broker from `DYNAMOS_AMQP_URL`.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run a worker: consume dynamos.<party>.<service>, handle each message and hand it on.",
        discussion: """
            Services: \(ServiceCatalog.names.joined(separator: ", ")). `relay` hands the table on unchanged \
            (benchmarks, the demo). Datasets are read as <data-dir>/<party>/<table>.csv; the dataset configuration \
            (delimiters, anonymization rules, sentinels) from <config>/datasets.json.
            SIGTERM or SIGINT drains: intake stops, in-flight messages are finished and acknowledged, exit 0.
            """)

    @Argument(help: "The service to run.")
    var service: String

    @Option(help: "The party this worker runs for, e.g. UVA.")
    var party: String

    @Option(help: "The queue to consume instead of dynamos.<party>.<service> (ephemeral queues).")
    var queue: String?

    @Flag(help: "Handle exactly one message (aggregate: one request), then exit (ephemeral mode).")
    var once = false

    @Option(help: "Messages taken at once; default 8, and 256 for aggregate, which holds parts until complete.")
    var prefetch: UInt16?

    @Option(help: "Datasets as DIR/<party>/<table>.csv.")
    var dataDir = ".dynamos/data"

    @Option(help: "The parties' public route keys (a JSON Web Key Set); default $DYNAMOS_KEYRING.")
    var keyring: String?

    @Option(help: "The configuration directory holding datasets.json.")
    var config = "Deploy/config"

    @Option(help: "Where the query service keeps its SQLite copies; default a temporary directory.")
    var databaseDir: String?

    @Option(help: "Where the query service keeps imported databases between worker starts (shared by the party's workers).")
    var databaseCache: String?

    @Option(help: "Seconds the aggregate waits, from a request's first message, for the missing parts.")
    var gatheringTimeout: Double = 30

    @Option(help: "MiB of parts the aggregate holds at most, over all requests; a part past it fails its request.")
    var gatheringBudgetMib: Int = 256

    @Option(help: "The broker's max_message_size in MiB: a larger result becomes an error result, not a refused publish.")
    var maxMessageMib: Int = 128

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    func validate() throws {
        guard ServiceCatalog.names.contains(service) else {
            throw ValidationError(
                "unknown service '\(service)'; available: \(ServiceCatalog.names.joined(separator: ", "))")
        }
        guard prefetch != 0 else { throw ValidationError("--prefetch must be at least 1") }
        guard gatheringTimeout > 0, gatheringTimeout <= 86_400 else {
            throw ValidationError("--gathering-timeout must be in (0, 86400] seconds")
        }
        guard (1...65_536).contains(gatheringBudgetMib) else {
            throw ValidationError("--gathering-budget-mib must be in 1...65536")
        }
        guard (1...512).contains(maxMessageMib) else {
            throw ValidationError("--max-message-mib must be in 1...512 (RabbitMQ allows at most 512 MiB)")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("unknown --log-level '\(logLevel)'")
        }
    }

    func run() async throws {
        let launched = ContinuousClock.now
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var logger = Logger(label: "dynamos.worker.\(service)")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        do {
            let variables = ProcessInfo.processInfo.environment
            var configuration = WorkerDaemonConfiguration(
                service: service, party: party, keyringPath: try KeyringOption.path(keyring, variables),
                launched: launched)
            configuration.queue = queue
            configuration.once = once
            configuration.prefetch = prefetch
            configuration.dataDirectory = dataDir
            configuration.configDirectory = config
            configuration.databaseDirectory = databaseDir
            configuration.databaseCache = databaseCache
            configuration.gatheringTimeout = .milliseconds(Int64(gatheringTimeout * 1000))
            configuration.gatheringByteBudget = gatheringBudgetMib << 20
            configuration.maxMessageBytes = maxMessageMib << 20
            configuration.partySecret = try PartySecretOption.fromEnvironment(variables)
            configuration.environment = variables
            try await WorkerDaemon(configuration).run(logger: logger)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
