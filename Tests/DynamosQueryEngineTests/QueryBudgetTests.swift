import DynamosMessages
import DynamosQueryEngine
import Foundation
import Testing

/// Every budget a hostile query can hit: each breach is a `budgetExceeded` (or a refused function) that names the
/// budget, nothing large is ever built, and the engine serves the next query.
@Suite("Query budgets")
struct QueryBudgetTests {
    static let breaches: [(String, String, QueryLimits)] = [
        ("SELECT length(replace(hex(zeroblob(1000)), '0', 'xxxxxxxxxx')) FROM Personen", "function", QueryLimits()),
        ("SELECT randomblob(1000000000)", "function", QueryLimits()),
        ("SELECT printf('%.*c', 1000000000, 'x')", "function", QueryLimits()),
        ("SELECT json('[1]')", "function", QueryLimits()),
        // A value built past the value-length budget, from allowed functions only.
        ("WITH RECURSIVE s(x, n) AS (SELECT 'abcdefghij', 0 UNION ALL SELECT x || x, n + 1 FROM s WHERE n < 30) "
            + "SELECT length(x) FROM s", "value length", QueryLimits(maxValueBytes: 1 << 16)),
        ("SELECT " + Array(repeating: "1", count: 300).joined(separator: ", "), "column", QueryLimits()),
        ("SELECT " + String(repeating: "(", count: 150) + "1" + String(repeating: ")", count: 150), "expression depth",
         QueryLimits()),
        ("SELECT " + Array(repeating: "Salschal", count: 150).joined(separator: " + ") + " FROM Aanstellingen",
         "expression depth", QueryLimits()),
        (Array(repeating: "SELECT 1", count: 40).joined(separator: " UNION ALL "), "compound select", QueryLimits()),
        ("SELECT 1 -- " + String(repeating: "x", count: 200_000), "SQL length", QueryLimits()),
        ("SELECT * FROM Personen p JOIN Aanstellingen s ON p.Unieknr = s.Unieknr", "result size",
         QueryLimits(maxResultBytes: 4_096)),
    ]

    @Test(arguments: breaches)
    func breachIsNamedAndTheEngineGoesOn(sql: String, budget: String, limits: QueryLimits) async throws {
        let fixture = try Fixture(personCount: 200)
        defer { fixture.remove() }
        let engine = fixture.engine()
        let error = await queryError { _ = try await engine.query(sql, party: Fixture.party, limits: limits) }
        if budget == "function" {
            #expect(error?.code == .functionRefused, "\(sql.prefix(80)): \(String(describing: error))")
            #expect(error?.message.contains("is not allowed") == true)
        } else {
            #expect(error?.code == .budgetExceeded, "\(sql.prefix(80)): \(String(describing: error))")
            #expect(error?.message.hasPrefix("\(budget) budget") == true, "\(String(describing: error?.message))")
        }
        let count = try await engine.query("SELECT COUNT(*) FROM Personen", party: Fixture.party)
        #expect(count.value(row: 0, column: 0) == .integer(200))
    }

    @Test("the analyst's ordinary SQL stays within every default budget")
    func ordinaryQueries() async throws {
        let fixture = try Fixture(personCount: 200)
        defer { fixture.remove() }
        let engine = fixture.engine()
        for sql in [
            "SELECT * FROM Personen p JOIN Aanstellingen s ON p.Unieknr = s.Unieknr",
            "SELECT Geslacht, AVG(Salschal), COUNT(*) FROM Personen p JOIN Aanstellingen s ON p.Unieknr = s.Unieknr "
                + "WHERE Salschal <> 99 GROUP BY Geslacht",
            "SELECT substr(Gebdat, 1, 4) AS jaar, COUNT(*) FROM Personen GROUP BY jaar ORDER BY jaar",
            "SELECT Unieknr, ROW_NUMBER() OVER (ORDER BY Gebdat) FROM Personen LIMIT 5",
            "SELECT ROUND(AVG(CAST(Salschal AS REAL)), 2), MAX(Salschal), strftime('%Y', 'now') FROM Aanstellingen",
        ] {
            let table = try await engine.query(sql, party: Fixture.party)
            #expect(table.rowCount > 0, "\(sql)")
        }
    }
}
