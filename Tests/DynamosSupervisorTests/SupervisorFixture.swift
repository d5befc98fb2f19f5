import DynamosBus
import DynamosControl
import DynamosMessages
import DynamosRouteSigning
import DynamosSupervisor
import DynamosTestSupport
import Foundation
import Logging
import Testing

/// A supervisor of one `relay` pool at a private party, its queues declared, its loop running.
struct SupervisorFixture {
    let supervisor: Supervisor
    let broker: RabbitMQBroker
    let signer: RouteSigner
    let party: String
    let results: MessageConsumer

    static var binary: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("dynamos")
            .path
    }

    static func with(
        idleTimeout: Duration, workerArguments: [String] = [], environment extra: [String: String] = [:],
        _ body: (SupervisorFixture) async throws -> Void
    ) async throws {
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build the dynamos binary first")
        let logger = Logger(label: "test.supervisor")
        let party = "SUP" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(8)
        let key = RouteSigningKey(party: party, keyID: "\(party)-1")
        let keyring = try RouteKeyring(entries: [key.publicEntry])
        let keyringFile = FileManager.default.temporaryDirectory.appendingPathComponent("\(party)-keyring.json")
        try keyring.encoded().write(to: keyringFile)
        defer { try? FileManager.default.removeItem(at: keyringFile) }
        let url = ProcessInfo.processInfo.environment[BrokerEndpoint.environmentVariable] ?? BrokerEndpoint.defaultURL
        let broker = try await RabbitMQBroker.connect(to: try BrokerEndpoint(url: url), name: "test.supervisor", logger: logger)
        let queues = ["dynamos.\(party).relay", "dynamos.\(party).results"]
        try await DynamosTopology.declare(queues, party: party, on: broker)
        var environment = ProcessInfo.processInfo.environment
        environment["DYNAMOS_KEYRING"] = keyringFile.path
        environment[BrokerEndpoint.environmentVariable] = url
        environment.merge(extra) { _, new in new }
        let supervisor = Supervisor(
            settings: SupervisorSettings(party: party, idleTimeout: idleTimeout, tick: .milliseconds(100)),
            pools: ["relay": PoolLimits(min: 0, max: 4)],
            spawner: ProcessSpawner(
                executable: binary, arguments: ["--log-level", "warning"] + workerArguments, environment: environment,
                logDirectory: nil),
            probe: { queue in
                guard let status = try? await broker.inspectQueue(queue) else { return nil }
                return (Int(status.readyMessages), Int(status.consumers))
            },
            logger: logger)
        let loop = Task { await supervisor.run() }
        let results = try await broker.consume(queue: queues[1], prefetch: 8)
        let fixture = SupervisorFixture(
            supervisor: supervisor, broker: broker, signer: RouteSigner(key: key, keyring: keyring), party: party,
            results: results)
        do {
            try await body(fixture)
        } catch {
            await fixture.close(loop, queues)
            throw error
        }
        await fixture.close(loop, queues)
    }

    private func close(_ loop: Task<Void, Never>, _ queues: [String]) async {
        loop.cancel()
        await loop.value
        try? await results.cancel()
        for queue in queues + ["dynamos.\(party).dead"] { _ = try? await broker.deleteQueue(queue) }
        await broker.close()
    }

    /// The relay pool as the supervisor sees it.
    func relay() async -> PoolSnapshot {
        await supervisor.snapshot().pools.first { $0.service == "relay" }!
    }

    /// Sends a small table along `relay -> results`.
    func send(requestID: String) async throws {
        let hops = ["dynamos.\(party).relay", "dynamos.\(party).results"]
        var message = try RequestMessage(request: Dynamos_SqlDataRequest(), jobID: "job", requestID: requestID, hops: hops)
            .message(signedBy: signer, expiresAt: UnixTime.now + 300)
        message.data = try DataTable(columns: [.integer("n", [1, 2, 3])]).proto
        try await broker.publish(
            OutgoingMessage(exchange: DynamosTopology.exchangeName, routingKey: hops[0], body: try message.serializedBytes()))
    }

    /// The next result, acknowledged.
    func result() async throws -> Dynamos_MicroserviceCommunication {
        try await within(.seconds(15), "a result") {
            var iterator = results.makeAsyncIterator()
            guard let delivery = try await iterator.next() else { throw CancellationError() }
            try await delivery.ack()
            return try Dynamos_MicroserviceCommunication(serializedBytes: delivery.body)
        }
    }

    func waitUntil(
        _ what: String, within limit: Duration, _ condition: () async -> Bool,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if await condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("\(what): not within \(limit)", sourceLocation: sourceLocation)
        throw CancellationError()
    }
}
