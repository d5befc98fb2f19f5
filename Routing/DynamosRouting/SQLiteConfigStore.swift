public import DynamosKnowledge
import Foundation
import GRDB

/// The knowledge base in SQLite (through GRDB records and its async API, off the cooperative pool): one row per
/// entry, and a history row per version.
///
/// On first start (version 0) `seedIfEmpty` loads `Deploy/config/*.json`; afterwards the database is the truth.
/// Every saved change is validated first and bumps the version by one; saving an identical knowledge base does not.
/// Read, check and write happen in one transaction, so concurrent writers cannot lose each other's changes.
public final class SQLiteConfigStore: ConfigStore {
    private let database: DatabaseQueue

    /// Opens (or creates) the store at `path`; nil opens a private in-memory store (tests, one-off CLI runs).
    /// - Throws: `RoutingError` `.storage` when the file cannot be opened or migrated.
    public init(path: String?) throws(RoutingError) {
        do {
            database = try path.map { try DatabaseQueue(path: $0) } ?? DatabaseQueue()
            try database.write { db in
                try db.execute(
                    sql: """
                        CREATE TABLE IF NOT EXISTS config_entry (
                            kind TEXT NOT NULL, name TEXT NOT NULL, position INTEGER NOT NULL, body TEXT NOT NULL,
                            PRIMARY KEY (kind, name));
                        CREATE TABLE IF NOT EXISTS config_version (
                            version INTEGER PRIMARY KEY, changed_at TEXT NOT NULL, summary TEXT NOT NULL);
                        """)
            }
        } catch {
            throw RoutingError(
                .storage, "cannot open the config store at \(path ?? ":memory:") (check the path and its permissions)",
                cause: error)
        }
    }

    /// Loads the seed files in `directory` if the store has never been written; returns the current version.
    @discardableResult
    public func seedIfEmpty(directory: String) async throws(RoutingError) -> Int {
        let current = try await snapshot()
        guard current.version == 0 else { return current.version }
        let seed = try KnowledgeBase.load(directory: directory)
        return try await update(summary: "seeded from \(directory)") { (knowledgeBase: inout KnowledgeBase) in
            knowledgeBase = seed
        }
    }

    public func snapshot() async throws(RoutingError) -> VersionedKnowledgeBase {
        try await access("read the config store") { try await self.database.read { try Self.current(in: $0) } }
    }

    @discardableResult
    public func save(_ knowledgeBase: KnowledgeBase, summary: String) async throws(RoutingError) -> Int {
        try await update(summary: summary) { (current: inout KnowledgeBase) in current = knowledgeBase }
    }

    @discardableResult
    public func update(
        summary: String, _ change: @escaping @Sendable (inout KnowledgeBase) throws(RoutingError) -> Void
    ) async throws(RoutingError) -> Int {
        try await access("write the config store") {
            try await self.database.write { db in
                let current = try Self.current(in: db)
                var knowledgeBase = current.knowledgeBase
                try change(&knowledgeBase)
                try knowledgeBase.validate()
                guard knowledgeBase != current.knowledgeBase || current.version == 0 else { return current.version }
                let next = current.version + 1
                try ConfigEntryRecord.deleteAll(db)
                for row in try knowledgeBase.encodedEntries() {
                    try ConfigEntryRecord(kind: row.kind.rawValue, name: row.name, position: row.position, body: row.body)
                        .insert(db)
                }
                try ConfigVersionRecord(
                    version: next, changedAt: ISO8601DateFormatter().string(from: Date()), summary: summary
                ).insert(db)
                return next
            }
        }
    }

    /// Every version with its summary, oldest first.
    public func history() async throws(RoutingError) -> [(version: Int, summary: String)] {
        try await access("read the config history") {
            try await self.database.read { db in
                try ConfigVersionRecord.order(ConfigVersionRecord.Columns.version).fetchAll(db)
                    .map { (version: $0.version, summary: $0.summary) }
            }
        }
    }

    /// Runs a database access; a `RoutingError` passes through, anything else becomes `.storage` with it as cause.
    private func access<Value>(_ what: String, _ body: () async throws -> Value) async throws(RoutingError) -> Value {
        do {
            return try await body()
        } catch let error as RoutingError {
            throw error
        } catch {
            throw RoutingError(.storage, "cannot \(what) (check the database file, disk space and permissions)", cause: error)
        }
    }

    private static func current(in db: Database) throws -> VersionedKnowledgeBase {
        let entries = try ConfigEntryRecord
            .order(ConfigEntryRecord.Columns.kind, ConfigEntryRecord.Columns.position).fetchAll(db)
        let version = try ConfigVersionRecord.select(max(ConfigVersionRecord.Columns.version), as: Int.self)
            .fetchOne(db) ?? 0
        var knowledgeBase = KnowledgeBase()
        for entry in entries {
            guard let kind = ConfigKind(rawValue: entry.kind) else {
                throw RoutingError(.storage, "config store holds unknown kind '\(entry.kind)'; remove that row")
            }
            try knowledgeBase.decodeEntry(
                kind, Data(entry.body.utf8), file: "config store \(kind.fileName) '\(entry.name)'")
        }
        return VersionedKnowledgeBase(version: version, knowledgeBase: knowledgeBase)
    }
}

/// One entry of the knowledge base as stored: its kind (a ``ConfigKind`` raw value, checked when read, so an unknown
/// one is a clear error rather than a decoding failure), name, position in its file and JSON body.
struct ConfigEntryRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "config_entry"

    var kind: String
    var name: String
    var position: Int
    var body: String

    enum Columns {
        static let kind = Column(CodingKeys.kind)
        static let position = Column(CodingKeys.position)
    }
}

/// One version of the knowledge base: when it was saved and why.
struct ConfigVersionRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "config_version"

    var version: Int
    var changedAt: String
    var summary: String

    enum CodingKeys: String, CodingKey {
        case version
        case changedAt = "changed_at"
        case summary
    }

    enum Columns {
        static let version = Column(CodingKeys.version)
    }
}
