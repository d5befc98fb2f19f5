import DynamosClient
import DynamosControl
import DynamosKnowledge
import DynamosStewardConfig
import Foundation
import Testing

/// A steward's query budget at work through the whole platform: each breach comes back to the analyst as a clear
/// error naming the budget and the party, and the same worker serves the next request.
extension EndToEndTests {
    @Test("a steward's query budget: each breach is a 400 naming the budget and the party, and the worker goes on")
    func queryBudgets() async throws {
        try await EnsembleFixture.with(stewards: { stewards in
            if let index = stewards.firstIndex(where: { $0.name == "VU" }) {
                stewards[index].queryBudget = QueryBudget(maxRows: 50, maxResultBytes: 4_096)
            }
        }) { fixture in
            let approval = try await fixture.approve(["VU"])
            let endpoint = try #require(approval.endpoints["VU"])
            func request(_ sql: String, algorithm: String = "rows") -> DataRequest {
                DataRequest(
                    query: sql, algorithm: algorithm, algorithmColumns: [:], user: .unnamed,
                    requestMetadata: .init(jobId: approval.jobId))
            }
            let cases: [(String, String)] = [
                ("SELECT * FROM Personen", "more than 50 rows"),
                ("SELECT p.*, s.* FROM Personen p JOIN Aanstellingen s ON p.Unieknr = s.Unieknr LIMIT 40", "result size budget"),
                ("SELECT randomblob(100000000)", "randomblob() is not allowed"),
                ("WITH RECURSIVE s(x, n) AS (SELECT 'abcdefghij', 0 UNION ALL SELECT x || x, n + 1 FROM s WHERE n < 40) "
                    + "SELECT length(x) FROM s", "value length budget"),
            ]
            for (sql, mention) in cases {
                let error = await fixture.refusal(request(sql), at: endpoint, token: approval.token)
                #expect(error?.code == .badRequest, "\(sql.prefix(60)): \(String(describing: error))")
                #expect(error?.party == "VU" && error?.service == "query", "\(String(describing: error))")
                #expect(error?.message.contains(mention) == true, "\(String(describing: error?.message))")
            }
            let (answer, _) = try await fixture.client.dataRequest(
                request(
                    "SELECT Geslacht, AVG(Salschal) AS gemiddeld FROM Personen p JOIN Aanstellingen s "
                        + "ON p.Unieknr = s.Unieknr WHERE Salschal <> 99 GROUP BY Geslacht"),
                at: endpoint, token: approval.token)
            #expect(answer.result.rows.count == 2, "the worker still serves")
            // No breach grew a worker far past its SQLite heap limit (256 MiB by default): the peak resident size.
            let workers = Self.processes(mentioning: "worker\u{0}query\u{0}--party\u{0}VU\u{0}")
            #expect(!workers.isEmpty, "VU's query workers are found")
            for pid in workers {
                let peak = Self.peakResidentMiB(of: pid)
                #expect(peak.map { $0 < 640 } == true, "query worker \(pid) peaked at \(String(describing: peak)) MiB")
            }
        }
    }

    /// The process's peak resident set (`VmHWM` in `/proc/<pid>/status`), in MiB.
    static func peakResidentMiB(of pid: String) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kib = Int(line.split(whereSeparator: \.isWhitespace).dropFirst().first ?? "")
        else { return nil }
        return kib / 1024
    }
}
