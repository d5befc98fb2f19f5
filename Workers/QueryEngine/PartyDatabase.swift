import Foundation
import GRDB

/// The SQLite database holding one party's dataset tables, with the hash each table was loaded from.
///
/// Two connections to one file: a writable one for loading, and a read-only one (`SQLITE_OPEN_READONLY`)
/// for queries, so a query cannot write even if the authorizer let something through.
struct PartyDatabase {
    let writer: DatabaseQueue
    let reader: DatabaseQueue
    /// Table name to the SHA-256 of the file it was loaded from.
    var hashes: [String: String] = [:]
    /// Table name to the stamp of the file when it was last hashed; an unchanged stamp skips reading and hashing.
    var stamps: [String: FileStamp] = [:]

    /// Opens the database at `path`: a fresh one replacing whatever a previous run left there, or (`fresh` false)
    /// the one just restored from the cache.
    init(path: String, fresh: Bool = true) throws(QueryWorkerError) {
        if fresh {
            for suffix in ["", "-journal", "-wal", "-shm"] {
                try? FileManager.default.removeItem(atPath: path + suffix)
            }
        }
        do {
            writer = try DatabaseQueue(path: path)
            var configuration = Configuration()
            configuration.readonly = true
            reader = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw QueryWorkerError(.databaseFailed, "could not open the dataset database at \(path) (check that the "
                + "database directory exists and is writable)", cause: error)
        }
    }

    /// The names of the loaded tables.
    var tables: Set<String> { Set(hashes.keys) }
}
