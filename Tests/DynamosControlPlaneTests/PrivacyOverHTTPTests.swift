import DynamosClient
import DynamosControl
import DynamosKnowledge
import Foundation
import Testing

/// Anonymization at the source, through the whole platform: UVA enforces `generalizeToYear` on `Gebdat` and
/// `Ingdatdv`, so whatever SQL an analyst writes, no full date of either column comes back; VU enforces nothing and
/// answers with full dates.
extension EndToEndTests {
    /// SQL that tried to reach a raw `Gebdat` or `Ingdatdv`: aliases, casts, expressions, functions, subqueries,
    /// joins, unions, windows, CTEs, ordering and filters.
    static let escapes = [
        "SELECT Gebdat, Unieknr FROM Personen",
        "SELECT Gebdat AS d, Unieknr FROM Personen",
        "SELECT CAST(Gebdat AS TEXT) AS d FROM Personen",
        "SELECT Gebdat + 0 AS d FROM Personen",
        "SELECT Gebdat * 1 AS d, Gebdat || '' AS e FROM Personen",
        "SELECT substr(Gebdat, 1, 8) AS d FROM Personen",
        "SELECT (SELECT MAX(Gebdat) FROM Personen) AS d",
        "SELECT d FROM (SELECT Gebdat AS d FROM Personen) t",
        "SELECT p.Gebdat AS d, s.Ingdatdv AS e FROM Personen p JOIN Aanstellingen s ON p.Unieknr = s.Unieknr",
        "SELECT Gebdat AS d FROM Personen UNION SELECT Ingdatdv FROM Aanstellingen",
        "SELECT MAX(Gebdat) OVER () AS d, LAG(Gebdat) OVER (ORDER BY Unieknr) AS e FROM Personen",
        "WITH t AS (SELECT Gebdat AS d FROM Personen) SELECT d FROM t",
        "SELECT MIN(Gebdat) AS a, MAX(Gebdat) AS b, MIN(Ingdatdv) AS c FROM Personen, Aanstellingen",
        "SELECT Unieknr FROM Personen WHERE Gebdat = (SELECT MIN(Gebdat) FROM Personen)",
        "SELECT COUNT(*) AS n, Gebdat % 10000 AS d FROM Personen GROUP BY d",
        "SELECT printf('%d', Gebdat) AS d FROM Personen",
    ]

    /// Every relation allows every algorithm, record-level `rows` included: anonymization at the source holds
    /// where the agreement lets rows out.
    static func allowRows(_ agreements: inout [Agreement]) {
        for index in agreements.indices {
            for user in agreements[index].relations.keys {
                agreements[index].relations[user]?.allowedAlgorithms = Agreement.knownAlgorithms
            }
        }
    }

    @Test("at a steward that enforces anonymization no SQL reaches a raw ruled value; where none is enforced, full dates come back")
    func anonymizationAtTheSource() async throws {
        try await EnsembleFixture.with(agreements: Self.allowRows) { fixture in
            let uva = try await fixture.approve(["UVA"])
            let vu = try await fixture.approve(["VU"])
            func rows(_ sql: String, _ approval: ApprovalResponse, at party: String) async throws -> [[JSONScalar]]? {
                let request = DataRequest(
                    query: sql, algorithm: "rows", algorithmColumns: [:], user: .unnamed,
                    requestMetadata: .init(jobId: approval.jobId))
                do {
                    return try await fixture.client.dataRequest(
                        request, at: approval.endpoints[party]!, token: approval.token).response.result.rows
                } catch {
                    #expect(error.code == .badRequest, "\(sql): \(error)")
                    return nil
                }
            }
            var answered = 0
            for sql in Self.escapes {
                guard let table = try await rows(sql, uva, at: "UVA") else { continue }
                answered += 1
                for row in table {
                    for cell in row {
                        let text: String? = switch cell {
                        case .int(let value): String(value)
                        case .double(let value): String(Int64(value))
                        case .string(let value): value
                        default: nil
                        }
                        if let text, text.count >= 8, let number = Int(text.prefix(8)), number > 18_000_000 {
                            Issue.record("\(sql) reached a full date at UVA: \(text)")
                        }
                    }
                }
            }
            #expect(answered >= Self.escapes.count - 2, "most escapes are answered (with years), not refused")
            let raw = try #require(try await rows("SELECT Gebdat FROM Personen LIMIT 5", vu, at: "VU"))
            #expect(raw.allSatisfy { $0.first.map { if case .int(let v) = $0 { v > 18_000_000 } else { false } } ?? false },
                    "VU enforces nothing: \(raw)")
            let years = try #require(try await rows("SELECT Gebdat FROM Personen LIMIT 5", uva, at: "UVA"))
            #expect(years.allSatisfy { $0.first.map { if case .int(let v) = $0 { (1900...2100).contains(v) } else { false } } ?? false },
                    "UVA answers with years: \(years)")
        }
    }
}
