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
        var row: [CellValue] = []
        row.reserveCapacity(columnCount)
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
            row.removeAll(keepingCapacity: true)
            for index in 0..<Int32(columnCount) {
                row.append(value(statement, index))
            }
            do {
                try builder.appendRow(row)
            } catch {
                preconditionFailure("row width out of step with the statement: \(error)")
            }
        }
    }

    private func value(_ statement: OpaquePointer, _ index: Int32) -> CellValue {
        switch sqlite3_column_type(statement, index) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(statement, index))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(statement, index))
        case SQLITE_TEXT:
            guard let text = sqlite3_column_text(statement, index) else { return .text("") }
            let count = Int(sqlite3_column_bytes(statement, index))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, index))
            guard let bytes = sqlite3_column_blob(statement, index), count > 0 else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default:
            return .null
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
