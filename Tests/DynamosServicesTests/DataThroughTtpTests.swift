import DynamosBus
import DynamosKnowledge
import DynamosMessages
import DynamosRouteSigning
import DynamosServices
import Foundation
import Testing

/// dataThroughTtp: two stewards query and anonymize, the third party aggregates, computes and draws.
@Suite("dataThroughTtp chain", .serialized)
struct DataThroughTtpTests {
    /// Starts the stewards' data services and the third party's compute services.
    private func startAll(_ network: ServiceNetwork, timeout: Duration = .seconds(30)) async throws {
        for steward in network.stewards {
            try await network.start("query", at: steward)
            try await network.start("anonymize", at: steward)
        }
        try await network.start("aggregate", at: network.thirdParty, gatheringTimeout: timeout)
        try await network.start("algorithm", at: network.thirdParty)
        try await network.start("graph", at: network.thirdParty)
    }

    /// Sends the third party's manifest and each listed steward's part of one request.
    private func send(
        _ network: ServiceNetwork, requestID: String, from stewards: [String]
    ) async throws {
        let ttp = network.thirdParty
        let request = network.request(query: ComputeToDataChainTests.join, options: ["aggregate": true, "graph": true])
        let ticket = try network.ticket(ttp, "aggregate", request: requestID, parts: network.stewards.count)
        try await network.send(
            request, hops: ["aggregate", "algorithm", "graph"].map { network.queue(ttp, $0) } + [network.results(ttp)],
            issuer: ttp, requestID: requestID, providers: network.stewards)
        for steward in stewards {
            try await network.send(
                request,
                hops: [network.queue(steward, "query"), network.queue(steward, "anonymize"), network.queue(ttp, "aggregate")],
                issuer: steward, requestID: requestID, tickets: [ticket])
        }
    }

    @Test("two providers' parts merge at the third party into the averages of the union, with a graph")
    func twoProviders() async throws {
        try await ServiceNetwork.with(stewards: 2) { network in
            try await startAll(network)
            try await send(network, requestID: "r-ttp", from: network.stewards)
            let result = try await network.next(from: network.results(network.thirdParty))[0].message
            try #require(!result.hasError, "unexpected error result: \(result.error)")
            let table = try DataTable(proto: result.data)
            let expected = Expected.salaryByGender(network.stewards.map { network.data[$0]! })
            let averages = Expected.averages(in: table)
            #expect(Set(averages.keys) == Set(expected.keys))
            for (gender, total) in expected {
                #expect(abs((averages[gender] ?? .nan) - total.sum / Double(total.count)) < 1e-9)
            }
            let counts = table.column(named: "count")
            #expect(counts != nil)
            let parties = Set(result.hopTimings.map(\.party))
            #expect(parties == Set(network.stewards + [network.thirdParty]))
            #expect(result.hopTimings.filter { $0.service == "query" }.count == 2)
            #expect(result.hopTimings.last?.service == "graph")
            #expect(result.attachments[GraphService.pngAttachment]?.isEmpty == false)
        }
    }

    @Test("a missing provider ends the request with an error naming it after the gathering timeout")
    func missingProvider() async throws {
        try await ServiceNetwork.with(stewards: 2) { network in
            try await startAll(network, timeout: .seconds(1))
            try await send(network, requestID: "r-missing", from: [network.stewards[0]])
            let result = try await network.next(from: network.results(network.thirdParty))[0].message
            #expect(result.hasError)
            #expect(result.error.code == "partsMissing")
            #expect(result.error.message.contains(network.stewards[1]))
            #expect(result.error.party == network.thirdParty && result.error.service == "aggregate")
            #expect(try await network.waiting(in: network.queue(network.thirdParty, "aggregate")) == 0)
        }
    }

    @Test("a provider's failing query fails the whole request at once, naming that provider")
    func failingProvider() async throws {
        try await ServiceNetwork.with(stewards: 2) { network in
            try await startAll(network)
            let ttp = network.thirdParty
            let good = network.request(query: ComputeToDataChainTests.join)
            let ticket = try network.ticket(ttp, "aggregate", request: "r-fail", parts: 2)
            try await network.send(
                good, hops: ["aggregate", "algorithm"].map { network.queue(ttp, $0) } + [network.results(ttp)],
                issuer: ttp, requestID: "r-fail", providers: network.stewards)
            let hops = { (steward: String) in
                [network.queue(steward, "query"), network.queue(steward, "anonymize"), network.queue(ttp, "aggregate")]
            }
            try await network.send(
                good, hops: hops(network.stewards[0]), issuer: network.stewards[0], requestID: "r-fail",
                tickets: [ticket])
            try await network.send(
                network.request(query: "SELECT missing_column FROM Personen"), hops: hops(network.stewards[1]),
                issuer: network.stewards[1], requestID: "r-fail", tickets: [ticket])
            let result = try await network.next(from: network.results(ttp))[0].message
            #expect(result.hasError)
            #expect(result.error.party == network.stewards[1] && result.error.service == "query")
        }
    }
}
