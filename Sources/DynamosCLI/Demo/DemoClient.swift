import DynamosBench
import DynamosBus
import DynamosMessages
import DynamosRouting
import DynamosServices
import Foundation

/// The analyst's side of the demo: signs each request's route, publishes it, waits for the result at the
/// steward's results queue and prints what came back.
struct DemoClient {
    let broker: RabbitMQBroker
    let party: String
    let hops: [String]
    let signer: RouteSigner
    let output: URL
    private let inbox: MessageConsumer

    init(broker: RabbitMQBroker, party: String, hops: [String], signer: RouteSigner, output: URL) async throws {
        self.broker = broker
        self.party = party
        self.hops = hops
        self.signer = signer
        self.output = output
        inbox = try await broker.consume(queue: hops[hops.count - 1], prefetch: 4)
    }

    func runScenarios(requests: Int) async throws {
        let join = "SELECT p.Geslacht, s.Salschal, p.Gebdat FROM Personen p JOIN Aanstellingen s ON p.Unieknr = s.Unieknr"
        print("\n1. Average Salschal by Geslacht over the join (99 excluded), anonymized, with a graph")
        let (result, _) = try await send(query: join, times: requests)
        printTable(try DataTable(proto: result.data))
        printHops(result.hopTimings)
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        for name in [GraphService.pngAttachment, GraphService.svgAttachment] {
            guard let bytes = result.attachments[name] else { continue }
            let file = output.appendingPathComponent(name)
            try bytes.write(to: file)
            print("chart       \(file.path) (\(bytes.count) B)")
        }

        print("\n2. The thesis request: SELECT * FROM Personen p JOIN Aanstellingen s LIMIT 30000, same chain")
        let (large, median) = try await send(
            query: "SELECT * FROM Personen p JOIN Aanstellingen s LIMIT 30000", times: requests)
        printHops(large.hopTimings)
        print(String(format: "median      %.2f ms end to end over %d requests (DYNAMOS thesis: 5.6-6.5 s)",
                     median, requests))

        print("\n3. A query that refers to a column the dataset does not have")
        let (failed, _) = try await send(query: "SELECT Salary FROM Personen", times: 1)
        print("error       \(failed.error.party)/\(failed.error.service) \(failed.error.code): \(failed.error.message)")

        print("\n4. A malformed message")
        try await broker.publish(
            OutgoingMessage(exchange: DynamosTopology.exchangeName, routingKey: hops[0], body: Array("not protobuf".utf8)))
        let dead = try await broker.consume(queue: DynamosTopology.deadLetterQueueName(party: party), prefetch: 1)
        var letters = dead.makeAsyncIterator()
        if let letter = try await letters.next() {
            let reason = letter.properties.headers[RabbitMQBroker.deadLetterReasonHeader]?.stringValue ?? "-"
            print("dead letter \(DynamosTopology.deadLetterQueueName(party: party)): \(reason)")
            try await letter.ack()
        }
        try await dead.cancel()
    }

    /// Sends the analysis `times` times; returns the last result and the median latency in milliseconds.
    private func send(query: String, times: Int) async throws -> (Dynamos_MicroserviceCommunication, Double) {
        let request = Dynamos_SqlDataRequest.with {
            $0.type = "sqlDataRequest"
            $0.query = query
            $0.algorithm = "average"
            $0.algorithmColumns = ["Geslacht": "Salschal"]
            $0.options = ["anonymize": true, "graph": true]
        }
        var latencies = LatencySamples()
        var last = Dynamos_MicroserviceCommunication()
        var iterator = inbox.makeAsyncIterator()
        for _ in 0..<times {
            let id = "demo-\(UUID().uuidString.prefix(8))"
            let route = try signer.sign(jobID: "demo", requestID: id, correlationID: id, hops: hops)
            let message = try RequestMessage(request: request, route: route).message()
            let started = ContinuousClock.now
            try await broker.publish(
                OutgoingMessage(
                    exchange: DynamosTopology.exchangeName, routingKey: hops[0], body: try message.serializedBytes()))
            while true {
                guard let delivery = try await iterator.next() else { throw BenchmarkFailure("the results queue closed") }
                try await delivery.ack()
                let result = try Dynamos_MicroserviceCommunication(serializedBytes: delivery.body)
                guard result.requestMetadata.requestID == id else { continue }
                latencies.record(started.duration(to: .now))
                last = result
                break
            }
        }
        return (last, latencies.median)
    }

    private func printTable(_ table: DataTable) {
        print("result      " + table.columnNames.joined(separator: " | "))
        for row in 0..<table.rowCount {
            print("            " + table.row(row).map { "\($0)" }.joined(separator: " | "))
        }
    }

    private func printHops(_ hops: [Dynamos_HopTiming]) {
        for hop in hops {
            let queued = hop.queuedUnixMicros > 0 ? Double(hop.startedUnixMicros - hop.queuedUnixMicros) / 1000 : 0
            let work = Double(hop.finishedUnixMicros - hop.startedUnixMicros) / 1000
            print(String(format: "  hop %@.%@: %.2f ms in transit, %.2f ms in the worker", hop.party, hop.service,
                         queued, work))
        }
    }

    func close() async throws {
        try await inbox.cancel()
    }
}
