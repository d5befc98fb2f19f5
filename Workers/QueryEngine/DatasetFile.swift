import Crypto
import Foundation

/// One dataset file as read from disk: its table name, bytes and content hash.
///
/// The hash (SHA-256 of the bytes) decides whether a table must be reloaded; modification times are not
/// trusted because copies and deploys reset them without changing the content, and vice versa.
struct DatasetFile {
    /// The table name: the file name without `.csv`.
    let table: String
    /// The file's bytes.
    let bytes: Data
    /// The lowercase hex SHA-256 of `bytes`.
    let hash: String

    /// Reads `url` and hashes its bytes.
    init(url: URL) throws(QueryWorkerError) {
        table = url.deletingPathExtension().lastPathComponent
        do {
            bytes = try Data(contentsOf: url)
        } catch {
            throw QueryWorkerError(.datasetMalformed, "could not read \(url.path) (check that the file exists and is "
                + "readable)", cause: error)
        }
        hash = SHA256.hash(data: bytes).map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }

    /// The `.csv` files directly in `directory`, sorted by name.
    static func urls(in directory: URL) throws(QueryWorkerError) -> [URL] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw QueryWorkerError(.datasetMissing, "no dataset directory at \(directory.path); "
                + "put the party's tables there as <table>.csv")
        }
        return names.filter { $0.lowercased().hasSuffix(".csv") && !$0.hasPrefix(".") }.sorted()
            .map { directory.appendingPathComponent($0) }
    }
}
