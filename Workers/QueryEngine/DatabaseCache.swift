import Crypto
import Foundation

/// Imported party databases kept between query worker starts, so a worker started for waiting work (scale from
/// zero, an ephemeral request) copies a ready database instead of parsing and importing the CSV files again.
///
/// An entry is named by the party and a hash of every table's file hash and the index configuration, so a changed
/// file or index list never reuses a stale import. Entries are written to a temporary name and renamed into place,
/// so workers starting together never see half a file; each worker still queries its own copy.
struct DatabaseCache: Sendable {
    let directory: URL

    /// The entry name for `party` with these tables (name to file hash), indexes and source transform.
    func key(party: String, hashes: [String: String], indexes: [String: [String]], source: String? = nil) -> String {
        var text = party + (source.map { "|source=\($0)" } ?? "")
        for table in hashes.keys.sorted() {
            text += "|\(table)=\(hashes[table]!)#\((indexes[table] ?? []).joined(separator: ","))"
        }
        let digest = SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
        return "\(party)-\(digest.prefix(24))"
    }

    /// Copies the entry `key` to `destination` (replacing it). - Returns: whether there was one.
    func restore(_ key: String, to destination: String) -> Bool {
        let source = directory.appendingPathComponent("\(key).sqlite").path
        guard FileManager.default.fileExists(atPath: source) else { return false }
        for suffix in ["", "-journal", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: destination + suffix) }
        return (try? FileManager.default.copyItem(atPath: source, toPath: destination)) != nil
    }

    /// Keeps a copy of the database at `source` as the entry `key`; failures only cost the next start its speed.
    func store(_ key: String, from source: String) {
        let manager = FileManager.default
        let target = directory.appendingPathComponent("\(key).sqlite").path
        guard !manager.fileExists(atPath: target) else { return }
        let temporary = directory.appendingPathComponent("\(key).\(UUID().uuidString).tmp").path
        do {
            try manager.createDirectory(at: directory, withIntermediateDirectories: true)
            try manager.copyItem(atPath: source, toPath: temporary)
            guard rename(temporary, target) == 0 else {
                try? manager.removeItem(atPath: temporary)
                return
            }
        } catch {
            try? manager.removeItem(atPath: temporary)
        }
    }
}
