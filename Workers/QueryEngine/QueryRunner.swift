import DynamosMessages
import GRDBSQLite

/// Runs one SQL text on a raw SQLite connection under a `QueryGuard` and collects the rows as a `DataTable`.
///
/// It goes below GRDB on purpose: GRDB keeps its own authorizer on every connection, and the engine needs
/// one that denies, plus a progress handler, both scoped to exactly this statement's preparation and run.
struct QueryRunner {
    let connection: OpaquePointer
    let allowedTables: Set<String>
    let limits: QueryLimits

    /// Prepares, runs and finalizes `sql`, which must be a single read-only statement, within `limits`.
    func run(_ sql: String) throws(QueryWorkerError) -> DataTable {
        guard sql.utf8.count <= limits.maxSQLBytes else {
            throw Self.budget("SQL length", "the query is \(sql.utf8.count) bytes, over its budget of "
                + "\(limits.maxSQLBytes); send a shorter statement")
        }
        applyLimits()
        let queryGuard = QueryGuard(allowedTables: allowedTables, limits: limits)
        let result: Result<DataTable, QueryWorkerError> = queryGuard.installed(on: connection) {
            Result { () throws(QueryWorkerError) in try prepareAndRun(sql, queryGuard) }
        }
        return try result.get()
    }

    private func prepareAndRun(_ sql: String, _ queryGuard: QueryGuard) throws(QueryWorkerError) -> DataTable {
        let utf8 = Array(sql.utf8CString)
        return try utf8.withUnsafeBufferPointer { buffer throws(QueryWorkerError) in
            guard let base = buffer.baseAddress else {
                throw QueryWorkerError(.invalidQuery, "the query is empty; send one SELECT statement")
            }
            var statement: OpaquePointer?
            var tail: UnsafePointer<CChar>?
            let code = sqlite3_prepare_v2(connection, base, Int32(buffer.count), &statement, &tail)
            guard code == SQLITE_OK else {
                throw compileError(code, queryGuard)
            }
            guard let statement else {
                throw QueryWorkerError(.invalidQuery, "the query is empty; send one SELECT statement")
            }
            defer { sqlite3_finalize(statement) }
            if let tail, try hasStatement(at: tail) {
                throw QueryWorkerError(
                    .multipleStatements, "the text holds more than one statement; send exactly one SELECT"
                )
            }
            guard sqlite3_stmt_readonly(statement) != 0 else {
                throw QueryWorkerError(.writeRefused, "the statement would change the database; send a SELECT")
            }
            return try collect(statement, queryGuard)
        }
    }

    /// SQLite's own limits on this connection (it serves queries only), set before every query.
    private func applyLimits() {
        let limits: [(Int32, Int)] = [
            (SQLITE_LIMIT_LENGTH, self.limits.maxValueBytes), (SQLITE_LIMIT_SQL_LENGTH, self.limits.maxSQLBytes),
            (SQLITE_LIMIT_COLUMN, self.limits.maxColumns), (SQLITE_LIMIT_EXPR_DEPTH, self.limits.maxExpressionDepth),
            (SQLITE_LIMIT_COMPOUND_SELECT, self.limits.maxCompoundSelects), (SQLITE_LIMIT_FUNCTION_ARG, 32),
            (SQLITE_LIMIT_ATTACHED, 0), (SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 1_000), (SQLITE_LIMIT_VARIABLE_NUMBER, 0),
            (SQLITE_LIMIT_TRIGGER_DEPTH, 0),
        ]
        for (limit, value) in limits {
            sqlite3_limit(connection, limit, Int32(clamping: value))
        }
    }

    /// A `budgetExceeded` error naming `budget`.
    static func budget(_ budget: String, _ message: String) -> QueryWorkerError {
        QueryWorkerError(.budgetExceeded, "\(budget) budget: \(message)")
    }

    /// Whether the rest of the text after the first statement holds another statement (comments and `;` do not).
    private func hasStatement(at tail: UnsafePointer<CChar>) throws(QueryWorkerError) -> Bool {
        var next: OpaquePointer?
        let code = sqlite3_prepare_v2(connection, tail, -1, &next, nil)
        if let next {
            sqlite3_finalize(next)
            return true
        }
        return code != SQLITE_OK
    }

    private func collect(_ statement: OpaquePointer, _ queryGuard: QueryGuard) throws(QueryWorkerError) -> DataTable {
        let columnCount = Int(sqlite3_column_count(statement))
        let names = (0..<columnCount).map { index in
            sqlite3_column_name(statement, Int32(index)).map { String(cString: $0) } ?? "column\(index + 1)"
        }
        var builder = DataTableBuilder(columnNames: names)
        var bytes = 0
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE {
                return builder.build()
            }
            guard code == SQLITE_ROW else {
                if let interruption = queryGuard.interruption {
                    throw interruption
                }
                throw runtimeError(code)
            }
            guard builder.rowCount < limits.maxRows else {
                throw QueryWorkerError(.rowCapExceeded, "the result has more than \(limits.maxRows) rows; "
                    + "add a WHERE clause, aggregate, or a LIMIT")
            }
            builder.appendRow { row in
                for index in 0..<Int32(columnCount) {
                    let value = sqlite3_column_value(statement, index)
                    bytes += Self.size(of: value)
                    Self.append(value, to: &row)
                }
            }
            guard bytes <= limits.maxResultBytes else {
                throw Self.budget("result size", "the result grew past \(limits.maxResultBytes) bytes at row "
                    + "\(builder.rowCount); select fewer columns or rows, or aggregate")
            }
        }
    }

    /// Appends one result cell, read with the `sqlite3_value_*` calls on the column's value: one API call per
    /// cell fewer than `sqlite3_column_*`. The value is unprotected, which is safe here because the
    /// connection is used by one thread at a time (GRDB's serialized queue).
    private static func append(_ value: OpaquePointer?, to row: inout DataTableBuilder.RowWriter) {
        switch sqlite3_value_type(value) {
        case SQLITE_INTEGER:
            row.append(integer: sqlite3_value_int64(value))
        case SQLITE_FLOAT:
            row.append(real: sqlite3_value_double(value))
        case SQLITE_TEXT:
            guard let text = sqlite3_value_text(value) else { return row.append(text: "") }
            let count = Int(sqlite3_value_bytes(value))
            row.append(text: String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_value_bytes(value))
            guard let bytes = sqlite3_value_blob(value), count > 0 else { return row.append(blob: []) }
            row.append(blob: Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default:
            row.appendNull()
        }
    }

    /// The bytes a cell adds to the result: 8 for a number, the length of a string or blob.
    private static func size(of value: OpaquePointer?) -> Int {
        switch sqlite3_value_type(value) {
        case SQLITE_TEXT, SQLITE_BLOB: Int(sqlite3_value_bytes(value)) + 1
        default: 8
        }
    }

    /// The error a failed step stands for: a budget SQLite enforced, or a failure.
    private func runtimeError(_ code: Int32) -> QueryWorkerError {
        switch code & 0xff {
        case SQLITE_TOOBIG:
            Self.budget("value length", "the query made a string or blob longer than \(limits.maxValueBytes) bytes; "
                + "build smaller values")
        case SQLITE_NOMEM:
            Self.budget("memory", "the query needed more than \(limits.maxMemoryBytes) bytes of memory; "
                + "narrow it down with WHERE, LIMIT or fewer joins")
        default:
            QueryWorkerError(.executionFailed, "SQLite failed while running the query: \(errorMessage()); check the "
                + "query and try again")
        }
    }

    private func compileError(_ code: Int32, _ queryGuard: QueryGuard) -> QueryWorkerError {
        if let refusal = queryGuard.refusal {
            return refusal
        }
        let message = errorMessage()
        for (fragment, budget) in [
            ("too many columns", "column"), ("Expression tree is too large", "expression depth"),
            ("parser stack overflow", "expression depth"),
            ("too many terms in compound SELECT", "compound select"), ("too many arguments", "function arguments"),
            ("string or blob too big", "SQL length"), ("LIKE or GLOB pattern too complex", "pattern length"),
        ] where message.contains(fragment) {
            return Self.budget(budget, "SQLite refused the query: \(message); simplify it")
        }
        if code & 0xff == SQLITE_NOMEM {
            return Self.budget("memory", "the query needed more than \(limits.maxMemoryBytes) bytes to compile")
        }
        if message.hasPrefix("no such table") {
            return QueryWorkerError(.tableNotAllowed, "SQLite says '\(message)'; query only this party's "
                + "dataset tables (\(allowedTables.sorted().joined(separator: ", ")))")
        }
        return QueryWorkerError(.invalidQuery, "SQLite could not compile the query: \(message); fix the SQL")
    }

    private func errorMessage() -> String {
        sqlite3_errmsg(connection).map { String(cString: $0) } ?? "unknown error"
    }
}
