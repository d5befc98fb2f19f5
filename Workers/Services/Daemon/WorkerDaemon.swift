import DynamosBus
import DynamosProcess
import DynamosQueues
import DynamosRouteSigning
import DynamosRuntime
import DynamosStewardConfig
import Foundation
public import Logging
import ServiceLifecycle

/// One worker process for one service of one party: the composition of a worker, in the module that owns the
/// services.
///
/// ``run(logger:)`` builds the service (datasets, configuration) before connecting, so a worker that cannot work
/// says why and exits instead of taking messages it would fail; then it connects (`DYNAMOS_AMQP_URL`), declares its
/// own queue and runs the runtime as a ``WorkerService`` in a `ServiceGroup`: SIGTERM or SIGINT drain it, and so
/// does the end of the agent that started it (a supervised worker must not outlive its agent). Status lines go to
/// standard output for the supervisor.
public struct WorkerDaemon: Sendable {
    public let configuration: WorkerDaemonConfiguration

    public init(_ configuration: WorkerDaemonConfiguration) {
        self.configuration = configuration
    }

    /// Runs until drained, or in `once` mode until one message (aggregate: one request) was handled.
    /// - Throws: the error of the part that failed: the service's datasets or configuration, the keyring, the
    ///   broker (no such queue, broker gone).
    public func run(logger: Logger) async throws {
        let configuration = configuration
        let keyring = try RouteKeyring.load(file: configuration.keyringPath)
        let (implementation, scratch) = try await makeService(logger: logger)
        defer { if let scratch { try? FileManager.default.removeItem(at: scratch) } }
        let workerID = "\(configuration.service)-\(configuration.party)-\(ProcessInfo.processInfo.processIdentifier)"
        let broker = try await RabbitMQBroker.connect(
            RabbitMQBroker.Configuration(
                endpoint: try BrokerEndpoint.fromEnvironment(), connectionName: "worker.\(workerID)",
                retryFirstConnect: !configuration.once),
            logger: logger)
        do {
            if configuration.queue == nil {
                let own = QueueNames.worker(party: configuration.party, service: configuration.service)
                try await DynamosTopology.declare([own], party: configuration.party, on: broker)
            }
            let runtime = ServiceCatalog.runtime(
                implementation, configuration: runtimeConfiguration(workerID: workerID), broker: broker,
                keyring: keyring, partySecret: configuration.partySecret, reporter: LineStatusReporter(),
                logger: logger)
            let orphaned = configuration.environment[SpawnClock.environmentVariable] == nil
                ? nil
                : ParentWatch.start { [logger] in
                    logger.warning("the agent that started this worker is gone; draining")
                    await runtime.drain()
                }
            defer { orphaned?.cancel() }
            try await ServiceGroup(
                configuration: ServiceGroupConfiguration(
                    services: [
                        .init(service: WorkerService(runtime: runtime), successTerminationBehavior: .gracefullyShutdownGroup)
                    ],
                    gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            ).run()
        } catch {
            await broker.close()
            throw error
        }
        await broker.close()
    }

    /// The runtime's settings: queue, prefetch, limits and the cold start since the agent spawned this process.
    private func runtimeConfiguration(workerID: String) -> WorkerConfiguration {
        let since = SpawnClock.sinceSpawn(environment: configuration.environment)
            ?? configuration.launched.duration(to: .now)
        var runtime = WorkerConfiguration(
            party: configuration.party, service: configuration.service, queue: configuration.queue,
            prefetch: configuration.prefetch ?? ServiceCatalog.defaultPrefetch(configuration.service),
            once: configuration.once, workerID: workerID,
            coldStartMicros: since.components.seconds * 1_000_000 + since.components.attoseconds / 1_000_000_000_000)
        runtime.gatheringTimeout = configuration.gatheringTimeout
        runtime.gatheringByteBudget = configuration.gatheringByteBudget
        runtime.maxMessageBytes = configuration.maxMessageBytes
        return runtime
    }

    /// The service with its datasets and the parties' settings, and the scratch directory to remove at exit.
    private func makeService(logger: Logger) async throws -> (ServiceImplementation, URL?) {
        let config = configuration.configDirectory
        let datasets = FileManager.default.fileExists(atPath: config + "/datasets.json")
            ? try Dataset.loadAll(directory: config) : []
        let parties = FileManager.default.fileExists(atPath: config + "/stewards.json")
            ? try StewardSettings.loadAll(directory: config) : []
        var scratch: URL?
        let databases: URL
        if let directory = configuration.databaseDirectory {
            databases = URL(fileURLWithPath: directory, isDirectory: true)
        } else {
            databases = FileManager.default.temporaryDirectory.appendingPathComponent(
                "dynamos-\(configuration.service)-\(configuration.party)-\(UUID().uuidString)", isDirectory: true)
            scratch = databases
        }
        try FileManager.default.createDirectory(at: databases, withIntermediateDirectories: true)
        let environment = ServiceEnvironment(
            party: configuration.party, dataDirectory: URL(fileURLWithPath: configuration.dataDirectory, isDirectory: true),
            databaseDirectory: databases, datasets: datasets, variables: configuration.environment,
            databaseCache: configuration.databaseCache.map { URL(fileURLWithPath: $0, isDirectory: true) },
            parties: parties)
        return (try await ServiceCatalog.make(configuration.service, in: environment, logger: logger), scratch)
    }
}
