import DynamosControl
import DynamosOrchestrator
import Foundation
import GRDB
import Testing

@Suite("Job book")
struct JobBookTests {
    static func job(_ id: String, created: Double, expires: Double) -> JobRecord {
        JobRecord(
            jobId: id, request: ApprovalRequest(type: "sqlDataRequest", user: OrchestratorFixture.analyst, dataProviders: ["UVA"]),
            revision: 1, archetype: "computeToData", computeProvider: nil, assignments: ["UVA": "computeToData"],
            roles: ["UVA": .all], reasons: [], createdAt: Date(timeIntervalSince1970: created),
            expiresAt: Date(timeIntervalSince1970: expires))
    }

    /// A fresh directory for one test's database, and its `jobs.sqlite` path.
    static func directory() throws -> (directory: URL, path: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dynamos-jobbook-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return (directory, directory.appendingPathComponent("jobs.sqlite").path)
    }

    @Test("jobs are listed oldest first until their token expires, and survive a restart")
    func persists() async throws {
        let (directory, path) = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let book = try JobBook(path: path)
        try await book.add(Self.job("b", created: 20, expires: 1_000))
        try await book.add(Self.job("a", created: 10, expires: 100))
        try await book.add(Self.job("c", created: 30, expires: 1_000))
        try await book.remove("c")
        #expect(try await book.active(now: Date(timeIntervalSince1970: 50)).map(\.jobId) == ["a", "b"])
        let reopened = try JobBook(path: path)
        #expect(try await reopened.active(now: Date(timeIntervalSince1970: 200)).map(\.jobId) == ["b"])
        #expect(try await reopened.job("b") == Self.job("b", created: 20, expires: 1_000))
        #expect(try await reopened.job("a") == nil)
    }

    @Test("a book an older orchestrator wrote with raw SQL still opens, roles read as enums")
    func opensOldBook() async throws {
        let (directory, path) = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var old = Self.job("old", created: 10, expires: 1_000)
        old.roles = ["UVA": .dataProvider, "SURF": .computeProvider]
        // The record as the old code stored it: Foundation's JSONEncoder, dates as seconds since 2001, roles strings.
        let record = String(decoding: try JSONEncoder().encode(old), as: UTF8.self)
        #expect(record.contains(#""SURF":"computeProvider""#))
        try await DatabaseQueue(path: path).write { db in
            try db.execute(
                sql: """
                    CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                    INSERT INTO grdb_migrations VALUES ('v1');
                    CREATE TABLE job (id TEXT PRIMARY KEY NOT NULL, record TEXT NOT NULL, createdAt DOUBLE NOT NULL,
                        expiresAt DOUBLE NOT NULL);
                    INSERT INTO job (id, record, createdAt, expiresAt) VALUES ('old', ?, 10, 1000);
                    """,
                arguments: [record])
        }
        let book = try JobBook(path: path)
        #expect(try await book.job("old") == old)
        #expect(try await book.active(now: Date(timeIntervalSince1970: 500)) == [old])
        try await book.add(Self.job("new", created: 20, expires: 1_000))
        let stored = try await DatabaseQueue(path: path).read { db -> (record: String, created: Double, expires: Double)? in
            try Row.fetchOne(db, sql: "SELECT record, createdAt, expiresAt FROM job WHERE id = 'new'")
                .map { ($0["record"], $0["createdAt"], $0["expiresAt"]) }
        }
        #expect(stored?.created == 20 && stored?.expires == 1_000)
        // Foundation's JSONEncoder, as before: dates inside the record as seconds since 2001 (20 - 978_307_200).
        let newRecord = try #require(stored?.record)
        #expect(newRecord.contains(#""createdAt":-978307180"#))
        #expect(try JSONDecoder().decode(JobRecord.self, from: Data(newRecord.utf8)) == Self.job("new", created: 20, expires: 1_000))
    }
}
