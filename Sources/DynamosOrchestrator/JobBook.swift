public import DynamosControl
public import Foundation
import GRDB

/// The jobs the orchestrator approved and has not seen end, so agreement changes can re-plan or revoke them.
///
/// Kept in SQLite (GRDB records, its async API off the cooperative pool) beside the config, so a restarted
/// orchestrator still revokes the jobs it approved before. Jobs are forgotten when their token expires; a revoked
/// job is removed at once.
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
            try BookedJob.migrator.migrate(database)
        } catch {
            throw ControlError(
                .internalError,
                "the job book at \(path ?? ":memory:") cannot be opened (check the path and its permissions)",
                cause: error)
        }
    }

    /// Adds or replaces `job`.
    public func add(_ job: JobRecord) async throws(ControlError) {
        let booked = BookedJob(job)
        try await access { try await $0.write { db in try booked.insert(db, onConflict: .replace) } }
    }

    /// The job `id`, if it is still known.
    public func job(_ id: String) async throws(ControlError) -> JobRecord? {
        try await access { try await $0.read { db in try BookedJob.fetchOne(db, key: id)?.record } }
    }

    /// The jobs whose tokens have not expired at `now`, oldest first; expired ones are dropped.
    public func active(now: Date = Date()) async throws(ControlError) -> [JobRecord] {
        let cutoff = now.timeIntervalSince1970
        return try await access {
            try await $0.write { db in
                try BookedJob.filter(BookedJob.Columns.expiresAt <= cutoff).deleteAll(db)
                return try BookedJob.order(BookedJob.Columns.createdAt, BookedJob.Columns.id).fetchAll(db).map(\.record)
            }
        }
    }

    /// Forgets the job `id`.
    public func remove(_ id: String) async throws(ControlError) {
        _ = try await access { try await $0.write { db in try BookedJob.deleteOne(db, key: id) } }
    }

    private func access<T: Sendable>(
        _ body: (DatabaseQueue) async throws -> T
    ) async throws(ControlError) -> T {
        do {
            return try await body(database)
        } catch {
            throw ControlError(
                .internalError, "the job book failed (check the disk and its permissions)", cause: error)
        }
    }
}

/// One row of the book's `job` table: the record as JSON, and its times (seconds since 1970) to sort and expire by.
struct BookedJob: Sendable, Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "job"

    /// The columns queries sort and filter on.
    enum Columns {
        static let id = Column(CodingKeys.id)
        static let createdAt = Column(CodingKeys.createdAt)
        static let expiresAt = Column(CodingKeys.expiresAt)
    }

    var id: String
    var record: JobRecord
    var createdAt: Date
    var expiresAt: Date

    init(_ record: JobRecord) {
        id = record.jobId
        self.record = record
        createdAt = record.createdAt
        expiresAt = record.expiresAt
    }

    /// The book's table as the first orchestrators wrote it.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "job") { table in
                table.primaryKey("id", .text)
                table.column("record", .text).notNull()
                table.column("createdAt", .double).notNull()
                table.column("expiresAt", .double).notNull()
            }
        }
        return migrator
    }

    static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy {
        .timeIntervalSince1970
    }

    static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy {
        .timeIntervalSince1970
    }

    /// Foundation's plain coder, as the book always used: the record's dates inside the JSON stay as they were.
    static func databaseJSONEncoder(for column: String) -> JSONEncoder { JSONEncoder() }

    /// See ``databaseJSONEncoder(for:)``.
    static func databaseJSONDecoder(for column: String) -> JSONDecoder { JSONDecoder() }
}
