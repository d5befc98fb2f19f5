import DynamosBus
import DynamosKnowledge
import DynamosMessages
import DynamosRouteSigning
import DynamosTestSupport
import Foundation
import Testing

/// Worker processes killed with SIGKILL at the worst moments, then restarted: every request still completes, and
/// exactly once; bad input lands in the dead-letter queue while the worker keeps serving.
@Suite("crash recovery with worker processes", .serialized)
struct CrashRecoveryTests {
    /// A query that keeps SQLite busy for seconds (70^4 = 24,010,000 joined rows), so the worker can be killed in
    /// the middle of it.
    static let slowQuery = "SELECT count(*) AS n FROM Personen a, Personen b, Personen c, Personen d"

    @Test("kill -9 of the query worker mid-message: after a restart the request completes exactly once")
    func killQueryMidMessage() async throws {
        try await ServiceNetwork.with(stewards: 1, persons: 70) { network in
            let party = network.stewards[0]
            let queue = network.queue(party, "query")
            let first = try await WorkerProcess.start("query", at: party, in: network)
            try await network.send(
                network.request(query: Self.slowQuery, algorithm: "rows", columns: [:]),
                hops: [queue, network.results(party)], issuer: party, requestID: "r-slow")
            try await network.waitUntilTaken(from: queue)
            await first.crash()
            #expect(!first.process.lines.contains { $0.contains(#""event":"processed""#) }, "killed too late")
            let second = try await WorkerProcess.start("query", at: party, in: network)
            let result = try await network.next(from: network.results(party), within: .seconds(60))[0].message
            try #require(!result.hasError, "unexpected error result: \(result.error)")
            #expect(try DataTable(proto: result.data).value(row: 0, column: 0) == .integer(24_010_000))
            #expect(result.hopTimings.map(\.worker) == ["query-\(party)-\(second.process.pid)"], "not redone")
            #expect(await second.stop() == 0)
            #expect(try await network.waiting(in: network.results(party)) == 0, "a second result arrived")
            #expect(try await network.waiting(in: queue) == 0)
        }
    }

    @Test("kill -9 of the aggregate between parts: the held part survives and the request completes once")
    func killAggregateBetweenParts() async throws {
        try await ServiceNetwork.with(stewards: 2, persons: 50) { network in
            let ttp = network.thirdParty
            let aggregate = network.queue(ttp, "aggregate")
            let first = try await WorkerProcess.start("aggregate", at: ttp, in: network)
            let request = network.request(query: "SELECT Geslacht FROM Personen", algorithm: "rows", columns: [:])
            let ticket = try network.ticket(ttp, "aggregate", request: "r-agg", parts: 2)
            try await network.send(
                request, hops: [aggregate, network.results(ttp)], issuer: ttp, requestID: "r-agg",
                providers: network.stewards)
            let steward = network.stewards[0]
            try await network.startRelayedPart(from: steward, to: aggregate, request: request, ticket: ticket)
            try await network.waitUntilTaken(from: aggregate, count: 2)
            await first.crash()
            let second = try await WorkerProcess.start("aggregate", at: ttp, in: network)
            try await network.startRelayedPart(
                from: network.stewards[1], to: aggregate, request: request, ticket: ticket)
            let result = try await network.next(from: network.results(ttp), within: .seconds(30))[0].message
            try #require(!result.hasError, "unexpected error result: \(result.error)")
            let table = try DataTable(proto: result.data)
            let expectedRows = network.stewards.reduce(0) { $0 + network.data[$1]!.personen.rowCount }
            #expect(table.rowCount == expectedRows)
            #expect(table.columnNames.last == "provider")
            #expect(result.hopTimings.last?.worker == "aggregate-\(ttp)-\(second.process.pid)")
            #expect(await second.stop() == 0)
            #expect(try await network.waiting(in: network.results(ttp)) == 0, "a second result arrived")
            #expect(try await network.waiting(in: aggregate) == 0)
            #expect(try await network.waiting(in: network.dead(ttp)) == 0)
        }
    }

    @Test("garbage and a tampered route go to the dead-letter queue with a reason; the worker keeps serving")
    func badInputDeadLettered() async throws {
        try await ServiceNetwork.with(stewards: 1, persons: 30) { network in
            let party = network.stewards[0]
            let queue = network.queue(party, "query")
            let worker = try await WorkerProcess.start("query", at: party, in: network)
            try await network.admin.publish(
                OutgoingMessage(exchange: DynamosTopology.exchangeName, routingKey: queue, body: Array("garbage".utf8)))
            var tampered = try RequestMessage(
                request: network.request(query: "SELECT 1"), jobID: "job-1", requestID: "r-tampered",
                hops: [queue, network.results(party)]
            ).message(signedBy: network.signer(party), expiresAt: UnixTime.now + 300)
            tampered.routingData[1] = network.queue(party, "graph")
            try await network.admin.publish(
                OutgoingMessage(
                    exchange: DynamosTopology.exchangeName, routingKey: queue, body: try tampered.serializedBytes()))
            try await network.send(
                network.request(query: "SELECT COUNT(*) AS n FROM Personen", algorithm: "rows", columns: [:]),
                hops: [queue, network.results(party)], issuer: party, requestID: "r-good")
            let dead = try await network.deliveries(2, from: network.dead(party))
            let reasons = dead.map { "\($0.properties.headers["x-dynamos-reason"] as Any)" }
            #expect(reasons.contains { $0.contains("undecodable") })
            #expect(reasons.contains { $0.contains("route rejected") })
            let result = try await network.next(from: network.results(party))[0].message
            try #require(!result.hasError, "unexpected error result: \(result.error)")
            #expect(try DataTable(proto: result.data).value(row: 0, column: 0) == .integer(30))
            #expect(await worker.stop() == 0)
        }
    }
}

extension ServiceNetwork {
    /// Waits (bounded) until a consumer has taken `count` messages of `queue`: none is left ready.
    func waitUntilTaken(from queue: String, count: Int = 1) async throws {
        try await within(.seconds(20), "\(queue) taken by its worker") {
            while try await self.waiting(in: queue) > 0 { try await Task.sleep(for: .milliseconds(20)) }
        }
    }

    /// Publishes a steward's part straight to the aggregate, as its anonymize worker would have.
    func startRelayedPart(
        from steward: String, to aggregate: String, request: Dynamos_SqlDataRequest, ticket: RouteTicket
    ) async throws {
        let rows = data[steward]!.personen
        var message = try RequestMessage(
            request: request, jobID: "job-1", requestID: "r-agg", hops: [aggregate], tickets: [ticket]
        ).message(signedBy: signer(steward), expiresAt: UnixTime.now + 300)
        message.data = try DataTable(columns: [rows.column(named: "Geslacht")!]).proto
        try await admin.publish(
            OutgoingMessage(exchange: DynamosTopology.exchangeName, routingKey: aggregate, body: try message.serializedBytes()))
    }
}
