import DynamosAlgorithmWorker
import DynamosMessages
import Testing

@Suite struct WageGapTests {
    let engine = AlgorithmEngine()

    @Test func averagesDifferenceAndRatioPerValueColumn() throws {
        let spec = try AlgorithmSpec(
            algorithm: "wageGap",
            algorithmColumns: ["Geslacht": "Salschal, Aanst_22"],
            sentinels: Fixture.salschalSentinel
        )
        let result = try engine.run(spec, on: Fixture.table)
        #expect(result.columnNames == AlgorithmColumnName.WageGap.all)
        #expect(result.cells("column") == [.text("Salschal"), .text("Aanst_22")])
        #expect(result.cells("group1") == [.text("M"), .text("M")])
        #expect(result.cells("group2") == [.text("V"), .text("V")])
        #expect(result.reals("average1")[0] == 11)
        #expect(result.reals("average2")[0] == 14)
        #expect(result.cells("count1") == [.integer(2), .integer(3)])
        #expect(result.cells("count2") == [.integer(3), .integer(3)])
        #expect(result.reals("difference")[0] == -3)
        #expect(close(result.reals("ratio")[0], 14.0 / 11))
        #expect(close(result.reals("difference")[1], 2.8 / 3 - 0.5))
    }

    @Test func otherThanTwoGroupsIsNamed() {
        let spec = AlgorithmSpec(function: .wageGap, groupColumns: ["Naam"], valueColumns: ["Salschal"])
        do {
            _ = try engine.run(spec, on: Fixture.table)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .groupCountMismatch)
            #expect(error.message.contains("found 7: NULL, a, b, d, e, f, g"))
        }
    }

    @Test func textValueColumnFails() {
        let spec = AlgorithmSpec(function: .wageGap, groupColumns: ["Geslacht"], valueColumns: ["Naam"])
        #expect(throws: AlgorithmError.self) { try engine.run(spec, on: Fixture.table) }
    }
}
