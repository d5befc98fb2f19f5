import ArgumentParser
import DynamosBench
import DynamosBus
import DynamosDatagen
import DynamosMessages
import DynamosRouting
import DynamosRuntime
import DynamosServices
import Foundation
import Logging

/// `dynamos demo`: the UNL wage-gap analysis through the real, always-on services of one steward.
///
/// Generates the steward's data when missing, starts `query`, `anonymize`, `algorithm` and `graph` workers (each
/// with its own connection), sends the analyses along a signed route, and prints the result tables, per-hop
/// timings and where the charts are; then shows an SQL error coming back and a malformed message dead-lettered.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the UNL analysis through persistent query, anonymize, algorithm and graph workers.")

    @Option(help: "The steward whose data and workers are used.")
    var party = "UVA"

    @Option(help: "Datasets as DIR/<party>/<table>.csv; generated there when missing.")
    var dataDir = ".dynamos/data"

    @Option(help: "The configuration directory (datasets.json).")
    var config = "Deploy/config"

    @Option(help: "Where the charts are written.")
    var out = ".dynamos/demo"

    @Option(help: "Times each analysis is sent; the median is reported.")
    var requests = 5

    static let services = ["query", "anonymize", "algorithm", "graph"]

    func run() async throws {
        var logger = Logger(label: "dynamos.demo")
        logger.logLevel = .error
        guard requests > 0 else { throw ValidationError("--requests must be at least 1") }
        let endpoint = try BrokerEndpoint.fromEnvironment()
        print("broker      \(endpoint.redactedDescription)")
        try ensureData()
        let secret = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        let keyring = try RouteKeyring(entries: [.init(party: party, keyId: "\(party)-demo", secret: secret)])
        let admin = try await RabbitMQBroker.connect(to: endpoint, name: "demo.admin", logger: logger)
        let hops = Self.services.map { DynamosTopology.workerQueueName(party: party, service: $0) }
            + [DynamosTopology.resultsQueueName(party: party)]
        try await DynamosTopology.declare(hops, party: party, on: admin)
        print("route       \(hops.joined(separator: " -> "))")

        var workers: [(WorkerRuntime, RabbitMQBroker)] = []
        let started = ContinuousClock.now
        for service in Self.services {
            let broker = try await RabbitMQBroker.connect(to: endpoint, name: "demo.\(service)", logger: logger)
            let implementation = try await ServiceCatalog.make(service, in: environment(keyring), logger: logger)
            let runtime = ServiceCatalog.runtime(
                implementation,
                configuration: WorkerConfiguration(party: party, service: service, workerID: "demo-\(service)"),
                broker: broker, keyring: keyring, logger: logger)
            workers.append((runtime, broker))
        }
        print(String(format: "workers     %@ ready in %.0f ms (datasets loaded into SQLite)",
                     Self.services.joined(separator: ", "), Self.milliseconds(started.duration(to: .now))))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (runtime, _) in workers { group.addTask { try await runtime.run() } }
            let client = DemoClient(
                client: try await ChainClient(
                    broker: admin, signer: RouteSigner(party: party, keyring: keyring), hops: hops),
                party: party, output: URL(fileURLWithPath: out, isDirectory: true))
            try await client.runScenarios(requests: requests)
            try await client.close()
            for (runtime, _) in workers { await runtime.drain() }
            try await group.waitForAll()
        }
        for (_, broker) in workers { await broker.close() }
        await admin.close()
    }

    private func environment(_ keyring: RouteKeyring) throws -> ServiceEnvironment {
        let databases = FileManager.default.temporaryDirectory.appendingPathComponent("dynamos-demo-\(UUID())")
        try FileManager.default.createDirectory(at: databases, withIntermediateDirectories: true)
        return ServiceEnvironment(
            party: party, dataDirectory: URL(fileURLWithPath: dataDir, isDirectory: true),
            databaseDirectory: databases, datasets: try Dataset.loadAll(directory: config), keyring: keyring)
    }

    /// Writes the steward's synthetic UNL files unless they are there.
    private func ensureData() throws {
        guard let steward = Steward.named(party) else {
            throw ValidationError("unknown steward \(party); known: \(Steward.known.map(\.name).joined(separator: ", "))")
        }
        let directory = URL(fileURLWithPath: dataDir, isDirectory: true).appendingPathComponent(party)
        guard !FileManager.default.fileExists(atPath: directory.appendingPathComponent("Personen.csv").path) else {
            print("data        \(directory.path)")
            return
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let dataset = UNLDataGenerator(seed: 1).dataset(for: steward)
        for file in dataset.csvFiles() {
            try Data(file.text.utf8).write(to: directory.appendingPathComponent(file.fileName), options: .atomic)
        }
        print("data        generated \(dataset.personen.rowCount) Personen, \(dataset.aanstellingen.rowCount) "
              + "Aanstellingen in \(directory.path)")
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }
}
