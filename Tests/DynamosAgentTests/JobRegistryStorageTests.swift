import DynamosAgent
import DynamosControl
import DynamosKnowledge
import Foundation
import GRDB
import Testing

/// The registry's SQLite file itself: states as stored strings, and databases the older agents wrote.
@Suite("Job registry storage")
struct JobRegistryStorageTests {
    /// A fresh file path in its own directory, removed by `cleanUp`.
    static func path() -> (path: String, cleanUp: @Sendable () -> Void) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dynamos-jobs-\(UUID())")
        return (directory.appendingPathComponent("jobs.sqlite").path, {
            try? FileManager.default.removeItem(at: directory)
        })
    }

    /// The `state` column of `jobId` as SQLite holds it.
    static func storedState(_ jobId: String, at path: String) throws -> String? {
        try DatabaseQueue(path: path).read { db in
            try String.fetchOne(db, sql: "SELECT state FROM job WHERE id = ?", arguments: [jobId])
        }
    }

    @Test("a job's state is stored as its raw value and read back as the enum")
    func stateRoundTrips() async throws {
        let (path, cleanUp) = Self.path()
        defer { cleanUp() }
        let start = Date(timeIntervalSince1970: 1_000_000)
        let registry = try JobRegistry(path: path, leaseDuration: .seconds(10))
        try await registry.store(JobRegistryTests.composition("kept"), now: start)
        try await registry.store(JobRegistryTests.composition("ended"), now: start)
        try await registry.store(JobRegistryTests.composition("lapsing"), now: start.addingTimeInterval(-20))
        try await registry.revoke("ended", reason: "relation removed")
        #expect(try await registry.sweep(now: start) == ["lapsing"])
        #expect(try Self.storedState("kept", at: path) == "active")
        #expect(try Self.storedState("ended", at: path) == "revoked")
        #expect(try Self.storedState("lapsing", at: path) == "lapsed")

        try await DatabaseQueue(path: path).write { db in
            try db.execute(sql: "UPDATE job SET state = 'revoked', reason = 'set by hand' WHERE id = 'kept'")
        }
        let reopened = try JobRegistry(path: path)
        #expect(try await reopened.job("kept")?.state == .revoked)
        #expect(try await reopened.job("kept")?.reason == "set by hand")
        #expect(try await reopened.job("ended")?.state == .revoked)
        #expect(try await reopened.job("lapsing")?.state == .lapsed)
        #expect(try await reopened.activeCount() == 0)
    }

    @Test("a v2 database an older agent wrote with raw SQL still opens, and its jobs keep working")
    func opensVersion2() async throws {
        let (path, cleanUp) = Self.path()
        defer { cleanUp() }
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let now = Date()
        let lease = now.addingTimeInterval(300).timeIntervalSince1970
        // The composition as the old code's JSONEncoder wrote it: the role a plain string.
        let composition = #"""
            {"jobId":"job-old","revision":2,"user":{"id":"1","userName":"analyst"},"requestType":"sqlDataRequest",\#
            "archetype":"dataThroughTtp","assignments":{"UVA":"dataThroughTtp"},"computeProvider":"SURF",\#
            "providers":["UVA"],"options":[],"role":"dataProvider","party":"UVA","reasons":["why"]}
            """#
        try await DatabaseQueue(path: path).write { db in
            try db.execute(
                sql: """
                    CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                    INSERT INTO grdb_migrations VALUES ('v1'), ('v2: provisional revocations');
                    CREATE TABLE job (id TEXT PRIMARY KEY NOT NULL, revision INTEGER NOT NULL, composition TEXT NOT NULL,
                        state TEXT NOT NULL, reason TEXT, leaseExpiresAt DOUBLE NOT NULL,
                        final BOOLEAN NOT NULL DEFAULT 1);
                    """)
            try db.execute(
                sql: "INSERT INTO job VALUES ('job-old', 2, ?, 'active', NULL, ?, 0)", arguments: [composition, lease])
            try db.execute(
                sql: "INSERT INTO job VALUES ('job-early', 0, '{}', 'revoked', 'revoked before it arrived', ?, 1)",
                arguments: [now.timeIntervalSince1970])
        }

        let registry = try JobRegistry(path: path)
        let job = try await registry.lease("job-old", now: now)
        #expect(job.state == .active)
        #expect(job.composition.role == .dataProvider)
        #expect(job.composition.computeProvider == "SURF")
        #expect(job.composition.revision == 2)
        let error = await #expect(throws: ControlError.self) { try await registry.lease("job-early") }
        #expect(error?.code == .forbidden)
        #expect(error?.message.contains("revoked before it arrived") == true)
        #expect(try await registry.store(JobRegistryTests.composition("job-early")) == false)
        #expect(try await registry.store(JobRegistryTests.composition("job-old", revision: 3)))
        #expect(try await registry.lease("job-old").composition.role == .all)
    }
}
