import DynamosAlgorithmWorker
import DynamosMessages
import Testing

@Suite struct AlgorithmEngineTests {
    let engine = AlgorithmEngine()

    func run(_ function: AlgorithmFunction, partial: Bool = false) throws -> DataTable {
        let spec = AlgorithmSpec(
            function: function,
            groupColumns: ["Geslacht"],
            valueColumns: ["Salschal", "Aanst_22"],
            sentinels: Fixture.salschalSentinel,
            partial: partial
        )
        return try engine.run(spec, on: Fixture.table)
    }

    @Test func averageExcludesSentinelsAndNulls() throws {
        let result = try run(.average)
        #expect(result.columnNames == ["Geslacht", "average(Salschal)", "average(Aanst_22)", "count"])
        #expect(result.cells("Geslacht") == [.text("M"), .text("V")])
        #expect(result.column(named: "average(Salschal)")?.type == .real)
        #expect(result.reals("average(Salschal)") == [11, 14])
        #expect(close(result.reals("average(Aanst_22)"), [2.8 / 3, 0.5]))
        #expect(result.cells("count") == [.integer(3), .integer(4)])
    }

    @Test func sumKeepsIntegerTypeForIntegers() throws {
        let result = try run(.sum)
        #expect(result.columnNames == ["Geslacht", "sum(Salschal)", "sum(Aanst_22)", "count"])
        #expect(result.cells("sum(Salschal)") == [.integer(22), .integer(42)])
        #expect(close(result.reals("sum(Aanst_22)"), [2.8, 1.5]))
        #expect(result.column(named: "sum(Aanst_22)")?.type == .real)
    }

    @Test func countCountsIncludedValuesAndRows() throws {
        let result = try run(.count)
        #expect(result.cells("count(Salschal)") == [.integer(2), .integer(3)])
        #expect(result.cells("count(Aanst_22)") == [.integer(3), .integer(3)])
        #expect(result.cells("count") == [.integer(3), .integer(4)])
        let text = try engine.run(
            AlgorithmSpec(function: .count, valueColumns: ["Naam"], sentinels: ["Naam": [.text("e")]]),
            on: Fixture.table
        )
        #expect(text.columnNames == ["count(Naam)", "count"])
        #expect(text.row(0) == [.integer(5), .integer(7)])
    }

    @Test func minAndMaxKeepColumnTypes() throws {
        let minimum = try run(.min)
        #expect(minimum.cells("min(Salschal)") == [.integer(10), .integer(12)])
        #expect(minimum.cells("min(Aanst_22)") == [.real(0.8), .real(0.4)])
        let maximum = try run(.max)
        #expect(maximum.cells("max(Salschal)") == [.integer(12), .integer(16)])
        #expect(maximum.cells("max(Aanst_22)") == [.real(1.0), .real(0.6)])
    }

    @Test func medianOfOddAndEvenCounts() throws {
        let result = try run(.median)
        #expect(result.reals("median(Salschal)") == [11, 14])
        #expect(result.reals("median(Aanst_22)") == [1.0, 0.5])
    }

    @Test func stddevIsTheSampleStandardDeviation() throws {
        let result = try run(.stddev)
        #expect(close(result.reals("stddev(Salschal)"), [Double(2).squareRoot(), 2]))
        let deviationM = ((2 * 0.2 * 0.2 / 9 + 0.4 * 0.4 / 9) / 2).squareRoot()
        #expect(close(result.reals("stddev(Aanst_22)"), [deviationM, 0.1]))
        let single = try engine.run(
            AlgorithmSpec(function: .stddev, groupColumns: ["Naam"], valueColumns: ["Salschal"]),
            on: Fixture.table
        )
        #expect(single.reals("stddev(Salschal)").allSatisfy { $0 == nil })
    }

    @Test func partialAddsMergeStateColumns() throws {
        let average = try run(.average, partial: true)
        #expect(average.columnNames == [
            "Geslacht", "average(Salschal)", "sum(Salschal)", "count(Salschal)",
            "average(Aanst_22)", "sum(Aanst_22)", "count(Aanst_22)", "count",
        ])
        #expect(average.cells("sum(Salschal)") == [.integer(22), .integer(42)])
        #expect(average.cells("count(Aanst_22)") == [.integer(3), .integer(3)])
        let stddev = try run(.stddev, partial: true)
        #expect(stddev.columnNames.contains("sumOfSquares(Salschal)"))
        #expect(stddev.reals("sumOfSquares(Salschal)") == [244, 596])
        #expect(try run(.min, partial: true) == (try run(.min)))
    }

    @Test func withoutGroupsTheTableIsOneGroup() throws {
        let spec = AlgorithmSpec(function: .average, valueColumns: ["Salschal"], sentinels: Fixture.salschalSentinel)
        let result = try engine.run(spec, on: Fixture.table)
        #expect(result.columnNames == ["average(Salschal)", "count"])
        #expect(result.row(0) == [.real(64.0 / 5), .integer(7)])
        let empty = try engine.run(spec, on: Fixture.table.prefix(0))
        #expect(empty.rowCount == 1)
        #expect(empty.row(0) == [.null, .integer(0)])
    }

    @Test func severalGroupColumnsSortAscendingWithNullFirst() throws {
        let table = try DataTable(columns: [
            .text("a", ["y", "x", nil, "x", "y", "x"]),
            .integer("b", [2, 2, 1, 1, 1, 2]),
            .real("v", [1, 2, 3, 4, 5, 6]),
        ])
        let result = try engine.run(
            AlgorithmSpec(function: .sum, groupColumns: ["a", "b"], valueColumns: ["v"]), on: table
        )
        #expect(result.cells("a") == [.null, .text("x"), .text("x"), .text("y"), .text("y")])
        #expect(result.cells("b") == [.integer(1), .integer(1), .integer(2), .integer(1), .integer(2)])
        #expect(result.reals("sum(v)") == [3, 4, 8, 5, 1])
        #expect(result.cells("count") == [.integer(1), .integer(1), .integer(2), .integer(1), .integer(1)])
        #expect(result.column(named: "b")?.type == .integer)
    }

    @Test func duplicateColumnNamesUseTheFirst() throws {
        let result = try engine.run(
            AlgorithmSpec(function: .count, groupColumns: ["Instcode"], valueColumns: ["Instcode"]),
            on: Fixture.table
        )
        #expect(result.columnNames == ["Instcode", "count(Instcode)", "count"])
        #expect(result.cells("Instcode") == [.text("UVA"), .text("VU")])
        #expect(result.cells("count") == [.integer(4), .integer(3)])
    }

    @Test func sentinelsMatchNumbersAcrossTypes() throws {
        let table = try DataTable(columns: [.real("r", [99, 1, 3]), .integer("i", [99, 2, 4])])
        let spec = AlgorithmSpec(
            function: .average, valueColumns: ["r", "i"], sentinels: ["r": [.integer(99)], "i": [.text("99")]]
        )
        let result = try engine.run(spec, on: table)
        #expect(result.row(0) == [.real(2), .real(3), .integer(3)])
    }

    @Test func allNullColumnGivesNoValues() throws {
        let table = try DataTable(columns: [.null("n", count: 3)])
        let result = try engine.run(AlgorithmSpec(function: .sum, valueColumns: ["n"]), on: table)
        #expect(result.row(0) == [.integer(0), .integer(3)])
    }

    @Test func rowsReturnsTheFirstRowsUnchanged() throws {
        let result = try engine.run(AlgorithmSpec(function: .rows, rowLimit: 3), on: Fixture.table)
        #expect(result == Fixture.table.prefix(3))
        #expect(result.columnNames == Fixture.table.columnNames)
        let all = try engine.run(AlgorithmSpec(function: .rows), on: Fixture.table)
        #expect(all == Fixture.table)
    }

    @Test func unknownColumnListsTheTableColumns() {
        let spec = AlgorithmSpec(function: .average, groupColumns: ["Gender"], valueColumns: ["Salschal"])
        do {
            _ = try engine.run(spec, on: Fixture.table)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .unknownColumn)
            #expect(error.message.contains("group column 'Gender' is not in the table"))
            #expect(error.message.contains("Instcode, Geslacht, Salschal, Aanst_22, Instcode, Naam"))
        }
    }

    @Test func textColumnForNumericFunctionFails() {
        let spec = AlgorithmSpec(function: .average, groupColumns: ["Geslacht"], valueColumns: ["Naam"])
        do {
            _ = try engine.run(spec, on: Fixture.table)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .nonNumericColumn)
            #expect(error.message.contains("'Naam' holds text values"))
        }
    }

    @Test func integerOverflowFails() throws {
        let table = try DataTable(columns: [.integer("big", [Int64.max, 1])])
        do {
            _ = try engine.run(AlgorithmSpec(function: .sum, valueColumns: ["big"]), on: table)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .overflow)
        }
        let maximum = try engine.run(AlgorithmSpec(function: .max, valueColumns: ["big"]), on: table)
        #expect(maximum.row(0) == [.integer(Int64.max), .integer(2)])
    }

    @Test func runChecksTheSpecToo() {
        let spec = AlgorithmSpec(
            function: .median, groupColumns: ["Geslacht"], valueColumns: ["Salschal"], partial: true
        )
        #expect(throws: AlgorithmError.self) { try engine.run(spec, on: Fixture.table) }
    }
}
