import DynamosBus
import DynamosMessages
import DynamosServices
import Foundation
import Testing

/// Parts that lie or are too big at the third party's aggregate: each fails its own request with a clear error,
/// and the aggregate serves the next request.
@Suite("lying and oversized parts at the aggregate", .serialized, .timeLimit(.minutes(3)))
struct LyingPartsTests {
    /// Sends the manifest of `requestID` and, from each steward, a part that goes straight to the aggregate with
    /// the table `data(steward)`.
    private func send(
        _ network: ServiceNetwork, requestID: String, data: (String) -> Dynamos_Table
    ) async throws {
        let ttp = network.thirdParty
        let request = network.request(query: "SELECT 1")
        let ticket = try network.ticket(ttp, "aggregate", request: requestID, parts: network.stewards.count)
        try await network.send(
            request, hops: [network.queue(ttp, "aggregate"), network.results(ttp)], issuer: ttp,
            requestID: requestID, providers: network.stewards)
        for steward in network.stewards {
            try await network.send(
                request, hops: [network.queue(ttp, "aggregate")], issuer: steward, requestID: requestID,
                tickets: [ticket], data: data(steward))
        }
    }

    private func table(rows: Int, width: Int = 8) throws -> Dynamos_Table {
        try DataTable(columns: [
            .integer("n", (0..<rows).map { Int64($0) }),
            .text("t", (0..<rows).map { "\($0)" + String(repeating: "x", count: width) }),
        ]).proto
    }

    @Test("a part claiming more rows than it carries fails its request with a clear error; the next one merges")
    func hugeRowCount() async throws {
        try await ServiceNetwork.with(stewards: 2) { network in
            try await network.start("aggregate", at: network.thirdParty)
            var lie = Dynamos_Table()
            lie.rowCount = UInt64(Int.max)
            lie.columns = [.with { $0.name = "n"; $0.type = .null }]
            let honest = try table(rows: 3)
            try await send(network, requestID: "r-lie") { $0 == network.stewards[0] ? lie : honest }
            let failed = try await network.next(from: network.results(network.thirdParty))[0].message
            #expect(failed.hasError)
            #expect(failed.error.message.contains("row_count"), "\(failed.error)")
            try await send(network, requestID: "r-next") { _ in honest }
            let merged = try await network.next(from: network.results(network.thirdParty))[0].message
            #expect(!merged.hasError, "\(merged.error)")
            #expect(try DataTable(proto: merged.data).rowCount == 6)
        }
    }

    @Test("parts past the aggregate's byte budget fail the request naming it; the part is dead-lettered, not lost")
    func byteBudget() async throws {
        try await ServiceNetwork.with(stewards: 2) { network in
            let ttp = network.thirdParty
            try await network.start("aggregate", at: ttp, gatheringByteBudget: 64 << 10)
            let big = try table(rows: 2_000, width: 40)
            let small = try table(rows: 10)
            try await send(network, requestID: "r-big") { $0 == network.stewards[0] ? big : small }
            let failed = try await network.next(from: network.results(ttp))[0].message
            #expect(failed.hasError)
            #expect(failed.error.code == "budgetExceeded" && failed.error.party == ttp, "\(failed.error)")
            #expect(failed.error.message.contains("byte budget"), "\(failed.error)")
            // The big part, with its reason (first in the queue: the small one, when it came after the big one,
            // was dead-lettered as late).
            let dead = try await network.deliveries(1, from: network.dead(ttp))
            let reasons = dead.map { delivery -> String in
                if case .string(let reason) = delivery.properties.headers[DeadLetterHeaders.reason] { reason } else { "" }
            }
            #expect(reasons.contains { $0.contains("byte budget") }, "\(reasons)")
            #expect(dead.contains { $0.body.count > 64 << 10 })
            #expect(try await network.waiting(in: network.queue(ttp, "aggregate")) == 0)
            try await send(network, requestID: "r-small") { _ in small }
            let merged = try await network.next(from: network.results(ttp))[0].message
            #expect(!merged.hasError, "\(merged.error)")
        }
    }
}
