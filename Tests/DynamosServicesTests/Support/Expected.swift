import DynamosDatagen
import DynamosMessages

/// Answers computed straight from the generated data, without SQLite or the algorithm engine, to check the
/// chain's results against.
enum Expected {
    /// Sum and count of `Salschal` (99 excluded) per `Geslacht` over the join on `Unieknr`.
    static func salaryByGender(_ datasets: [UNLDataset]) -> [String: (sum: Double, count: Int)] {
        var totals: [String: (sum: Double, count: Int)] = [:]
        for dataset in datasets {
            let people = dataset.personen
            let ids = people.column(named: "Unieknr")!
            let genders = people.column(named: "Geslacht")!
            var genderOf: [CellValue: String] = [:]
            for row in 0..<people.rowCount {
                if case .text(let gender) = genders.value(at: row) { genderOf[ids.value(at: row)] = gender }
            }
            let jobs = dataset.aanstellingen
            let jobIDs = jobs.column(named: "Unieknr")!
            let scales = jobs.column(named: "Salschal")!
            for row in 0..<jobs.rowCount {
                guard let gender = genderOf[jobIDs.value(at: row)], let scale = scales.value(at: row).doubleValue,
                    scale != 99
                else { continue }
                totals[gender, default: (0, 0)].sum += scale
                totals[gender, default: (0, 0)].count += 1
            }
        }
        return totals
    }

    /// `average(Salschal)` per `Geslacht` as a dictionary, read from an algorithm result.
    static func averages(in table: DataTable) -> [String: Double] {
        guard let groups = table.column(named: "Geslacht"), let values = table.column(named: "average(Salschal)")
        else { return [:] }
        var result: [String: Double] = [:]
        for row in 0..<table.rowCount {
            if case .text(let gender) = groups.value(at: row), let value = values.value(at: row).doubleValue {
                result[gender] = value
            }
        }
        return result
    }
}
