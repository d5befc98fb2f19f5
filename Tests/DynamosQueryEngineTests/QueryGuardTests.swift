import DynamosMessages
import DynamosQueryEngine
import Foundation
import Testing

@Suite struct QueryGuardTests {
    static let refused: [(String, QueryWorkerError.Code)] = [
        ("INSERT INTO Personen (Instcode) VALUES (1)", .writeRefused),
        ("UPDATE Aanstellingen SET Salschal = 1", .writeRefused),
        ("DELETE FROM Personen", .writeRefused),
        ("DROP TABLE Personen", .writeRefused),
        ("CREATE TABLE Extra (a INTEGER)", .writeRefused),
        ("CREATE TEMP TABLE Extra AS SELECT * FROM Personen", .writeRefused),
        ("BEGIN", .writeRefused),
        ("ATTACH DATABASE ':memory:' AS other", .attachRefused),
        ("PRAGMA writable_schema = ON", .pragmaRefused),
        ("PRAGMA table_info(Personen)", .pragmaRefused),
        ("SELECT load_extension('/tmp/evil.so')", .functionRefused),
        ("SELECT 1; SELECT 2", .multipleStatements),
        ("SELECT 1; DROP TABLE Personen", .multipleStatements),
        ("SELECT * FROM Nope", .tableNotAllowed),
        ("SELECT * FROM sqlite_master", .tableNotAllowed),
        ("SELECT COUNT(*) FROM sqlite_master", .tableNotAllowed),
        ("WITH n AS (SELECT name FROM sqlite_master) SELECT COUNT(*) FROM n", .tableNotAllowed),
        // Table-valued pragmas first register a virtual table in sqlite_master, which SQLite reports as a write.
        ("SELECT * FROM pragma_table_info('Personen')", .writeRefused),
        ("SELEC 1", .invalidQuery),
        ("  ", .invalidQuery),
    ]

    @Test(arguments: refused)
    func refusesEverythingButReadingTheDataset(sql: String, code: QueryWorkerError.Code) async throws {
        let fixture = try Fixture(personCount: 20)
        defer { fixture.remove() }
        let engine = fixture.engine()
        let error = await queryError { _ = try await engine.query(sql, party: Fixture.party) }
        #expect(error?.code == code, "\(sql): \(String(describing: error))")
        #expect(error?.message.isEmpty == false)
        let count = try await engine.query("SELECT COUNT(*) FROM Personen; ", party: Fixture.party)
        #expect(count.value(row: 0, column: 0) == .integer(20))
    }

    @Test("common table expressions over the dataset, recursive ones too, are allowed")
    func commonTableExpressions() async throws {
        let fixture = try Fixture(personCount: 20)
        defer { fixture.remove() }
        let engine = fixture.engine()
        let women = try await engine.query(
            "WITH w AS (SELECT * FROM Personen WHERE Geslacht = 'V') SELECT COUNT(*) FROM w", party: Fixture.party)
        let direct = try await engine.query(
            "SELECT COUNT(*) FROM Personen WHERE Geslacht = 'V'", party: Fixture.party)
        #expect(women.value(row: 0, column: 0) == direct.value(row: 0, column: 0))
        let series = try await engine.query(
            "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 1000) SELECT COUNT(*) FROM n",
            party: Fixture.party)
        #expect(series.value(row: 0, column: 0) == .integer(1000))
    }

    @Test func runawayQueryHitsTheStepBudget() async throws {
        let fixture = try Fixture(personCount: 20)
        defer { fixture.remove() }
        let sql = """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000000)
            SELECT MAX(i) FROM n
            """
        let limits = QueryLimits(maxSteps: 1_000_000)
        let error = await queryError { _ = try await fixture.engine().query(sql, party: "UVA", limits: limits) }
        #expect(error?.code == .budgetExceeded)
        let small = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10) SELECT MAX(i) FROM n"
        let result = try await fixture.engine().query(small, party: "UVA", limits: limits)
        #expect(result.value(row: 0, column: 0) == .integer(10))
    }

    @Test func runawayQueryHitsTheDeadline() async throws {
        let fixture = try Fixture(personCount: 20)
        defer { fixture.remove() }
        let sql = """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000000)
            SELECT MAX(i) FROM n
            """
        let limits = QueryLimits(timeout: .milliseconds(50))
        let started = ContinuousClock.now
        let error = await queryError { _ = try await fixture.engine().query(sql, party: "UVA", limits: limits) }
        #expect(error?.code == .budgetExceeded)
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test func rowCapIsAnErrorNotATruncation() async throws {
        let fixture = try Fixture(personCount: 20)
        defer { fixture.remove() }
        let engine = fixture.engine()
        let capped = await queryError {
            _ = try await engine.query("SELECT * FROM Personen", party: "UVA", limits: QueryLimits(maxRows: 19))
        }
        #expect(capped?.code == .rowCapExceeded)
        let exact = try await engine.query("SELECT * FROM Personen", party: "UVA", limits: QueryLimits(maxRows: 20))
        #expect(exact.rowCount == 20)
    }

    @Test func defaultLimitsAreGenerous() {
        let limits = QueryLimits()
        #expect(limits.maxRows == 1_000_000)
        #expect(limits.timeout == .seconds(30))
        #expect(limits == QueryLimits(maxSteps: limits.maxSteps, timeout: .seconds(30), maxRows: 1_000_000))
    }
}
