import DynamosAggregateWorker
import DynamosAlgorithmWorker
import DynamosMessages
import Testing

@Suite struct PartMergerTests {
    let engine = AlgorithmEngine()
    let merger = PartMerger()

    /// Two providers whose group sizes differ, so the mean of means (12 and 20 -> 16 for M) is wrong.
    let uva = try! DataTable(columns: [
        .text("Geslacht", ["M", "V", "M", "M"]),
        .integer("Salschal", [10, 11, 12, 14]),
    ])
    let vu = try! DataTable(columns: [
        .text("Geslacht", ["M", "V", "V"]),
        .integer("Salschal", [20, 99, 13]),
    ])

    func partials(_ function: AlgorithmFunction) throws -> [AggregatePart] {
        let spec = AlgorithmSpec(
            function: function, groupColumns: ["Geslacht"], valueColumns: ["Salschal"],
            sentinels: ["Salschal": [.integer(99)]], partial: true
        )
        return [
            AggregatePart(provider: "VU", table: try engine.run(spec, on: vu)),
            AggregatePart(provider: "UVA", table: try engine.run(spec, on: uva)),
        ]
    }

    @Test func rowsAreConcatenatedByProviderWithProvenanceLast() throws {
        let merged = try merger.merge([
            AggregatePart(provider: "VU", table: vu), AggregatePart(provider: "UVA", table: uva),
        ])
        #expect(merged.columnNames == ["Geslacht", "Salschal", "provider"])
        #expect(merged.rowCount == 7)
        #expect(merged.cells("provider") == ["UVA", "UVA", "UVA", "UVA", "VU", "VU", "VU"].map(CellValue.text))
        #expect(merged.cells("Salschal").map(\.integerValue) == [10, 11, 12, 14, 20, 99, 13])
        #expect(try PartMerger(mode: .rows).merge([AggregatePart(provider: "A", table: uva)]).rowCount == 4)
        #expect(try merger.merge([]) == DataTable())
    }

    @Test func rowsWithOtherColumnsNameTheProviders() throws {
        let other = try DataTable(columns: [.text("Geslacht", ["M"]), .integer("Schaal", [1])])
        do {
            _ = try merger.merge([
                AggregatePart(provider: "UVA", table: uva), AggregatePart(provider: "RUG", table: other),
            ])
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .columnMismatch)
            #expect(error.message.contains("provider 'UVA'"))
            #expect(error.message.contains("provider 'RUG'"))
        }
        let narrow = try DataTable(columns: [.text("Geslacht", ["M"])])
        #expect(throws: AggregateError.self) {
            try merger.merge([AggregatePart(provider: "UVA", table: uva), AggregatePart(provider: "X", table: narrow)])
        }
    }

    @Test func averagesAreTotalSumOverTotalCount() throws {
        let merged = try merger.merge(try partials(.average))
        #expect(merged.columnNames == ["Geslacht", "average(Salschal)", "count"])
        // M: (10 + 12 + 14 + 20) / 4 = 14, not (12 + 20) / 2 = 16; V: (11 + 13) / 2 = 12, 99 excluded.
        #expect(merged.cells("average(Salschal)") == [.real(14), .real(12)])
        #expect(merged.cells("count") == [.integer(4), .integer(3)])
        expectSame(merged, try engine.run(spec(.average), on: try DataTable(concatenating: [uva, vu])), tolerance: 0)
    }

    @Test func minMaxSumAndCountMerge() throws {
        #expect(try merger.merge(try partials(.min)).cells("min(Salschal)") == [.integer(10), .integer(11)])
        #expect(try merger.merge(try partials(.max)).cells("max(Salschal)") == [.integer(20), .integer(13)])
        #expect(try merger.merge(try partials(.sum)).cells("sum(Salschal)") == [.integer(56), .integer(24)])
        let counts = try merger.merge(try partials(.count))
        #expect(counts.columnNames == ["Geslacht", "count(Salschal)", "count"])
        #expect(counts.cells("count(Salschal)") == [.integer(4), .integer(2)])
        #expect(counts.cells("count") == [.integer(4), .integer(3)])
    }

    @Test func stddevMergesFromSumsOfSquares() throws {
        let merged = try merger.merge(try partials(.stddev))
        #expect(merged.columnNames == ["Geslacht", "stddev(Salschal)", "count"])
        // M: 10, 12, 14, 20 -> mean 14, squares 16 + 4 + 0 + 36 = 56, / 3.
        let expected = try DataTable(columns: [
            .text("Geslacht", ["M", "V"]),
            .real("stddev(Salschal)", [(56.0 / 3).squareRoot(), Double(2).squareRoot()]),
            .integer("count", [4, 3]),
        ])
        expectSame(merged, expected, tolerance: 1e-12)
    }

    @Test func groupsMissingAtSomeProvidersAreKept() throws {
        let onlyM = try DataTable(columns: [.text("Geslacht", ["M"]), .integer("Salschal", [30])])
        let spec = spec(.average, partial: true)
        let merged = try merger.merge([
            AggregatePart(provider: "A", table: try engine.run(spec, on: onlyM)),
            AggregatePart(provider: "B", table: try engine.run(spec, on: vu)),
        ])
        #expect(merged.cells("Geslacht") == [.text("M"), .text("V")])
        #expect(merged.cells("average(Salschal)") == [.real(25), .real(13)])
    }

    @Test func countWithoutValueColumnsNeedsExplicitMode() throws {
        let spec = AlgorithmSpec(function: .count, groupColumns: ["Geslacht"], partial: true)
        let parts = [
            AggregatePart(provider: "A", table: try engine.run(spec, on: uva)),
            AggregatePart(provider: "B", table: try engine.run(spec, on: vu)),
        ]
        let merged = try PartMerger(mode: .partialResults).merge(parts)
        #expect(merged.columnNames == ["Geslacht", "count"])
        #expect(merged.cells("count") == [.integer(4), .integer(3)])
        #expect(try merger.merge(parts).columnNames == ["Geslacht", "count", "provider"])
    }

    @Test func rowDataIsNotAPartialResult() {
        do {
            _ = try PartMerger(mode: .partialResults).merge([AggregatePart(provider: "UVA", table: uva)])
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .malformedPartial)
            #expect(error.message.contains("partial: true"))
        }
    }

    @Test func malformedStateCellIsNamed() throws {
        var table = try engine.run(spec(.average, partial: true), on: uva)
        try table.replaceColumn(at: 2, with: .text("sum(Salschal)", ["x", "y"]))
        do {
            _ = try merger.merge([AggregatePart(provider: "UVA", table: table)])
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .malformedPartial)
            #expect(error.message.contains("provider 'UVA' row 0 column 'sum(Salschal)'"))
        }
    }

    func spec(_ function: AlgorithmFunction, partial: Bool = false) -> AlgorithmSpec {
        AlgorithmSpec(
            function: function, groupColumns: ["Geslacht"], valueColumns: ["Salschal"],
            sentinels: ["Salschal": [.integer(99)]], partial: partial
        )
    }
}
