import ArgumentParser
import DynamosBench
import DynamosBus
import DynamosDatagen
import DynamosMessages
import Foundation
import Logging

/// `dynamos demo`: the bus end to end. A UNL-shaped result table travels through a chain of always-on relay
/// workers, each forwarding by the message's own `routing_data`, and comes back intact with per-hop timings.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Send UNL-shaped tables through a chain of persistent workers on the bus and show the timings.")

    @Option(help: "The steward whose queues carry the chain.")
    var party = "UVA"

    @Option(help: "The chain, as service names.")
    var services = "query,anonymize,algorithm"

    @Option(help: "Rows of the UNL join to send.")
    var rows = 30_000

    @Option(help: "Requests to send (one at a time).")
    var requests = 5

    func run() async throws {
        var logger = Logger(label: "dynamos.demo")
        logger.logLevel = .error
        let chain = services.split(separator: ",").map { String($0) }
        guard !chain.isEmpty, rows > 0, requests > 0 else {
            throw ValidationError("--services, --rows and --requests must not be empty or zero")
        }
        let endpoint = try BrokerEndpoint.fromEnvironment()
        print("broker      \(endpoint.redactedDescription)")

        let queues = chain.map { DynamosTopology.workerQueueName(party: party, service: $0) }
        let results = DynamosTopology.resultsQueueName(party: party)
        let admin = try await RabbitMQBroker.connect(to: endpoint, name: "demo.admin", logger: logger)
        try await DynamosTopology.declare(queues + [results], party: party, on: admin)
        print("queues      \((queues + [results]).joined(separator: " -> "))")

        var relays: [(RelayHop, MessageConsumer)] = []
        for (service, queue) in zip(chain, queues) {
            let broker = try await RabbitMQBroker.connect(to: endpoint, name: "demo.\(service)", logger: logger)
            let hop = RelayHop(party: party, service: service, queue: queue, broker: broker, logger: logger)
            relays.append((hop, try await broker.consume(queue: queue, prefetch: 4)))
        }

        let table = try makeTable()
        let payload = Dynamos_MicroserviceCommunication.with {
            $0.type = "microserviceCommunication"
            $0.requestType = "sqlDataRequest"
            $0.data = table.proto
            $0.routingData = queues + [results]
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (hop, consumer) in relays { group.addTask { try await hop.run(consumer: consumer) } }
            let inbox = try await admin.consume(queue: results, prefetch: 1)
            try await sendRequests(payload, table: table, to: queues[0], inbox: inbox, via: admin)
            try await showDeadLetter(to: queues[0], via: admin)
            try await inbox.cancel()
            for (_, consumer) in relays { try await consumer.cancel() }
            try await group.waitForAll()
        }
        for (hop, _) in relays { await hop.broker.close() }
        await admin.close()
    }

    private func makeTable() throws -> DataTable {
        guard let steward = Steward.named(party) else {
            throw ValidationError("unknown steward \(party); known: \(Steward.known.map(\.name).joined(separator: ", "))")
        }
        let people = max(1_000, rows * 6 / 10)
        let table = UNLDataGenerator(seed: 1, personCount: people).dataset(for: steward).joined(limit: rows)
        let sizes = table.encodingSizes()
        print(
            "payload     \(table.rowCount) rows x \(table.columnCount) columns: \(sizes.columnar) B as our table; "
                + "the thesis encoding of the same rows: \(sizes.columnStringListsStruct) B (Struct), "
                + "\(sizes.columnStringListsJSON) B (JSON)")
        return table
    }

    private func sendRequests(
        _ payload: Dynamos_MicroserviceCommunication, table: DataTable, to first: String, inbox: MessageConsumer,
        via broker: RabbitMQBroker
    ) async throws {
        var totals = LatencySamples()
        var iterator = inbox.makeAsyncIterator()
        let clock = ContinuousClock()
        for index in 1...requests {
            let correlation = "demo-\(index)-\(UUID().uuidString.prefix(8))"
            var message = payload
            message.requestMetadata.correlationID = correlation
            message.requestMetadata.requestID = correlation
            let start = clock.now
            try await broker.publish(
                OutgoingMessage(
                    exchange: DynamosTopology.exchangeName, routingKey: first, body: try message.serializedBytes(),
                    properties: .init(contentType: "application/x-protobuf", correlationID: correlation)))
            guard let delivery = try await iterator.next() else { throw BenchmarkFailure("the results queue closed") }
            totals.record(clock.now - start)
            let result = try Dynamos_MicroserviceCommunication(serializedBytes: delivery.body)
            try await delivery.ack()
            let intact = try DataTable(proto: result.data) == table
            print(
                String(
                    format: "request %d  %7.2f ms  %d hops  table %@", index, totals.values.last!,
                    result.hopTimings.count, intact ? "intact" : "CHANGED"))
            if index == requests { printHops(result.hopTimings) }
        }
        print(String(format: "median      %.2f ms end to end over %d requests", totals.median, totals.count))
    }

    private func printHops(_ hops: [Dynamos_HopTiming]) {
        for hop in hops {
            let queued = hop.queuedUnixMicros > 0 ? Double(hop.startedUnixMicros - hop.queuedUnixMicros) / 1000 : 0
            let work = Double(hop.finishedUnixMicros - hop.startedUnixMicros) / 1000
            print(String(format: "  hop %@.%@: waited %.2f ms in transit, %.2f ms in the worker", hop.party, hop.service, queued, work))
        }
    }

    private func showDeadLetter(to first: String, via broker: RabbitMQBroker) async throws {
        try await broker.publish(
            OutgoingMessage(exchange: DynamosTopology.exchangeName, routingKey: first, body: Array("not protobuf".utf8)))
        let dead = try await broker.consume(queue: DynamosTopology.deadLetterQueueName(party: party), prefetch: 1)
        var iterator = dead.makeAsyncIterator()
        if let letter = try await iterator.next() {
            let reason = letter.properties.headers[RabbitMQBroker.deadLetterReasonHeader]?.stringValue ?? "-"
            print("dead letter \(DynamosTopology.deadLetterQueueName(party: party)): \(reason)")
            try await letter.ack()
        }
        try await dead.cancel()
    }
}
