import DynamosDatagen
import DynamosMessages
import DynamosQueryEngine
import Foundation
import GRDB
import Testing

@Suite struct QueryEngineLoadingTests {
    static let thesisQuery = "SELECT * FROM Personen p JOIN Aanstellingen s ON p.Unieknr = s.Unieknr"

    @Test(arguments: CSVLineEnding.allCases)
    func thesisQueryKeepsAllColumnsWithDuplicates(lineEnding: CSVLineEnding) async throws {
        let fixture = try Fixture(lineEnding: lineEnding)
        defer { fixture.remove() }
        let expected = fixture.dataset.joined()
        let result = try await fixture.engine().query(Self.thesisQuery, party: Fixture.party)
        #expect(result.rowCount == expected.rowCount)
        #expect(result.columnCount == 21)
        #expect(result.columnNames == expected.columnNames)
        #expect(result.columnIndices(named: "Unieknr").count == 2)
        #expect(result.columns.map(\.type) == expected.columns.map(\.type))
        let count = try await fixture.engine().query("SELECT COUNT(*) AS n FROM Personen", party: Fixture.party)
        #expect(count.value(row: 0, column: 0) == .integer(Int64(fixture.dataset.personen.rowCount)))
    }

    @Test("each result cell keeps SQLite's type: integer, real, text, blob, null, and mixed columns widen")
    func resultCellTypes() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let result = try await fixture.engine().query(
            """
            SELECT 7 AS i, 2.5 AS r, 'naïve' AS t, X'00FF10' AS b, NULL AS n,
                   CASE WHEN Unieknr = (SELECT MIN(Unieknr) FROM Personen) THEN 0.5 ELSE Unieknr END AS mixed, Unieknr
            FROM Personen ORDER BY Unieknr LIMIT 4
            """,
            party: Fixture.party
        )
        #expect(result.columnNames == ["i", "r", "t", "b", "n", "mixed", "Unieknr"])
        #expect(result.columns.map(\.type) == [.integer, .real, .text, .blob, .null, .real, .integer])
        #expect(result.row(0).prefix(5) == [.integer(7), .real(2.5), .text("naïve"), .blob([0, 255, 16]), .null])
        for row in 0..<result.rowCount {
            let id = try #require(result.value(row: row, column: 6).integerValue)
            #expect(result.value(row: row, column: 5) == .real(row == 0 ? 0.5 : Double(id)))
        }
    }

    @Test func averageSalaryScaleByGenderIsTypedReal() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let result = try await fixture.engine().query(
            """
            SELECT Geslacht, AVG(Salschal) AS avg FROM Personen p JOIN Aanstellingen s ON p.Unieknr = s.Unieknr
            WHERE Salschal <> 99 GROUP BY Geslacht ORDER BY Geslacht
            """,
            party: Fixture.party
        )
        #expect(result.columnNames == ["Geslacht", "avg"])
        #expect(result.columns.map(\.type) == [.text, .real])
        let expected = Self.averages(fixture.dataset)
        #expect(result.rowCount == expected.count)
        for row in 0..<result.rowCount {
            let gender = try #require(result.value(row: row, column: 0).textValue)
            let average = try #require(result.value(row: row, column: 1).doubleValue)
            #expect(abs(average - (expected[gender] ?? .nan)) < 1e-9)
        }
    }

    @Test func reloadsOnlyWhenAFileChanges() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let engine = fixture.engine()
        #expect(try await engine.refresh(party: Fixture.party) == ["Aanstellingen", "Personen"])
        _ = try await engine.query("SELECT COUNT(*) FROM Personen", party: Fixture.party)
        #expect(await engine.loadCount == 2)
        try fixture.write(lineEnding: .lf)
        #expect(try await engine.refresh(party: Fixture.party).isEmpty)
        #expect(await engine.loadCount == 2)
        let personen = fixture.dataset.personen.csvText(separator: ";", lineEnding: .crcrlf)
        try fixture.writeFile("Personen.csv", personen)
        #expect(try await engine.refresh(party: Fixture.party) == ["Personen"])
        #expect(await engine.loadCount == 3)
        try FileManager.default.removeItem(at: fixture.partyDirectory.appendingPathComponent("Aanstellingen.csv"))
        let error = await queryError { _ = try await engine.query("SELECT * FROM Aanstellingen", party: "UVA") }
        #expect(error?.code == .tableNotAllowed)
    }

    @Test("configured join keys are indexed once per load, and the join answers the same")
    func indexesJoinKeys() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let join = "SELECT p.Unieknr, p.Geslacht, s.Salschal FROM Personen p JOIN Aanstellingen s ON p.Unieknr = s.Unieknr "
            + "ORDER BY p.Unieknr, s.Volgnrar"
        let plain = try await fixture.engine().query(join, party: Fixture.party)
        let indexed = fixture.engine(indexes: ["Personen": ["Unieknr"], "Aanstellingen": ["Unieknr", "Missing"]])
        #expect(try await indexed.query(join, party: Fixture.party) == plain)
        let database = try DatabaseQueue(path: fixture.databases.appendingPathComponent("UVA.sqlite").path)
        let names = try await database.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name")
        }
        #expect(names == ["index_Aanstellingen_Unieknr", "index_Personen_Unieknr"])
    }

    @Test("a second worker copies the cached import instead of importing; a changed file is imported again")
    func databaseCache() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let cache = fixture.databases.deletingLastPathComponent().appendingPathComponent("cache")
        func engine(_ name: String) throws -> QueryEngine {
            let databases = fixture.databases.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: databases, withIntermediateDirectories: true)
            return QueryEngine(
                datasetDirectory: fixture.root, databaseDirectory: databases, indexes: ["Personen": ["Unieknr"]],
                cacheDirectory: cache)
        }
        let sql = "SELECT Geslacht, COUNT(*) FROM Personen GROUP BY Geslacht ORDER BY Geslacht"
        let first = try engine("first")
        let expected = try await first.query(sql, party: Fixture.party)
        #expect(await first.loadCount == 2)
        let second = try engine("second")
        #expect(try await second.refresh(party: Fixture.party).isEmpty)
        #expect(try await second.query(sql, party: Fixture.party) == expected)
        #expect(await second.loadCount == 0, "nothing imported: the cached database was copied")
        try fixture.writeFile("Personen.csv", fixture.dataset.personen.prefix(10).csvText(separator: ";", lineEnding: .lf))
        let third = try engine("third")
        #expect(try await third.refresh(party: Fixture.party) == ["Aanstellingen", "Personen"])
        #expect(try await third.query("SELECT COUNT(*) FROM Personen", party: Fixture.party).value(row: 0, column: 0) == .integer(10))
    }

    @Test func readsQuotedFieldsAndOtherSeparators() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        for name in ["Personen.csv", "Aanstellingen.csv"] {
            try FileManager.default.removeItem(at: fixture.partyDirectory.appendingPathComponent(name))
        }
        try fixture.writeFile("Notes.csv", "id,note\r\n1,\"a,b\"\r\n2,\"two\nlines\"\r\n3,\r\n")
        let result = try await fixture.engine(separator: ",").query(
            "SELECT id, note FROM Notes ORDER BY id", party: Fixture.party
        )
        #expect(result.columns.map(\.type) == [.integer, .text])
        #expect(result.columns[1].values == .text(["a,b", "two\nlines", nil]))
    }

    @Test func malformedFileIsReported() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        try fixture.writeFile("Bad.csv", "a;b\n1;2;3\n")
        let error = await queryError { _ = try await fixture.engine().query("SELECT 1", party: Fixture.party) }
        #expect(error?.code == .datasetMalformed)
    }

    @Test func missingAndInvalidPartiesAreReported() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let engine = fixture.engine()
        let missing = await queryError { _ = try await engine.refresh(party: "VU") }
        #expect(missing?.code == .datasetMissing)
        let invalid = await queryError { _ = try await engine.refresh(party: "../UVA") }
        #expect(invalid?.code == .invalidParty)
        #expect(invalid?.description.hasPrefix("invalidParty: ") == true)
    }

    /// Average `Salschal` per `Geslacht` over the join, excluding 99, computed in memory.
    private static func averages(_ dataset: UNLDataset) -> [String: Double] {
        let personen = dataset.personen
        let aanstellingen = dataset.aanstellingen
        var gender: [CellValue: String] = [:]
        for row in 0..<personen.rowCount {
            let id = personen.value(row: row, column: personen.columnIndex(named: "Unieknr")!)
            gender[id] = personen.value(row: row, column: personen.columnIndex(named: "Geslacht")!).textValue
        }
        var sums: [String: (Double, Int)] = [:]
        for row in 0..<aanstellingen.rowCount {
            let id = aanstellingen.value(row: row, column: aanstellingen.columnIndex(named: "Unieknr")!)
            let scale = aanstellingen.value(row: row, column: aanstellingen.columnIndex(named: "Salschal")!)
            guard let key = gender[id], let value = scale.doubleValue, value != 99 else { continue }
            let sum = sums[key] ?? (0, 0)
            sums[key] = (sum.0 + value, sum.1 + 1)
        }
        return sums.mapValues { $0.0 / Double($0.1) }
    }
}
