public import DynamosMessages
public import Foundation
import GRDB
import GRDBSQLite

/// The data engine of the `query` worker: each party's CSV datasets in SQLite, and guarded SQL over them.
///
/// Datasets are read from `datasetDirectory/<party>/<table>.csv` and loaded into one SQLite database per party
/// under `databaseDirectory`. A table is reloaded only when its file's SHA-256 changes; tables whose file is
/// gone are dropped. Queries run on a read-only connection with an authorizer that allows reading the party's
/// tables only, one statement per query, and the budget of `QueryLimits`. Results are `DataTable`s with the
/// result's columns in order (duplicate names kept) and types inferred per column from the values.
public actor QueryEngine {
    /// Where the datasets live: one subdirectory per party holding `<table>.csv` files.
    public let datasetDirectory: URL
    /// Where the per-party SQLite files are kept; the caller owns and removes it.
    public let databaseDirectory: URL
    /// The field separator of the CSV files, from the dataset configuration.
    public let separator: Unicode.Scalar
    /// Table name to the columns indexed after each load.
    public let indexes: [String: [String]]
    /// Imported databases kept between worker starts, when a cache directory was given.
    private let cache: DatabaseCache?
    /// Applied to every table before it is stored, when the steward anonymizes at the source.
    public let source: SourceTransform?
    /// How many table loads have happened so far (the first load of a table counts, unchanged files do not).
    public private(set) var loadCount = 0
    private var parties: [String: PartyDatabase] = [:]

    /// An engine over the given directories; nothing is loaded until the first `refresh` or `query`.
    /// - Parameters:
    ///   - separator: an ASCII field separator other than `"`; UNL files use `;`.
    ///   - indexes: table name to the columns to index once the table is loaded (columns it lacks are skipped).
    ///   - cacheDirectory: where imported databases are kept between worker starts (shared by a party's query
    ///     workers); a worker whose files match an entry copies it instead of importing.
    ///   - source: what the steward does to each table before queries see it (its enforced anonymization).
    public init(
        datasetDirectory: URL, databaseDirectory: URL, separator: Unicode.Scalar = ";", indexes: [String: [String]] = [:],
        cacheDirectory: URL? = nil, source: SourceTransform? = nil
    ) {
        cache = cacheDirectory.map(DatabaseCache.init(directory:))
        self.source = source
        precondition(separator.isASCII && separator != "\"", "the separator must be ASCII and not a quote")
        self.datasetDirectory = datasetDirectory
        self.databaseDirectory = databaseDirectory
        self.separator = separator
        self.indexes = indexes
    }

    /// Loads the party's tables whose files are new or changed, and drops those whose files are gone.
    /// - Returns: the names of the tables (re)loaded, sorted; empty when nothing changed.
    /// - Throws: `QueryWorkerError` `.invalidParty`, `.datasetMissing`, `.datasetMalformed` or `.databaseFailed`.
    @discardableResult
    public func refresh(party: String) throws(QueryWorkerError) -> [String] {
        try Self.validate(party: party)
        let directory = datasetDirectory.appendingPathComponent(party, isDirectory: true)
        let urls = try DatasetFile.urls(in: directory)
        guard !urls.isEmpty else {
            throw QueryWorkerError(.datasetMissing, "\(directory.path) holds no .csv files; "
                + "put the party's tables there as <table>.csv")
        }
        var database: PartyDatabase
        var cacheKey: String?
        let path = databaseDirectory.appendingPathComponent("\(party).sqlite").path
        if let existing = parties[party] {
            database = existing
        } else if let cache {
            var hashes: [String: String] = [:]
            var stamps: [String: FileStamp] = [:]
            for url in urls {
                let file = try DatasetFile(url: url)
                hashes[file.table] = file.hash
                stamps[file.table] = FileStamp(path: url.path)
            }
            let key = cache.key(party: party, hashes: hashes, indexes: indexes, source: source?.identity)
            if cache.restore(key, to: path) {
                var restored = try PartyDatabase(path: path, fresh: false)
                restored.hashes = hashes
                restored.stamps = stamps
                parties[party] = restored
                return []
            }
            cacheKey = key
            database = try PartyDatabase(path: path)
        } else {
            database = try PartyDatabase(path: path)
        }
        defer { parties[party] = database }
        var loaded: [String] = []
        var present: Set<String> = []
        for url in urls {
            let name = url.deletingPathExtension().lastPathComponent
            present.insert(name)
            let stamp = FileStamp(path: url.path)
            if let stamp, database.stamps[name] == stamp, database.hashes[name] != nil { continue }
            let file = try DatasetFile(url: url)
            database.stamps[name] = stamp
            guard database.hashes[file.table] != file.hash else { continue }
            let table = try transformed(file.table, try parse(file, url: url))
            let indexed = indexes[file.table] ?? []
            try write(to: database) { db in
                try TableImporter.replace(file.table, with: table, in: db)
                try TableImporter.index(file.table, columns: indexed.filter { table.columnIndex(named: $0) != nil }, in: db)
            }
            database.hashes[file.table] = file.hash
            loadCount += 1
            loaded.append(file.table)
        }
        for gone in database.tables.subtracting(present) {
            try write(to: database) { db in try TableImporter.drop(gone, in: db) }
            database.hashes[gone] = nil
            database.stamps[gone] = nil
        }
        if let cacheKey { cache?.store(cacheKey, from: path) }
        return loaded.sorted()
    }

    /// Runs one read-only SQL statement over the party's tables, refreshing them first.
    /// - Returns: the result with its columns in query order, duplicate names kept.
    /// - Throws: `QueryWorkerError`: the `refresh` errors, `.invalidQuery`, `.multipleStatements`,
    ///   `.tableNotAllowed`, `.writeRefused`, `.pragmaRefused`, `.attachRefused`, `.functionRefused`,
    ///   `.budgetExceeded`, `.rowCapExceeded` or `.executionFailed`.
    public func query(
        _ sql: String, party: String, limits: QueryLimits = QueryLimits()
    ) throws(QueryWorkerError) -> DataTable {
        Self.limitHeap(to: limits.maxMemoryBytes)
        try refresh(party: party)
        guard let database = parties[party] else {
            throw QueryWorkerError(.datasetMissing, "party '\(party)' has no loaded dataset; check its files")
        }
        let tables = database.tables
        do {
            return try database.reader.read { db in
                guard let connection = db.sqliteConnection else {
                    throw QueryWorkerError(.databaseFailed, "the query connection is closed; restart the worker")
                }
                let runner = QueryRunner(connection: connection, allowedTables: tables, limits: limits)
                return try runner.run(sql)
            }
        } catch let error as QueryWorkerError {
            throw error
        } catch {
            throw QueryWorkerError(.databaseFailed, "SQLite failed around the query (try again)", cause: error)
        }
    }

    private func parse(_ file: DatasetFile, url: URL) throws(QueryWorkerError) -> DataTable {
        do {
            return try DataTable(csvText: String(decoding: file.bytes, as: UTF8.self), separator: separator)
        } catch {
            throw QueryWorkerError(.datasetMalformed, "\(url.path) is not valid CSV: \(error.explanation)")
        }
    }

    /// `table` as the steward lets queries see it.
    private func transformed(_ name: String, _ table: DataTable) throws(QueryWorkerError) -> DataTable {
        guard let source else { return table }
        do {
            return try source.apply(name, table)
        } catch {
            throw QueryWorkerError(
                .datasetMalformed, "table \(name) cannot be anonymized at the source (fix the data or the rule)",
                cause: error)
        }
    }

    private func write(
        to database: PartyDatabase, _ body: (Database) throws -> Void
    ) throws(QueryWorkerError) {
        do {
            try database.writer.write(body)
        } catch {
            throw QueryWorkerError(.databaseFailed, "could not load into the dataset database (check the table and "
                + "column names and the disk)", cause: error)
        }
    }

    /// Caps SQLite's heap in this process (the query worker's own): every allocation past it fails with
    /// `SQLITE_NOMEM`, which the runner reports as the memory budget.
    static func limitHeap(to bytes: Int) {
        _ = sqlite3_hard_heap_limit64(Int64(bytes))
    }

    private static func validate(party: String) throws(QueryWorkerError) {
        let valid = !party.isEmpty && party.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                || scalar == "-" || scalar == "_")
        }
        guard valid else {
            throw QueryWorkerError(.invalidParty, "party '\(party)' is not a plain name; "
                + "use letters, digits, '-' and '_' only")
        }
    }
}
