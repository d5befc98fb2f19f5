import DynamosAlgorithmWorker
import DynamosMessages
import Testing

/// k at the algorithm: groups of fewer rows are left out and counted; record-level and wage gap results follow
/// their own rules.
@Suite("group suppression", .timeLimit(.minutes(1)))
struct GroupSuppressionTests {
    let engine = AlgorithmEngine()

    func spec(_ function: AlgorithmFunction, groups: [String], k: Int, partial: Bool = false) -> AlgorithmSpec {
        var spec = AlgorithmSpec(
            function: function, groupColumns: groups, valueColumns: ["Salschal"],
            sentinels: Fixture.salschalSentinel, partial: partial)
        spec.minimumGroupSize = k
        return spec
    }

    @Test("groups under k are left out and counted; groups at k stay")
    func smallGroupsLeaveOut() throws {
        // Instcode (text, first of the name): UVA 4 rows, VU 3 rows.
        let (table, suppressed) = try engine.evaluate(spec(.average, groups: ["Instcode"], k: 4), on: Fixture.table)
        #expect(suppressed == 1)
        #expect(table.cells("Instcode") == [.text("UVA")])
        #expect(table.cells("count") == [.integer(4)])
        let (all, none) = try engine.evaluate(spec(.average, groups: ["Instcode"], k: 3), on: Fixture.table)
        #expect(none == 0)
        #expect(all.rowCount == 2)
    }

    @Test("partials are suppressed before they leave, with their merge state")
    func partials() throws {
        let (table, suppressed) = try engine.evaluate(
            spec(.average, groups: ["Geslacht"], k: 4, partial: true), on: Fixture.table)
        #expect(suppressed == 1)
        #expect(table.cells("Geslacht") == [.text("V")])
        #expect(table.columnNames.contains("sum(Salschal)"))
    }

    @Test("one group over the whole table is suppressed when the table is smaller than k")
    func wholeTable() throws {
        let (table, suppressed) = try engine.evaluate(spec(.sum, groups: [], k: 8), on: Fixture.table)
        #expect(suppressed == 1)
        #expect(table.rowCount == 0)
    }

    @Test("k of 1 changes nothing; rows are not grouped and pass as they are")
    func noSuppression() throws {
        let (table, suppressed) = try engine.evaluate(spec(.count, groups: ["Naam"], k: 1), on: Fixture.table)
        #expect(suppressed == 0)
        #expect(table.rowCount == 7)
        let (rows, none) = try engine.evaluate(spec(.rows, groups: [], k: 100), on: Fixture.table)
        #expect(none == 0)
        #expect(rows.rowCount == 7)
    }

    @Test("a wage gap whose group is under k is refused, naming the group")
    func wageGap() throws {
        let error = #expect(throws: AlgorithmError.self) {
            _ = try engine.evaluate(spec(.wageGap, groups: ["Geslacht"], k: 4), on: Fixture.table)
        }
        #expect(error?.code == .groupTooSmall)
        #expect(error?.message.contains("'M'") == true)
        #expect(try engine.evaluate(spec(.wageGap, groups: ["Geslacht"], k: 3), on: Fixture.table).table.rowCount == 1)
    }

    @Test("the suppressor reads the trailing count column and leaves other tables alone")
    func suppressorShapes() throws {
        let grouped = try DataTable(columns: [.text("g", ["a", "b", "c"]), .integer("count", [1, 5, 2])])
        let (kept, suppressed) = GroupSuppressor(minimumGroupSize: 2).apply(to: grouped)
        #expect(suppressed == 1)
        #expect(kept.cells("g") == [.text("b"), .text("c")])
        let notGrouped = try DataTable(columns: [.integer("count", [1, 2]), .text("g", ["a", "b"])])
        #expect(GroupSuppressor(minimumGroupSize: 5).apply(to: notGrouped).suppressed == 0)
    }
}
