import Foundation
import GRDB

/// The knowledge base in SQLite (through GRDB): one row per entry, and a history row per version.
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
                .storage,
                "cannot open the config store at \(path ?? ":memory:"): \(error); check the path and its permissions")
        }
    }

    /// Loads the seed files in `directory` if the store has never been written; returns the current version.
    @discardableResult
    public func seedIfEmpty(directory: String) throws(RoutingError) -> Int {
        let current = try snapshot()
        guard current.version == 0 else { return current.version }
        let seed = try KnowledgeBase.load(directory: directory)
        return try update(summary: "seeded from \(directory)") { (knowledgeBase: inout KnowledgeBase) in
            knowledgeBase = seed
        }
    }

    public func snapshot() throws(RoutingError) -> VersionedKnowledgeBase {
        try access("read the config store") { try database.read { try Self.current(in: $0) } }
    }

    @discardableResult
    public func save(_ knowledgeBase: KnowledgeBase, summary: String) throws(RoutingError) -> Int {
        try update(summary: summary) { (current: inout KnowledgeBase) in current = knowledgeBase }
    }

    @discardableResult
    public func update(
        summary: String, _ change: (inout KnowledgeBase) throws(RoutingError) -> Void
    ) throws(RoutingError) -> Int {
        try access("write the config store") {
            try database.write { db in
                let current = try Self.current(in: db)
                var knowledgeBase = current.knowledgeBase
                try change(&knowledgeBase)
                try knowledgeBase.validate()
                guard knowledgeBase != current.knowledgeBase || current.version == 0 else { return current.version }
                let next = current.version + 1
                try db.execute(sql: "DELETE FROM config_entry")
                for row in try knowledgeBase.encodedEntries() {
                    try db.execute(
                        sql: "INSERT INTO config_entry (kind, name, position, body) VALUES (?, ?, ?, ?)",
                        arguments: [row.kind.rawValue, row.name, row.position, row.body])
                }
                try db.execute(
                    sql: "INSERT INTO config_version (version, changed_at, summary) VALUES (?, ?, ?)",
                    arguments: [next, ISO8601DateFormatter().string(from: Date()), summary])
                return next
            }
        }
    }

    /// Every version with its summary, oldest first.
    public func history() throws(RoutingError) -> [(version: Int, summary: String)] {
        try access("read the config history") {
            try database.read { db in
                try Row.fetchAll(db, sql: "SELECT version, summary FROM config_version ORDER BY version")
                    .map { (version: $0["version"], summary: $0["summary"]) }
            }
        }
    }

    /// Runs a database access; a `RoutingError` passes through, anything else becomes `.storage`.
    private func access<Value>(_ what: String, _ body: () throws -> Value) throws(RoutingError) -> Value {
        do {
            return try body()
        } catch let error as RoutingError {
            throw error
        } catch {
            throw RoutingError(
                .storage, "cannot \(what): \(error); check the database file, disk space and permissions")
        }
    }

    private static func current(in db: Database) throws -> VersionedKnowledgeBase {
        let rows = try Row.fetchAll(db, sql: "SELECT kind, name, body FROM config_entry ORDER BY kind, position")
        let version = try Int.fetchOne(db, sql: "SELECT MAX(version) FROM config_version") ?? 0
        var knowledgeBase = KnowledgeBase()
        for row in rows {
            let kindName: String = row["kind"]
            let name: String = row["name"]
            let body: String = row["body"]
            guard let kind = ConfigKind(rawValue: kindName) else {
                throw RoutingError(.storage, "config store holds unknown kind '\(kindName)'; remove that row")
            }
            try knowledgeBase.decodeEntry(kind, Data(body.utf8), file: "config store \(kind.fileName) '\(name)'")
        }
        return VersionedKnowledgeBase(version: version, knowledgeBase: knowledgeBase)
    }
}
