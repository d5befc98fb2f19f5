import DynamosBus
import DynamosMessages
import DynamosQueues
import DynamosRouteSigning
import DynamosRuntime
import DynamosTestSupport
import Foundation
import Logging
import Synchronization
import Testing

/// One test's private party on the real broker: its queues, a route key, and connections for the test and the
/// workers. ``close()`` deletes the queues.
struct RuntimeFixture {
    static let logger: Logger = {
        var logger = Logger(label: "dynamos.tests.runtime")
        logger.logLevel = .critical
        return logger
    }()

    let party: String
    let admin: RabbitMQBroker
    let workers: RabbitMQBroker
    let keyring: RouteKeyring
    let signer: RouteSigner
    let first: String
    let second: String
    let results: String
    let dead: String

    static func make(_ name: String = #function) async throws -> RuntimeFixture {
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        let party = "T" + String((0..<8).map { _ in letters.randomElement()! })
        let endpoint = try BrokerEndpoint.fromEnvironment()
        let admin: RabbitMQBroker
        do {
            admin = try await RabbitMQBroker.connect(to: endpoint, name: "test.runtime.admin", logger: logger)
        } catch {
            Issue.record("no broker at \(endpoint.redactedDescription) (set DYNAMOS_AMQP_URL): \(error)")
            throw error
        }
        let workers = try await RabbitMQBroker.connect(to: endpoint, name: "test.runtime.workers", logger: logger)
        let key = RouteSigningKey(party: party, keyID: "\(party)-1")
        let keyring = try RouteKeyring(entries: [key.publicEntry])
        let fixture = RuntimeFixture(
            party: party, admin: admin, workers: workers, keyring: keyring,
            signer: RouteSigner(key: key, keyring: keyring),
            first: QueueNames.worker(party: party, service: "first"),
            second: QueueNames.worker(party: party, service: "second"),
            results: QueueNames.results(party: party),
            dead: QueueNames.dead(party: party))
        try await DynamosTopology.declare([fixture.first, fixture.second, fixture.results], party: party, on: admin)
        return fixture
    }

    /// The chain first -> second -> results.
    var chain: [String] { [first, second, results] }

    /// Two columns, three rows, with nulls.
    static func table() throws -> DataTable {
        try DataTable(columns: [.integer("id", [1, 2, nil]), .text("name", ["a", nil, "c"])])
    }

    /// A message carrying `table` along `hops`, signed by this party.
    func message(hops: [String], job: String = "job-1", request: String = "req-1") throws
        -> Dynamos_MicroserviceCommunication
    {
        var message = try RequestMessage(request: Dynamos_SqlDataRequest(), jobID: job, requestID: request, hops: hops)
            .message(signedBy: signer, expiresAt: UnixTime.now + 300)
        message.data = try Self.table().proto
        return message
    }

    func send(_ message: Dynamos_MicroserviceCommunication) async throws {
        try await send(bytes: message.serializedBytes(), to: message.routingData[0])
    }

    func send(bytes: [UInt8], to queue: String) async throws {
        try await admin.publish(
            OutgoingMessage(exchange: DynamosTopology.exchangeName, routingKey: queue, body: bytes))
    }

    func runtime(
        _ service: String, queue: String? = nil, once: Bool = false, prefetch: UInt16 = 1,
        coldStartMicros: Int64 = 0, reporter: any WorkerStatusReporter = SilentStatusReporter(),
        handler: @escaping @Sendable (WorkerRequest) async throws -> DataTable = { $0.table }
    ) -> WorkerRuntime {
        WorkerRuntime(
            configuration: WorkerConfiguration(
                party: party, service: service, queue: queue, prefetch: prefetch, once: once,
                workerID: "test-\(service)", coldStartMicros: coldStartMicros),
            broker: workers, handler: ClosureHandler(service: service, body: handler), keyring: keyring,
            reporter: reporter, logger: Self.logger)
    }

    /// The next message of `queue`, acknowledged.
    func next(from queue: String) async throws -> Delivery {
        try await next(1, from: queue)[0]
    }

    /// The next `count` messages of `queue`, acknowledged; any the broker sent beyond those are given back.
    func next(_ count: Int, from queue: String) async throws -> [Delivery] {
        let consumer = try await admin.consume(queue: queue, prefetch: UInt16(count))
        return try await within(.seconds(10), "\(count) messages in \(queue)") {
            var iterator = consumer.makeAsyncIterator()
            var deliveries: [Delivery] = []
            while deliveries.count < count {
                guard let delivery = try await iterator.next() else { throw TimedOut(what: "consumer ended") }
                try await delivery.ack()
                deliveries.append(delivery)
            }
            try await consumer.cancel()
            while let extra = try await iterator.next() {
                try await extra.nack(requeue: true)
            }
            return deliveries
        }
    }

    /// Deletes the party's queues and closes both connections.
    func close() async {
        await workers.close()
        for queue in [first, second, results, dead] {
            _ = try? await admin.deleteQueue(queue)
        }
        await admin.close()
    }
}

/// A handler made of a closure, so each test states its service's behaviour in place.
struct ClosureHandler: ServiceHandler {
    let service: String
    let body: @Sendable (WorkerRequest) async throws -> DataTable

    func handle(_ request: WorkerRequest) async throws -> ServiceResult {
        ServiceResult(table: try await body(request))
    }
}

/// Keeps the lines a ``LineStatusReporter`` writes.
final class LineCollector: Sendable {
    private let storage = Mutex<[String]>([])

    var lines: [String] { storage.withLock { $0 } }

    var reporter: LineStatusReporter {
        LineStatusReporter { line in self.storage.withLock { $0.append(line) } }
    }
}
