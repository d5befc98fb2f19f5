public import DynamosControl
public import Foundation
public import GRDB

/// The API keys the orchestrator accepts, in SQLite (GRDB): per key its user, role, steward and the hash of its
/// secret. `dynamos users add` writes here (the file is shared with the running orchestrator, in WAL mode);
/// the orchestrator reads.
public final class APIKeyStore: Sendable {
    /// One key as listed: everything but the secret, which is never stored.
    public struct Entry: Sendable, Codable, Equatable {
        public static let databaseTableName = "apiKey"

        /// The columns queries sort and filter on.
        public enum Columns {
            static let id = Column(CodingKeys.id)
            static let user = Column(CodingKeys.user)
            static let createdAt = Column(CodingKeys.createdAt)
        }

        public var id: String
        public var user: String
        public var role: Principal.Role
        public var steward: String?
        public var secretHash: Data
        public var createdAt: Date

        /// The principal this key stands for.
        var principal: Principal { Principal(name: user, role: role, steward: steward, credential: .apiKey) }
    }

    private let database: DatabasePool

    /// Opens (or creates) the store at `path`.
    /// - Throws: `ControlError` `.internalError` when the database cannot be opened.
    public init(path: String) throws(ControlError) {
        do {
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            var configuration = Configuration()
            configuration.busyMode = .timeout(5)
            database = try DatabasePool(path: path, configuration: configuration)
            chmod(path, 0o600)
            var migrator = DatabaseMigrator()
            migrator.registerMigration("v1") { db in
                try db.create(table: Entry.databaseTableName) { table in
                    table.primaryKey("id", .text)
                    table.column("user", .text).notNull().indexed()
                    table.column("role", .text).notNull()
                    table.column("steward", .text)
                    table.column("secretHash", .blob).notNull()
                    table.column("createdAt", .datetime).notNull()
                }
            }
            try migrator.migrate(database)
        } catch {
            throw ControlError(.internalError, "the API key store at \(path) cannot be opened", cause: error)
        }
    }

    /// Makes a key for `user` and stores its hash.
    /// - Returns: the key, which is shown once and never stored.
    /// - Throws: `ControlError` `.badRequest` for a steward admin without a steward, or another role with one.
    public func add(user: String, role: Principal.Role, steward: String? = nil) async throws(ControlError) -> APIKey {
        guard !user.isEmpty else { throw ControlError(.badRequest, "a user needs a name") }
        guard (role == .stewardAdmin) == (steward != nil) else {
            throw ControlError(.badRequest, "a steward admin needs --steward, and only a steward admin has one")
        }
        let key = APIKey()
        let entry = Entry(
            id: key.id, user: user, role: role, steward: steward, secretHash: key.secretHash, createdAt: Date())
        try await access { try await $0.write { db in try entry.insert(db) } }
        return key
    }

    /// Every key, oldest first.
    public func entries() async throws(ControlError) -> [Entry] {
        try await access { try await $0.read { db in try Entry.order(Entry.Columns.createdAt).fetchAll(db) } }
    }

    /// Removes every key of `user`, or the key whose id is `user`. - Returns: how many were removed.
    public func remove(_ userOrKeyID: String) async throws(ControlError) -> Int {
        try await access {
            try await $0.write { db in
                try Entry.filter(Entry.Columns.user == userOrKeyID || Entry.Columns.id == userOrKeyID).deleteAll(db)
            }
        }
    }

    /// Whether any key exists.
    public func isEmpty() async throws(ControlError) -> Bool {
        try await access { try await $0.read { db in try Entry.fetchCount(db) == 0 } }
    }

    /// The principal of `key`.
    /// - Throws: `ControlError` `.unauthorized` when no stored key matches.
    public func principal(for key: APIKey) async throws(ControlError) -> Principal {
        let entry = try await access { try await $0.read { db in try Entry.fetchOne(db, key: key.id) } }
        guard let entry, key.matches(entry.secretHash) else {
            throw ControlError(.unauthorized, "the API key is not valid; ask an operator for one (`dynamos users add`)")
        }
        return entry.principal
    }

    private func access<T: Sendable>(_ body: (DatabasePool) async throws -> T) async throws(ControlError) -> T {
        do {
            return try await body(database)
        } catch let error as ControlError {
            throw error
        } catch {
            throw ControlError(.internalError, "the API key store failed", cause: error)
        }
    }
}

extension Principal.Role: DatabaseValueConvertible {}

extension APIKeyStore.Entry: FetchableRecord, PersistableRecord {}
