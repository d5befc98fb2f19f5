import GRDBSQLite

/// The state behind the SQLite authorizer and progress handler of one query.
///
/// SQLite calls back through C function pointers with this object as context; it decides what the statement may
/// touch, counts VM steps against the budget, and remembers why it refused or interrupted, so the runner can
/// turn SQLite's bare `SQLITE_AUTH` or `SQLITE_INTERRUPT` into a precise error.
final class QueryGuard {
    /// How many VM instructions pass between progress-handler calls.
    static let progressStride: Int32 = 1_000

    private let allowedTables: Set<String>
    private let limits: QueryLimits
    private let deadline: ContinuousClock.Instant
    private var steps = 0
    /// Why the authorizer refused the statement, when it did.
    private(set) var refusal: QueryWorkerError?
    /// Why the progress handler interrupted the query, when it did.
    private(set) var interruption: QueryWorkerError?

    init(allowedTables: Set<String>, limits: QueryLimits) {
        self.allowedTables = Set(allowedTables.map { $0.lowercased() })
        self.limits = limits
        deadline = ContinuousClock.now.advanced(by: limits.timeout)
    }

    /// Installs the authorizer and progress handler on `connection`, runs `body`, and removes both again.
    ///
    /// The handlers stay installed while statements are prepared, stepped (SQLite may re-prepare after a
    /// schema change) and finalized, which must all happen inside `body`. This replaces GRDB's own authorizer on
    /// the connection for good; GRDB uses it only to observe changes, and the query connection never writes.
    func installed<T>(on connection: OpaquePointer, _ body: () throws -> T) rethrows -> T {
        let context = Unmanaged.passUnretained(self).toOpaque()
        sqlite3_set_authorizer(connection, { context, action, first, second, database, _ in
            guard let context else { return SQLITE_DENY }
            return Unmanaged<QueryGuard>.fromOpaque(context).takeUnretainedValue()
                .authorize(action, first.map(String.init(cString:)), second.map(String.init(cString:)),
                           database.map(String.init(cString:)))
        }, context)
        sqlite3_progress_handler(connection, Self.progressStride, { context in
            guard let context else { return 1 }
            return Unmanaged<QueryGuard>.fromOpaque(context).takeUnretainedValue().progress()
        }, context)
        defer {
            sqlite3_progress_handler(connection, 0, nil, nil)
            sqlite3_set_authorizer(connection, nil, nil)
        }
        return try withExtendedLifetime(self) { try body() }
    }

    /// The authorizer: reads of the dataset's tables, plain selects, recursive CTEs and the functions of
    /// `SQLFunctions.allowed`; everything else is denied.
    private func authorize(_ action: Int32, _ first: String?, _ second: String?, _ database: String?) -> Int32 {
        switch action {
        case SQLITE_SELECT, SQLITE_RECURSIVE:
            return SQLITE_OK
        case SQLITE_READ:
            let table = first ?? ""
            // SQLite passes no database name for a table read without columns, as in `COUNT(*)`.
            if database ?? "main" == "main" && allowedTables.contains(table.lowercased()) {
                return SQLITE_OK
            }
            // `COUNT(*)` over a common table expression reads it by its name, also without a database. The
            // database holds only the dataset tables and SQLite's own `sqlite_*` tables, so any other name is a
            // CTE of this statement.
            if database == nil && !table.lowercased().hasPrefix("sqlite_") {
                return SQLITE_OK
            }
            return deny(.tableNotAllowed, "table '\(table)' is not one of this party's dataset tables "
                + "(\(allowedTables.sorted().joined(separator: ", "))); query only those")
        case SQLITE_FUNCTION:
            let name = (second ?? "").lowercased()
            guard SQLFunctions.allowed.contains(name) else {
                return deny(
                    .functionRefused,
                    "the SQL function \(name)() is not allowed here; use the core scalar, date, aggregate, window and "
                        + "math functions (not randomblob, zeroblob, printf/format, json or load_extension)")
            }
            return SQLITE_OK
        case SQLITE_PRAGMA:
            return deny(.pragmaRefused, "PRAGMA \(first ?? "") is not allowed; send a SELECT query")
        case SQLITE_ATTACH, SQLITE_DETACH:
            return deny(.attachRefused, "ATTACH and DETACH are not allowed; query the party's own tables")
        default:
            return deny(.writeRefused, "the query would change the database or its schema "
                + "(SQLite authorizer action \(action)); queries are read-only, send a plain SELECT")
        }
    }

    private func deny(_ code: QueryWorkerError.Code, _ message: String) -> Int32 {
        if refusal == nil {
            refusal = QueryWorkerError(code, message)
        }
        return SQLITE_DENY
    }

    /// The progress handler: non-zero interrupts the query.
    private func progress() -> Int32 {
        steps += Int(Self.progressStride)
        if steps > limits.maxSteps {
            interruption = QueryWorkerError(.budgetExceeded, "the query ran past its budget of \(limits.maxSteps) "
                + "steps and was stopped; narrow it down with WHERE, LIMIT or fewer joins")
            return 1
        }
        if ContinuousClock.now >= deadline {
            interruption = QueryWorkerError(.budgetExceeded, "the query ran past its deadline of "
                + "\(limits.timeout) and was stopped; narrow it down with WHERE, LIMIT or fewer joins")
            return 1
        }
        return 0
    }
}
