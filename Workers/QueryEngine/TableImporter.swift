import DynamosMessages
import Foundation
import GRDB

/// Writes a `DataTable` read from a CSV file into SQLite as a table with one typed column per table column.
///
/// Columns get the affinity of their inferred type (INTEGER, REAL, TEXT, BLOB; none for an all-null column),
/// so SQL comparisons and aggregates behave numerically where the data is numeric.
enum TableImporter {
    /// Replaces table `name` in `db` by `table`, in the caller's transaction.
    static func replace(_ name: String, with table: DataTable, in db: Database) throws {
        let quotedName = quote(name)
        try db.execute(sql: "DROP TABLE IF EXISTS \(quotedName)")
        let definitions = table.columns.map { column in
            let affinity = affinity(of: column.type)
            return affinity.isEmpty ? quote(column.name) : "\(quote(column.name)) \(affinity)"
        }
        try db.execute(sql: "CREATE TABLE \(quotedName) (\(definitions.joined(separator: ", ")))")
        guard table.columnCount > 0, table.rowCount > 0 else { return }
        let placeholders = Array(repeating: "?", count: table.columnCount).joined(separator: ", ")
        let statement = try db.makeStatement(sql: "INSERT INTO \(quotedName) VALUES (\(placeholders))")
        var values: [DatabaseValue] = []
        values.reserveCapacity(table.columnCount)
        for row in 0..<table.rowCount {
            values.removeAll(keepingCapacity: true)
            for column in table.columns {
                values.append(databaseValue(column.values[row]))
            }
            try statement.execute(arguments: StatementArguments(values))
        }
    }

    /// Indexes each of `columns` of table `name`.
    static func index(_ name: String, columns: [String], in db: Database) throws {
        for column in columns {
            let index = quote("index_\(name)_\(column)")
            try db.execute(sql: "CREATE INDEX IF NOT EXISTS \(index) ON \(quote(name)) (\(quote(column)))")
        }
    }

    /// Drops table `name` from `db` when it exists.
    static func drop(_ name: String, in db: Database) throws {
        try db.execute(sql: "DROP TABLE IF EXISTS \(quote(name))")
    }

    /// `name` as an SQL identifier.
    static func quote(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static func affinity(of type: ColumnType) -> String {
        switch type {
        case .integer: "INTEGER"
        case .real: "REAL"
        case .text: "TEXT"
        case .blob: "BLOB"
        case .null: ""
        }
    }

    private static func databaseValue(_ value: CellValue) -> DatabaseValue {
        switch value {
        case .integer(let integer): integer.databaseValue
        case .real(let real): real.databaseValue
        case .text(let text): text.databaseValue
        case .blob(let bytes): Data(bytes).databaseValue
        case .null: .null
        }
    }
}
