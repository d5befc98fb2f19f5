import DynamosAggregateWorker
import DynamosAlgorithmWorker
import DynamosMessages
import Testing

/// k after the merge: a group small at each provider but large together is kept; one small in total is not.
@Suite("suppression after the merge", .timeLimit(.minutes(1)))
struct MergedSuppressionTests {
    @Test("merged counts decide; the merged row of a small group is left out and counted")
    func mergedCounts() throws {
        let engine = AlgorithmEngine()
        func part(_ provider: String, _ genders: [String], _ scales: [Int64]) throws -> AggregatePart {
            let table = try DataTable(columns: [.text("Geslacht", genders), .integer("Salschal", scales)])
            let spec = AlgorithmSpec(
                function: .average, groupColumns: ["Geslacht"], valueColumns: ["Salschal"], partial: true)
            return AggregatePart(provider: provider, table: try engine.run(spec, on: table))
        }
        // M: 2 + 2 rows; V: 1 + 0 rows.
        let merged = try PartMerger(mode: .partialResults).merge([
            try part("UVA", ["M", "M", "V"], [10, 12, 11]), try part("VU", ["M", "M"], [8, 10]),
        ])
        let (kept, suppressed) = GroupSuppressor(minimumGroupSize: 3).apply(to: merged)
        #expect(suppressed == 1)
        #expect(kept.rowCount == 1)
        #expect(kept.row(0).first == .text("M"))
        #expect(kept.column(named: "count")?.value(at: 0) == .integer(4))
        #expect(kept.column(named: "average(Salschal)")?.value(at: 0) == .real(10))
    }
}
