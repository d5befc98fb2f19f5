import DynamosBus
import DynamosDatagen
import DynamosKnowledge
import DynamosMessages
import DynamosQueues
import DynamosRouteSigning
import DynamosRuntime
import DynamosServices
import DynamosStewardConfig
import DynamosTestSupport
import Foundation
import Logging
import Synchronization
import Testing

/// A private set of parties on the real broker for one test: generated UNL data per steward, a dataset
/// configuration, route keys for every party, and the real services running as in-process workers.
final class ServiceNetwork: Sendable {
    static let logger: Logger = {
        var logger = Logger(label: "dynamos.tests.services")
        logger.logLevel = .critical
        return logger
    }()

    let stewards: [String]
    let thirdParty: String
    let admin: RabbitMQBroker
    let workers: RabbitMQBroker
    let keyring: RouteKeyring
    /// Every party's private route key; a party's messages are signed with its own.
    let keys: [String: RouteSigningKey]
    let root: URL
    let data: [String: UNLDataset]
    let datasets: [Dataset]
    private let running = Mutex<[(WorkerRuntime, Task<Void, any Error>)]>([])

    var parties: [String] { stewards + [thirdParty] }
    var dataDirectory: URL { root.appendingPathComponent("data", isDirectory: true) }

    /// Parties named with a random suffix, so tests never share queues; steward `i` gets UNL data of
    /// `Steward.known[i]`'s shape, `persons` people each.
    static func make(stewards count: Int, persons: Int = 120) async throws -> ServiceNetwork {
        let suffix = String(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(8))
        let stewards = (0..<count).map { "S\($0)\(suffix)" }
        let thirdParty = "TTP\(suffix)"
        let endpoint = try BrokerEndpoint.fromEnvironment()
        let admin: RabbitMQBroker
        do {
            admin = try await RabbitMQBroker.connect(to: endpoint, name: "test.services.admin", logger: logger)
        } catch {
            Issue.record("no broker at \(endpoint.redactedDescription) (set DYNAMOS_AMQP_URL): \(error)")
            throw error
        }
        let workers = try await RabbitMQBroker.connect(to: endpoint, name: "test.services.workers", logger: logger)
        var keys: [String: RouteSigningKey] = [:]
        for party in stewards + [thirdParty] {
            keys[party] = RouteSigningKey(party: party, keyID: "\(party)-1")
        }
        let keyring = try RouteKeyring(entries: keys.values.sorted { $0.party < $1.party }.map(\.publicEntry))
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("dynamos-services-\(suffix)")
        let generator = UNLDataGenerator(seed: 7, personCount: persons)
        var data: [String: UNLDataset] = [:]
        var datasets: [Dataset] = []
        for (index, steward) in stewards.enumerated() {
            let dataset = generator.dataset(for: Steward.known[index % Steward.known.count])
            data[steward] = dataset
            let directory = root.appendingPathComponent("data/\(steward)", isDirectory: true)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for file in dataset.csvFiles(lineEnding: index % 2 == 0 ? .crcrlf : .lf) {
                try Data(file.text.utf8).write(to: directory.appendingPathComponent(file.fileName))
            }
            datasets.append(Dataset(
                name: "wageGap", steward: steward,
                tables: [
                    .init(name: "Personen", file: "\(steward)/Personen.csv", anonymization: ["Gebdat": .generalizeToYear]),
                    .init(name: "Aanstellingen", file: "\(steward)/Aanstellingen.csv"),
                ],
                sentinels: ["Salschal": [99]]))
        }
        let network = ServiceNetwork(
            stewards: stewards, thirdParty: thirdParty, admin: admin, workers: workers, keyring: keyring,
            keys: keys, root: root, data: data, datasets: datasets)
        for party in network.parties {
            let queues = ServiceCatalog.names.map { QueueNames.worker(party: party, service: $0) }
                + [QueueNames.results(party: party)]
            try await DynamosTopology.declare(queues, party: party, on: admin)
        }
        return network
    }

    /// Runs `body` with a new network and closes it whether `body` succeeded or threw.
    static func with(
        stewards count: Int, persons: Int = 120, _ body: (ServiceNetwork) async throws -> Void
    ) async throws {
        let network = try await make(stewards: count, persons: persons)
        do {
            try await body(network)
        } catch {
            await network.close()
            throw error
        }
        await network.close()
    }

    private init(
        stewards: [String], thirdParty: String, admin: RabbitMQBroker, workers: RabbitMQBroker,
        keyring: RouteKeyring, keys: [String: RouteSigningKey], root: URL, data: [String: UNLDataset], datasets: [Dataset]
    ) {
        self.stewards = stewards
        self.thirdParty = thirdParty
        self.admin = admin
        self.workers = workers
        self.keyring = keyring
        self.keys = keys
        self.root = root
        self.data = data
        self.datasets = datasets
    }

    func queue(_ party: String, _ service: String) -> String {
        QueueNames.worker(party: party, service: service)
    }

    func results(_ party: String) -> String { QueueNames.results(party: party) }

    func dead(_ party: String) -> String { QueueNames.dead(party: party) }

    /// What `dynamos worker` gets from its flags and environment.
    func environment(for party: String) -> ServiceEnvironment {
        ServiceEnvironment(
            party: party, dataDirectory: dataDirectory,
            databaseDirectory: root.appendingPathComponent("db-\(party)-\(UUID().uuidString)", isDirectory: true),
            datasets: datasets)
    }

    /// Starts the real `service` for `party` as an in-process worker on the shared worker connection.
    func start(
        _ service: String, at party: String, gatheringTimeout: Duration = .seconds(30),
        gatheringByteBudget: Int = 256 << 20, maxMessageBytes: Int = 128 << 20
    ) async throws {
        let environment = environment(for: party)
        try FileManager.default.createDirectory(at: environment.databaseDirectory, withIntermediateDirectories: true)
        let implementation = try await ServiceCatalog.make(service, in: environment, logger: Self.logger)
        var configuration = WorkerConfiguration(
            party: party, service: service, prefetch: ServiceCatalog.defaultPrefetch(service),
            workerID: "test-\(service)-\(party)")
        configuration.gatheringTimeout = gatheringTimeout
        configuration.gatheringByteBudget = gatheringByteBudget
        configuration.maxMessageBytes = maxMessageBytes
        let runtime = ServiceCatalog.runtime(
            implementation, configuration: configuration, broker: workers, keyring: keyring, logger: Self.logger)
        let task = Task { try await runtime.run() }
        running.withLock { $0.append((runtime, task)) }
    }

    /// The analyst's request.
    func request(
        query: String, algorithm: String = "average", columns: [String: String] = ["Geslacht": "Salschal"],
        options: [String: Bool] = [:]
    ) -> Dynamos_SqlDataRequest {
        .with {
            $0.type = "sqlDataRequest"
            $0.query = query
            $0.algorithm = algorithm
            $0.algorithmColumns = columns
            $0.options = options
            $0.user = .with { $0.id = "analyst-1"; $0.userName = "analyst@example.org" }
        }
    }

    /// Signs `hops` as `issuer` for one request and publishes the first message, carrying `data` when given.
    func send(
        _ request: Dynamos_SqlDataRequest, hops: [String], issuer: String, job: String = "job-1",
        requestID: String, tickets: [RouteTicket] = [], providers: [String] = [], data: Dynamos_Table? = nil
    ) async throws {
        var message = try RequestMessage(
            request: request, jobID: job, requestID: requestID, hops: hops, tickets: tickets, providers: providers
        ).message(signedBy: signer(issuer), expiresAt: UnixTime.now + 300)
        if let data { message.data = data }
        try await admin.publish(
            OutgoingMessage(
                exchange: DynamosTopology.exchangeName, routingKey: hops[0], body: try message.serializedBytes()))
    }

    /// The ticket `party` issues so other parties' routes of `job` may end at its `service` queue.
    func ticket(
        _ party: String, _ service: String, job: String = "job-1", request: String, parts: Int
    ) throws -> RouteTicket {
        try signer(party).issueTicket(
            jobID: job, requestID: request, queue: queue(party, service), expectedParts: parts,
            expiresAt: UnixTime.now + 300)
    }

    /// `party`'s signer: its own key, everybody's public keys.
    func signer(_ party: String) -> RouteSigner { RouteSigner(key: keys[party]!, keyring: keyring) }

    /// The public keyring written to a file, for worker processes.
    func writeKeyring() throws -> String {
        let path = root.appendingPathComponent("keyring.json").path
        try keyring.encoded().write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The next `count` messages of `queue`, acknowledged and decoded.
    func next(_ count: Int = 1, from queue: String, within limit: Duration = .seconds(20)) async throws
        -> [(message: Dynamos_MicroserviceCommunication, delivery: Delivery)]
    {
        try await deliveries(count, from: queue, within: limit).map {
            (try Dynamos_MicroserviceCommunication(serializedBytes: $0.body), $0)
        }
    }

    /// The next `count` deliveries of `queue`, acknowledged, as they are.
    func deliveries(_ count: Int, from queue: String, within limit: Duration = .seconds(20)) async throws
        -> [Delivery]
    {
        let consumer = try await admin.consume(queue: queue, prefetch: UInt16(count))
        return try await within(limit, "\(count) messages in \(queue)") {
            var iterator = consumer.makeAsyncIterator()
            var deliveries: [Delivery] = []
            while deliveries.count < count {
                guard let delivery = try await iterator.next() else { throw TimedOut(what: "consumer of \(queue) ended") }
                try await delivery.ack()
                deliveries.append(delivery)
            }
            try await consumer.cancel()
            while let extra = try await iterator.next() { try await extra.nack(requeue: true) }
            return deliveries
        }
    }

    /// Messages waiting in `queue`.
    func waiting(in queue: String) async throws -> Int {
        try await admin.inspectQueue(queue).readyMessages
    }

    /// Drains every worker, deletes the parties' queues and files, and closes both connections.
    func close() async {
        let all = running.withLock { running in
            defer { running = [] }
            return running
        }
        for (runtime, task) in all {
            await runtime.drain()
            _ = await task.result
        }
        await workers.close()
        for party in parties {
            for service in ServiceCatalog.names {
                _ = try? await admin.deleteQueue(queue(party, service))
            }
            _ = try? await admin.deleteQueue(results(party))
            _ = try? await admin.deleteQueue(dead(party))
        }
        await admin.close()
        try? FileManager.default.removeItem(at: root)
    }
}
