import DynamosBus
import DynamosMessages
import DynamosServices
import Foundation
import Testing

/// A result larger than the broker takes becomes an error result at once: the broker would refuse the publish on
/// every redelivery, so handing it on would only loop until the delivery limit.
@Suite("results too large for the broker", .serialized, .timeLimit(.minutes(3)))
struct OversizedResultTests {
    @Test("a query result past the broker's message size is a budgetExceeded error naming it; the worker goes on")
    func oversizedQueryResult() async throws {
        try await ServiceNetwork.with(stewards: 1) { network in
            let party = network.stewards[0]
            try await network.start("query", at: party, maxMessageBytes: 4 << 10)
            let hops = [network.queue(party, "query"), network.results(party)]
            try await network.send(
                network.request(
                    query: "SELECT * FROM Personen p JOIN Aanstellingen s ON p.Unieknr = s.Unieknr",
                    algorithm: "rows", columns: [:]), hops: hops,
                issuer: party, requestID: "r-big")
            let failed = try await network.next(from: network.results(party))[0].message
            #expect(failed.hasError)
            #expect(failed.error.code == "budgetExceeded" && failed.error.party == party, "\(failed.error)")
            #expect(failed.error.message.contains("message size limit"), "\(failed.error)")
            #expect(failed.hopTimings.map(\.service) == ["query"])
            #expect(try await network.waiting(in: network.queue(party, "query")) == 0, "not given back for redelivery")

            try await network.send(
                network.request(query: "SELECT Unieknr FROM Personen LIMIT 5", algorithm: "rows", columns: [:]),
                hops: hops, issuer: party, requestID: "r-small")
            let small = try await network.next(from: network.results(party))[0].message
            #expect(!small.hasError, "\(small.error)")
            #expect(try DataTable(proto: small.data).rowCount == 5)
        }
    }
}
