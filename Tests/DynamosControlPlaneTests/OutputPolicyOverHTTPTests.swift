import DynamosClient
import DynamosControl
import DynamosKnowledge
import Foundation
import Testing

/// Output policy through the whole platform (`Deploy/config`: VU's relation names `rows`, UVA's does not; UVA's k
/// is 10, VU's 5): record-level output is refused where the agreement does not allow it, at the steward and at
/// the compute provider, and groups under k are left out and reported, at a steward and after the aggregate.
extension EndToEndTests {
    @Test("rows only where the agreement names it; groups under k suppressed and reported at a steward and at SURF")
    func outputPolicy() async throws {
        try await EnsembleFixture.with { fixture in
            let uva = try await fixture.approve(["UVA"])
            let vu = try await fixture.approve(["VU"])
            func request(
                _ sql: String, _ algorithm: String, _ columns: [String: String] = [:], job: String
            ) -> DataRequest {
                DataRequest(
                    query: sql, algorithm: algorithm, algorithmColumns: columns, user: .unnamed,
                    requestMetadata: .init(jobId: job))
            }
            let refused = await fixture.refusal(
                request("SELECT Geslacht FROM Personen", " Rows", job: uva.jobId), at: uva.endpoints["UVA"]!,
                token: uva.token)
            #expect(refused?.code == .forbidden, "\(String(describing: refused))")
            #expect(refused?.reason == "algorithmNotAllowed" && refused?.party == "UVA")
            #expect(refused?.message.contains("record-level") == true, "\(String(describing: refused?.message))")
            let (rows, _) = try await fixture.client.dataRequest(
                request("SELECT Geslacht FROM Personen", "rows", job: vu.jobId), at: vu.endpoints["VU"]!,
                token: vu.token)
            #expect(rows.result.rows.count == 100)

            // One group per person at UVA: all under k = 10, all suppressed and counted.
            let perPerson = request(
                "SELECT Unieknr, Salschal FROM Personen p JOIN Aanstellingen s USING (Unieknr)", "average",
                ["Unieknr": "Salschal"], job: uva.jobId)
            let (suppressed, _) = try await fixture.client.dataRequest(
                perPerson, at: uva.endpoints["UVA"]!, token: uva.token)
            #expect(suppressed.result.rows.isEmpty)
            let entry = try #require(suppressed.suppressed?.first)
            #expect(entry.party == "UVA" && entry.service == "algorithm" && entry.minimumGroupSize == 10)
            #expect(entry.groups > 100, "\(entry)")
            #expect(entry.reason.contains("fewer than 10 persons"))
            // Grouped by gender every group is large: nothing suppressed, nothing reported.
            let (kept, _) = try await fixture.client.dataRequest(
                request(
                    "SELECT Geslacht, Salschal FROM Personen p JOIN Aanstellingen s USING (Unieknr)", "average",
                    ["Geslacht": "Salschal"], job: uva.jobId),
                at: uva.endpoints["UVA"]!, token: uva.token)
            #expect(kept.result.rows.count == 2 && kept.suppressed == nil)

            // Through SURF: the data of UVA and VU, so UVA's k applies to the merged groups; rows refused up front.
            let ttp = try await fixture.approve(["UVA", "VU"], options: ["aggregate": true])
            let surf = try #require(ttp.endpoints["SURF"])
            let merged = request(
                "SELECT Salschal, Unieknr FROM Aanstellingen", "count", ["Salschal": "Unieknr"], job: ttp.jobId)
            let (answer, _) = try await fixture.client.dataRequest(merged, at: surf, token: ttp.token)
            let atSurf = try #require(answer.suppressed?.first { $0.party == "SURF" })
            #expect(atSurf.minimumGroupSize == 10 && atSurf.service == "algorithm")
            let counts = answer.result.rows.compactMap { row -> Int64? in
                if case .int(let count) = row.last { count } else { nil }
            }
            #expect(!counts.isEmpty && counts.allSatisfy { $0 >= 10 }, "\(counts)")
            let ttpRows = await fixture.refusal(
                request("SELECT Geslacht FROM Personen", "rows", job: ttp.jobId), at: surf, token: ttp.token)
            #expect(ttpRows?.code == .forbidden && ttpRows?.party == "UVA", "\(String(describing: ttpRows))")
        }
    }
}
