public import DynamosErrors
import DynamosBus
import DynamosDatagen
import DynamosKnowledge
import DynamosMessages
import DynamosQueues
import DynamosRouteSigning
import DynamosStewardConfig
import Foundation
import Logging

/// The chain benchmark's private world: a party of its own with generated UNL data, a dataset configuration, a
/// route signing key, its queues and its worker processes.
struct ChainBenchSetup: Sendable {
    let options: ChainBenchmark.Options
    let party: String
    let signingKey: RouteSigningKey
    let keyring: RouteKeyring
    let keyringPath: String
    let dataset: UNLDataset
    let dataDirectory: URL
    let configDirectory: URL

    init(options: ChainBenchmark.Options) throws {
        self.options = options
        party = "BENCH" + String(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(6))
        signingKey = RouteSigningKey(party: party, keyID: "\(party)-1")
        keyring = try RouteKeyring(entries: [signingKey.publicEntry])
        keyringPath = options.directory.appendingPathComponent("keyring.json").path
        let steward = Steward.named("UVA") ?? Steward.known[0]
        dataset = UNLDataGenerator(seed: 1, personCount: options.persons).dataset(for: steward)
        dataDirectory = options.directory.appendingPathComponent("data", isDirectory: true)
        configDirectory = options.directory.appendingPathComponent("config", isDirectory: true)
        let own = dataDirectory.appendingPathComponent(party, isDirectory: true)
        try FileManager.default.createDirectory(at: own, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: configDirectory, withIntermediateDirectories: true)
        for file in dataset.csvFiles() {
            try Data(file.text.utf8).write(to: own.appendingPathComponent(file.fileName))
        }
        let configuration = Dataset(
            name: "wageGap", steward: party,
            tables: [
                .init(name: "Personen", file: "\(party)/Personen.csv", anonymization: ["Gebdat": .generalizeToYear]),
                .init(
                    name: "Aanstellingen", file: "\(party)/Aanstellingen.csv",
                    anonymization: ["Ingdatdv": .generalizeToYear]),
            ],
            sentinels: ["Salschal": [99]])
        try JSONEncoder().encode([configuration]).write(to: configDirectory.appendingPathComponent("datasets.json"))
        try keyring.encoded().write(to: URL(fileURLWithPath: keyringPath))
    }

    var results: String { QueueNames.results(party: party) }
    var serviceHops: [String] {
        ChainBenchmark.services.map { QueueNames.worker(party: party, service: $0) } + [results]
    }
    var relayQueues: [String] { (1...ChainBenchmark.services.count).map { "dynamos.\(party).relay\($0)" } }
    var relayHops: [String] { relayQueues + [results] }

    func declareQueues(on broker: RabbitMQBroker) async throws {
        try await DynamosTopology.declare(serviceHops + relayQueues, party: party, on: broker)
    }

    func deleteQueues(on broker: RabbitMQBroker) async {
        for queue in serviceHops + relayQueues + [QueueNames.dead(party: party)] {
            _ = try? await broker.deleteQueue(queue)
        }
    }

    /// Starts one worker per service and one relay per hop, and waits until all are ready.
    func startWorkers(logger: Logger) async throws -> [BenchWorkerProcess] {
        let common = [
            "--party", party, "--data-dir", dataDirectory.path, "--config", configDirectory.path,
            "--log-level", "warning", "--keyring", keyringPath,
        ]
        let environment: [String: String] = [:]
        var workers: [BenchWorkerProcess] = []
        let logs = options.directory.appendingPathComponent("logs", isDirectory: true)
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        for service in ChainBenchmark.services {
            workers.append(try BenchWorkerProcess(
                executable: options.executable, service: service,
                queue: QueueNames.worker(party: party, service: service), arguments: common,
                environment: environment, log: logs.appendingPathComponent("\(service).log")))
        }
        for queue in relayQueues {
            workers.append(try BenchWorkerProcess(
                executable: options.executable, service: "relay", queue: queue,
                arguments: common + ["--queue", queue], environment: environment,
                log: logs.appendingPathComponent("\(queue).log")))
        }
        for worker in workers where !(await worker.waitUntilReady()) {
            for other in workers { await other.stop() }
            throw BenchError(
                "the \(worker.service) worker exited before it was ready; see \(logs.path) (kept)")
        }
        logger.info("workers ready", metadata: ["count": "\(workers.count)"])
        return workers
    }

    /// The analyst's request: average `Salschal` by `Geslacht`, with anonymize and graph.
    func request(query: String) -> Dynamos_SqlDataRequest {
        .with {
            $0.type = "sqlDataRequest"
            $0.query = query
            $0.algorithm = "average"
            $0.algorithmColumns = ["Geslacht": "Salschal"]
            $0.options = ["anonymize": true, "graph": true]
        }
    }

    func cleanUp() {
        guard !options.keep else { return }
        try? FileManager.default.removeItem(at: options.directory)
    }
}

/// The benchmark could not run; the message says why and what to do.
public struct BenchError: DynamosError, Sendable {
    public let message: String
    /// The error underneath, when this one reports on another.
    public let cause: ErrorCause?

    init(_ message: String, cause: (any Error)? = nil) {
        self.message = message
        self.cause = ErrorCause?(wrapping: cause)
    }
}
