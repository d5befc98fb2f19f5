import DynamosAlgorithmWorker
import DynamosMessages
import Testing

@Suite struct AlgorithmSpecTests {
    @Test func keyIsGroupColumnValuesAreCommaSeparated() throws {
        let spec = try AlgorithmSpec(algorithm: "average", algorithmColumns: ["Geslacht": "Salschal, Aanst_22"])
        #expect(spec.function == .average)
        #expect(spec.groupColumns == ["Geslacht"])
        #expect(spec.valueColumns == ["Salschal", "Aanst_22"])
        #expect(spec.partial == false)
        #expect(spec.rowLimit == AlgorithmSpec.defaultRowLimit)
    }

    @Test func severalKeysAreSortedAndValuesUnited() throws {
        let spec = try AlgorithmSpec(
            algorithm: "Sum",
            algorithmColumns: ["Instcode": "Aanst_22,Salschal", "Geslacht": "Salschal", "HOOPgeb, Functcat": ""]
        )
        #expect(spec.function == .sum)
        #expect(spec.groupColumns == ["Geslacht", "HOOPgeb", "Functcat", "Instcode"])
        #expect(spec.valueColumns == ["Salschal", "Aanst_22"])
    }

    @Test func emptyKeyMeansNoGrouping() throws {
        let spec = try AlgorithmSpec(algorithm: "stddev", algorithmColumns: ["": "Salschal"])
        #expect(spec.function == .stddev)
        #expect(spec.groupColumns.isEmpty)
        #expect(spec.valueColumns == ["Salschal"])
    }

    @Test func rowsNeedsNoColumns() throws {
        let spec = try AlgorithmSpec(algorithm: "rows", algorithmColumns: [:], rowLimit: 5)
        #expect(spec.function == .rows)
        #expect(spec.rowLimit == 5)
    }

    @Test func unknownAlgorithmListsTheKnownOnes() {
        #expect {
            try AlgorithmSpec(algorithm: "mean", algorithmColumns: ["Geslacht": "Salschal"])
        } throws: { error in
            guard let error = error as? AlgorithmError else { return false }
            return error.code == .unknownAlgorithm && error.message.contains("'mean'")
                && error.message.contains("average, sum, count")
        }
    }

    @Test func numericFunctionWithoutValueColumnsFails() {
        #expect(throws: AlgorithmError.self) {
            try AlgorithmSpec(algorithm: "average", algorithmColumns: ["Geslacht": " , "])
        }
        do {
            _ = try AlgorithmSpec(algorithm: "max", algorithmColumns: [:])
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .missingValueColumns)
            #expect(error.message.contains("max needs at least one value column"))
        }
    }

    @Test func countWithoutValueColumnsIsAllowed() throws {
        let spec = try AlgorithmSpec(algorithm: "count", algorithmColumns: ["Geslacht": ""])
        #expect(spec.valueColumns.isEmpty)
        #expect(spec.groupColumns == ["Geslacht"])
    }

    @Test(arguments: ["median", "wageGap"])
    func unmergeableFunctionsRefusePartial(_ name: String) {
        do {
            _ = try AlgorithmSpec(algorithm: name, algorithmColumns: ["Geslacht": "Salschal"], partial: true)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .notMergeable)
            #expect(error.message.contains("cannot be merged exactly from partials; send rows to the aggregate"))
        }
    }

    @Test func rowLimitMustBePositive() {
        do {
            _ = try AlgorithmSpec(algorithm: "rows", algorithmColumns: [:], rowLimit: 0)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .invalidRowLimit)
        }
    }

    @Test func wageGapNeedsOneGroupColumn() throws {
        let spec = try AlgorithmSpec(algorithm: "wagegap", algorithmColumns: ["Geslacht": "Salschal"])
        #expect(spec.function == .wageGap)
        do {
            _ = try AlgorithmSpec(algorithm: "wageGap", algorithmColumns: ["Geslacht, Instcode": "Salschal"])
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .groupCountMismatch)
            #expect(error.message.contains("got 2"))
        }
    }

    @Test func columnNamesParseBack() {
        #expect(AlgorithmColumnName.result(.average, "Salschal") == "average(Salschal)")
        #expect(AlgorithmColumnName.sumOfSquares("x") == "sumOfSquares(x)")
        #expect(AlgorithmColumnName.parse("average(Salschal)")! == ("average", "Salschal"))
        #expect(AlgorithmColumnName.parse("max(f(x))")! == ("max", "f(x)"))
        #expect(AlgorithmColumnName.parse("count") == nil)
        #expect(AlgorithmColumnName.parse("Salschal") == nil)
        #expect(AlgorithmColumnName.parse("avg x(y)") == nil)
        let states = AlgorithmColumnName.stateColumns(for: .stddev, column: "c")
        #expect(states == ["sum(c)", "sumOfSquares(c)", "count(c)"])
        #expect(AlgorithmColumnName.stateColumns(for: .min, column: "c").isEmpty)
    }

    @Test func groupKeysSortNullsNumbersTextBlobs() {
        let keys: [CellValue] = [.blob([1]), .text("b"), .real(2.5), .null, .text("a"), .integer(3), .integer(2)]
        let sorted = keys.map { [$0] }.sorted(by: GroupKeyOrder.areInIncreasingOrder).map { $0[0] }
        #expect(sorted == [.null, .integer(2), .real(2.5), .integer(3), .text("a"), .text("b"), .blob([1])])
        #expect(GroupKeyOrder.compare(.integer(2), .real(2)) == -1)
        #expect(GroupKeyOrder.compare(.integer(Int64.max), .integer(Int64.max - 1)) == 1)
    }
}
