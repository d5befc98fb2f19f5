import ArgumentParser
import DynamosBus
import DynamosProcess
import DynamosRouteSigning
import DynamosRouting
import DynamosRuntime
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
        let (implementation, keyring, scratch) = try await prepare(logger: logger)
        defer { if let scratch { try? FileManager.default.removeItem(at: scratch) } }
        let endpoint = try BrokerEndpoint.fromEnvironment()
        let workerID = "\(service)-\(party)-\(ProcessInfo.processInfo.processIdentifier)"
        let broker = try await RabbitMQBroker.connect(
            RabbitMQBroker.Configuration(
                endpoint: endpoint, connectionName: "worker.\(workerID)", retryFirstConnect: !once),
            logger: logger)
        do {
            if queue == nil {
                let own = DynamosTopology.workerQueueName(party: party, service: service)
                try await DynamosTopology.declare([own], party: party, on: broker)
            }
            var configuration = WorkerConfiguration(
                party: party, service: service, queue: queue,
                prefetch: prefetch ?? ServiceCatalog.defaultPrefetch(service), once: once, workerID: workerID,
                coldStartMicros: Self.micros(
                    SpawnClock.sinceSpawn(environment: ProcessInfo.processInfo.environment)
                        ?? launched.duration(to: .now)))
            configuration.gatheringTimeout = .milliseconds(Int64(gatheringTimeout * 1000))
            configuration.gatheringByteBudget = gatheringBudgetMib << 20
            configuration.maxMessageBytes = maxMessageMib << 20
            let runtime = ServiceCatalog.runtime(
                implementation, configuration: configuration, broker: broker, keyring: keyring,
                partySecret: try PartySecretOption.fromEnvironment(),
                reporter: LineStatusReporter(), logger: logger)
            let signals = Self.drainOnSignals(runtime)
            defer { signals.forEach { $0.cancel() } }
            // A worker an agent started drains when that agent is gone; one started by hand runs on.
            let orphaned = ProcessInfo.processInfo.environment[SpawnClock.environmentVariable] == nil
                ? nil
                : ParentWatch.start { [logger] in
                    logger.warning("the agent that started this worker is gone; draining")
                    await runtime.drain()
                }
            defer { orphaned?.cancel() }
            try await runtime.run()
        } catch {
            await broker.close()
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
        await broker.close()
    }

    /// Builds the service (loading datasets and configuration) before connecting, so a worker that cannot work
    /// says why and exits instead of taking messages it would fail.
    private func prepare(
        logger: Logger
    ) async throws -> (ServiceImplementation, RouteKeyring, URL?) {
        do {
            let variables = ProcessInfo.processInfo.environment
            let keyring = try RouteKeyring.load(file: try KeyringOption.path(keyring, variables))
            let datasets = FileManager.default.fileExists(atPath: config + "/datasets.json")
                ? try Dataset.loadAll(directory: config) : []
            let parties = FileManager.default.fileExists(atPath: config + "/stewards.json")
                ? try StewardSettings.loadAll(directory: config) : []
            var scratch: URL?
            let databases: URL
            if let databaseDir {
                databases = URL(fileURLWithPath: databaseDir, isDirectory: true)
            } else {
                databases = FileManager.default.temporaryDirectory
                    .appendingPathComponent("dynamos-\(service)-\(party)-\(UUID().uuidString)", isDirectory: true)
                scratch = databases
            }
            try FileManager.default.createDirectory(at: databases, withIntermediateDirectories: true)
            let environment = ServiceEnvironment(
                party: party, dataDirectory: URL(fileURLWithPath: dataDir, isDirectory: true),
                databaseDirectory: databases, datasets: datasets, variables: variables,
                databaseCache: databaseCache.map { URL(fileURLWithPath: $0, isDirectory: true) }, parties: parties)
            let implementation = try await ServiceCatalog.make(service, in: environment, logger: logger)
            return (implementation, keyring, scratch)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    /// SIGTERM and SIGINT start a drain instead of killing the process.
    private static func drainOnSignals(_ runtime: WorkerRuntime) -> [any DispatchSourceSignal] {
        let queue = DispatchQueue(label: "dynamos.worker.signals")
        return [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { Task { await runtime.drain() } }
            source.resume()
            return source
        }
    }

    private static func micros(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000
    }
}
