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

    /// Prepares, runs and finalizes `sql`, which must be a single read-only statement.
    func run(_ sql: String) throws(QueryWorkerError) -> DataTable {
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
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE {
                return builder.build()
            }
            guard code == SQLITE_ROW else {
                if let interruption = queryGuard.interruption {
                    throw interruption
                }
                throw QueryWorkerError(.executionFailed, "SQLite failed while running the query: "
                    + "\(errorMessage()); check the query and try again")
            }
            guard builder.rowCount < limits.maxRows else {
                throw QueryWorkerError(.rowCapExceeded, "the result has more than \(limits.maxRows) rows; "
                    + "add a WHERE clause, aggregate, or a LIMIT")
            }
            builder.appendRow { row in
                for index in 0..<Int32(columnCount) {
                    Self.append(sqlite3_column_value(statement, index), to: &row)
                }
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

    private func compileError(_ code: Int32, _ queryGuard: QueryGuard) -> QueryWorkerError {
        if let refusal = queryGuard.refusal {
            return refusal
        }
        let message = errorMessage()
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
