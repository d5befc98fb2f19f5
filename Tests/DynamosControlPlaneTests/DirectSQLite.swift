import DynamosControl
import Foundation
import GRDB

/// The UNL scenario computed straight from the CSV files in SQLite, without Dynamos: each steward's Personen joined
/// with its Aanstellingen, the union over the stewards, average Salschal by Geslacht without the unknown scale 99,
/// and the rows per group (the algorithm's `count`).
enum DirectSQLite {
    static func averageSalaryByGender(dataDirectory: String, stewards: [String]) throws -> [String: (average: Double, count: Int)] {
        let database = try DatabaseQueue()
        try database.write { db in
            for steward in stewards {
                for table in ["Personen", "Aanstellingen"] {
                    try load("\(dataDirectory)/\(steward)/\(table).csv", into: "\(steward)_\(table)", db)
                }
            }
        }
        let union = stewards.map {
            "SELECT p.Geslacht AS g, s.Salschal AS v FROM \($0)_Personen p JOIN \($0)_Aanstellingen s ON p.Unieknr = s.Unieknr"
        }.joined(separator: " UNION ALL ")
        return try database.read { db in
            var result: [String: (Double, Int)] = [:]
            let rows = try Row.fetchAll(db, sql: "SELECT g, AVG(CASE WHEN v != 99 THEN v END) AS a, COUNT(*) AS n FROM (\(union)) GROUP BY g")
            for row in rows { result[row["g"]] = (row["a"], row["n"]) }
            return result
        }
    }

    private static func load(_ path: String, into table: String, _ db: Database) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map(String.init)
        let header = lines[0].split(separator: ";", omittingEmptySubsequences: false).map(String.init)
        try db.execute(sql: "CREATE TABLE \(table) (\(header.map { "\"\($0)\"" }.joined(separator: ", ")))")
        let insert = try db.makeStatement(
            sql: "INSERT INTO \(table) VALUES (\(Array(repeating: "?", count: header.count).joined(separator: ", ")))")
        for line in lines.dropFirst() {
            let values = line.split(separator: ";", omittingEmptySubsequences: false).map { field -> (any DatabaseValueConvertible)? in
                Int64(field) ?? String(field)
            }
            try insert.execute(arguments: StatementArguments(values))
        }
    }

    /// The averages in an agent's answer, by `Geslacht`.
    static func averages(in result: DataResponse.Result) -> [String: (average: Double, count: Int)] {
        guard let group = result.columns.firstIndex(of: "Geslacht"),
            let average = result.columns.firstIndex(of: "average(Salschal)"),
            let count = result.columns.firstIndex(of: "count")
        else { return [:] }
        var values: [String: (Double, Int)] = [:]
        for row in result.rows {
            values[row[group].description] = (row[average].number ?? .nan, Int(row[count].number ?? -1))
        }
        return values
    }
}
