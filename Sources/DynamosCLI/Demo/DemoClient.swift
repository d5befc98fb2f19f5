import DynamosBench
import DynamosBus
import DynamosMessages
import DynamosRouting
import DynamosServices
import Foundation

/// The analyst's side of the demo: sends the scenarios through a ``ChainClient`` and prints what came back.
struct DemoClient {
    let client: ChainClient
    let party: String
    let output: URL

    func runScenarios(requests: Int) async throws {
        let join = "SELECT p.Geslacht, s.Salschal, p.Gebdat FROM Personen p "
            + "JOIN Aanstellingen s ON p.Unieknr = s.Unieknr"
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
        let broker = client.broker
        try await broker.publish(
            OutgoingMessage(
                exchange: DynamosTopology.exchangeName, routingKey: client.hops[0], body: Array("not protobuf".utf8)))
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
        for _ in 0..<times {
            let exchange = try await client.send(request)
            latencies.record(exchange.latency)
            last = exchange.result
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
        try await client.close()
    }
}
