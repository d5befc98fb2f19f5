public import DynamosControl
public import Foundation
import GRDB

/// The jobs the orchestrator approved and has not seen end, so agreement changes can re-plan or revoke them.
///
/// Kept in SQLite (GRDB) beside the config, so a restarted orchestrator still revokes the jobs it approved before.
/// Jobs are forgotten when their token expires; a revoked job is removed at once.
public final class JobBook: Sendable {
    private let database: DatabaseQueue

    /// Opens (or creates) the book at `path`; nil keeps it in memory.
    /// - Throws: `ControlError` `.internalError` when the database cannot be opened.
    public init(path: String?) throws(ControlError) {
        do {
            var configuration = Configuration()
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")
            }
            database = try path.map { try DatabaseQueue(path: $0, configuration: configuration) } ?? DatabaseQueue()
            var migrator = DatabaseMigrator()
            migrator.registerMigration("v1") { db in
                try db.create(table: "job") { table in
                    table.primaryKey("id", .text)
                    table.column("record", .text).notNull()
                    table.column("createdAt", .double).notNull()
                    table.column("expiresAt", .double).notNull()
                }
            }
            try migrator.migrate(database)
        } catch {
            throw ControlError(.internalError, "the job book at \(path ?? ":memory:") cannot be opened: \(error)")
        }
    }

    /// Adds or replaces `job`.
    public func add(_ job: JobRecord) throws(ControlError) {
        let body: String
        do {
            body = String(decoding: try JSONEncoder().encode(job), as: UTF8.self)
        } catch {
            throw ControlError(.internalError, "job \(job.jobId) cannot be encoded: \(error)")
        }
        try access {
            try $0.write { db in
                try db.execute(
                    sql: "INSERT OR REPLACE INTO job (id, record, createdAt, expiresAt) VALUES (?, ?, ?, ?)",
                    arguments: [job.jobId, body, job.createdAt.timeIntervalSince1970, job.expiresAt.timeIntervalSince1970])
            }
        }
    }

    /// The job `id`, if it is still known.
    public func job(_ id: String) throws(ControlError) -> JobRecord? {
        try access { database in
            try database.read { db in
                try String.fetchOne(db, sql: "SELECT record FROM job WHERE id = ?", arguments: [id])
            }.map { try JSONDecoder().decode(JobRecord.self, from: Data($0.utf8)) }
        }
    }

    /// The jobs whose tokens have not expired at `now`, oldest first; expired ones are dropped.
    public func active(now: Date = Date()) throws(ControlError) -> [JobRecord] {
        try access { database in
            try database.write { db in
                try db.execute(sql: "DELETE FROM job WHERE expiresAt <= ?", arguments: [now.timeIntervalSince1970])
                return try String.fetchAll(db, sql: "SELECT record FROM job ORDER BY createdAt, id")
            }.map { try JSONDecoder().decode(JobRecord.self, from: Data($0.utf8)) }
        }
    }

    public func remove(_ id: String) throws(ControlError) {
        try access { try $0.write { db in try db.execute(sql: "DELETE FROM job WHERE id = ?", arguments: [id]) } }
    }

    private func access<T>(_ body: (DatabaseQueue) throws -> T) throws(ControlError) -> T {
        do {
            return try body(database)
        } catch {
            throw ControlError(.internalError, "the job book failed: \(error)")
        }
    }
}
