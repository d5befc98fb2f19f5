import DynamosBus
import DynamosMessages
import DynamosServices
import Foundation
import Testing

/// The computeToData chain at one steward, every hop a real service on the real broker, driven only by the
/// `routing_data` each message carries.
@Suite("computeToData chain", .serialized)
struct ComputeToDataChainTests {
    static let join = "SELECT p.Geslacht, s.Salschal FROM Personen p JOIN Aanstellingen s ON p.Unieknr = s.Unieknr"

    @Test("query -> anonymize -> algorithm -> graph -> results: exact averages, a PNG and an SVG, four hop timings")
    func fullChain() async throws {
        try await ServiceNetwork.with(stewards: 1) { network in
            let party = network.stewards[0]
            for service in ["query", "anonymize", "algorithm", "graph"] { try await network.start(service, at: party) }
            let hops = ["query", "anonymize", "algorithm", "graph"].map { network.queue(party, $0) }
                + [network.results(party)]
            try await network.send(
                network.request(query: Self.join, options: ["graph": true, "anonymize": true]), hops: hops,
                issuer: party, requestID: "r-1")
            let result = try await network.next(from: network.results(party))[0].message
            try #require(!result.hasError, "unexpected error result: \(result.error)")
            #expect(result.routingData == [network.results(party)])
            #expect(result.hopTimings.map(\.service) == ["query", "anonymize", "algorithm", "graph"])
            #expect(result.hopTimings.allSatisfy { $0.party == party && $0.finishedUnixMicros >= $0.startedUnixMicros })
            let table = try DataTable(proto: result.data)
            #expect(table.columnNames == ["Geslacht", "average(Salschal)", "count"])
            let expected = Expected.salaryByGender([network.data[party]!])
            let averages = Expected.averages(in: table)
            #expect(Set(averages.keys) == Set(expected.keys))
            for (gender, total) in expected {
                #expect(abs((averages[gender] ?? .nan) - total.sum / Double(total.count)) < 1e-9)
            }
            let png = Array(result.attachments[GraphService.pngAttachment] ?? Data())
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
            let svg = String(decoding: result.attachments[GraphService.svgAttachment] ?? Data(), as: UTF8.self)
            #expect(svg.contains("<svg"))
        }
    }

    @Test("anonymize generalizes Gebdat to the year before the analyst sees it")
    func anonymizeInChain() async throws {
        try await ServiceNetwork.with(stewards: 1) { network in
            let party = network.stewards[0]
            for service in ["query", "anonymize", "algorithm"] { try await network.start(service, at: party) }
            let hops = ["query", "anonymize", "algorithm"].map { network.queue(party, $0) } + [network.results(party)]
            try await network.send(
                network.request(query: "SELECT Unieknr, Gebdat FROM Personen ORDER BY Unieknr LIMIT 20",
                                algorithm: "rows", columns: [:]),
                hops: hops, issuer: party, requestID: "r-anon")
            let result = try await network.next(from: network.results(party))[0].message
            try #require(!result.hasError, "unexpected error result: \(result.error)")
            let table = try DataTable(proto: result.data)
            let ids = try #require(table.column(named: "Unieknr"))
            let dates = try #require(table.column(named: "Gebdat"))
            #expect(table.rowCount == 20)
            let people = network.data[party]!.personen
            var birthDates: [CellValue: CellValue] = [:]
            for row in 0..<people.rowCount {
                birthDates[people.column(named: "Unieknr")!.value(at: row)] = people.column(named: "Gebdat")!
                    .value(at: row)
            }
            for row in 0..<table.rowCount {
                let year = "\(dates.value(at: row).integerValue ?? -1)"
                let original = "\(birthDates[ids.value(at: row)]?.integerValue ?? 0)"
                #expect(year.count == 4, "Gebdat \(dates.value(at: row)) is not a year")
                #expect(original.count == 8 && original.hasPrefix(year))
            }
        }
    }

    @Test("bad SQL comes back to the analyst as an error result naming query at the steward")
    func badSQL() async throws {
        try await ServiceNetwork.with(stewards: 1) { network in
            let party = network.stewards[0]
            for service in ["query", "algorithm"] { try await network.start(service, at: party) }
            let hops = [network.queue(party, "query"), network.queue(party, "algorithm"), network.results(party)]
            try await network.send(
                network.request(query: "SELECT nope FROM Personen"), hops: hops, issuer: party, requestID: "r-bad")
            try await network.send(
                network.request(query: "DELETE FROM Personen"), hops: hops, issuer: party, requestID: "r-write")
            let results = try await network.next(2, from: network.results(party)).map(\.message)
            for result in results {
                #expect(result.hasError)
                #expect(result.error.party == party && result.error.service == "query")
                #expect(!result.error.message.isEmpty)
                #expect(result.routingData == [network.results(party)])
            }
            #expect(Set(results.map(\.error.code)).count == 2, "each refusal has its own code: \(results.map(\.error))")
            #expect(try await network.waiting(in: network.dead(party)) == 0)
        }
    }
}
