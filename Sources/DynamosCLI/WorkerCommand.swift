import ArgumentParser
import DynamosBus
import DynamosRouting
import DynamosRuntime
import Foundation
import Logging

/// `dynamos worker`: runs one worker daemon for one service of one party, until SIGTERM or SIGINT.
///
/// Status goes to standard output as one JSON line per event (the supervisor's line protocol); logs go to
/// standard error. Route keys come from `DYNAMOS_ROUTE_KEY_<PARTY>` variables, the broker from `DYNAMOS_AMQP_URL`.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run a worker: consume dynamos.<party>.<service>, handle each message and hand it on.",
        discussion: """
            Services available: \(Self.available). `relay` hands the table on unchanged (benchmarks, the demo); \
            the data services (query, anonymize, algorithm, aggregate, graph) are not available yet.
            SIGTERM or SIGINT drains: intake stops, in-flight messages are finished and acknowledged, exit 0.
            """)

    /// The services this binary can run, by name.
    private static let handlers: [String: @Sendable () -> any ServiceHandler] = [
        "relay": { RelayHandler() }
    ]
    private static var available: String { handlers.keys.sorted().joined(separator: ", ") }

    @Argument(help: "The service to run.")
    var service: String

    @Option(help: "The party this worker runs for, e.g. UVA.")
    var party: String

    @Option(help: "The queue to consume instead of dynamos.<party>.<service> (ephemeral queues).")
    var queue: String?

    @Flag(help: "Handle exactly one message, then exit (ephemeral mode).")
    var once = false

    @Option(help: "Messages handled at once.")
    var prefetch: UInt16 = 1

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    func validate() throws {
        guard Self.handlers[service] != nil else {
            throw ValidationError("unknown service '\(service)'; available: \(Self.available)")
        }
        guard prefetch > 0 else { throw ValidationError("--prefetch must be at least 1") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("unknown --log-level '\(logLevel)'")
        }
    }

    func run() async throws {
        let launched = ContinuousClock.now
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var logger = Logger(label: "dynamos.worker.\(service)")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        guard let makeHandler = Self.handlers[service] else { throw ExitCode.validationFailure }
        let keyring: RouteKeyring
        do {
            keyring = try RouteKeyring.fromEnvironment(ProcessInfo.processInfo.environment)
        } catch {
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            throw ExitCode.failure
        }
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
            let runtime = WorkerRuntime(
                configuration: WorkerConfiguration(
                    party: party, service: service, queue: queue, prefetch: prefetch, once: once, workerID: workerID,
                    coldStartMicros: Self.micros(launched.duration(to: .now))),
                broker: broker, handler: makeHandler(), keyring: keyring, reporter: LineStatusReporter(),
                logger: logger)
            let signals = Self.drainOnSignals(runtime)
            defer { signals.forEach { $0.cancel() } }
            try await runtime.run()
        } catch {
            await broker.close()
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
        await broker.close()
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
