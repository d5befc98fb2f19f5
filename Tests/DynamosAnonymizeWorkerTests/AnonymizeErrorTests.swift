import DynamosAnonymizeWorker
import DynamosMessages
import DynamosStewardConfig
import Testing

@Suite struct AnonymizeErrorTests {
    typealias Rule = Dataset.AnonymizationRule

    func failure(_ rule: Rule, _ column: DataColumn) -> AnonymizeError? {
        #expect(throws: AnonymizeError.self) {
            let policy = try AnonymizationPolicy(rules: [column.name: rule])
            _ = try Anonymizer(policy: policy, maskKey: [1]).anonymize(DataTable(columns: [column]), seed: "s")
        }
    }

    @Test func textThatIsNoDate() {
        let error = failure(.generalizeToYear, .text("Gebdat", ["19850312", "abc"]))
        #expect(error?.code == .inapplicableValue)
        #expect(error?.message.contains("column 'Gebdat', row 1: text 'abc' is not a YYYYMMDD date") == true)
        #expect(error?.message.contains("datasets.json") == true)
    }

    @Test(arguments: [
        DataColumn.integer("Gebdat", [123]), .integer("Gebdat", [19_851_301]), .integer("Gebdat", [19_850_100]),
        .text("Gebdat", ["1985-03-12"]), .real("Gebdat", [nil, 19_850_312]), .blob("Gebdat", [[1]]),
    ])
    func datesThatAreNotYYYYMMDD(column: DataColumn) {
        for rule in [Rule.generalizeToYear, .generalize(.yearRange(10))] {
            let error = failure(rule, column)
            #expect(error?.code == .inapplicableValue)
            #expect(error?.message.contains("is not a YYYYMMDD date") == true)
        }
    }

    @Test func bandsNeedIntegers() {
        let error = failure(.generalize(.band(5)), .real("Taakomv", [0.8]))
        #expect(error?.code == .inapplicableValue)
        #expect(error?.message.contains("column 'Taakomv', row 0: real 0.8 is not an integer") == true)
        #expect(failure(.generalize(.band(5)), .text("Taakomv", ["1.5"]))?.code == .inapplicableValue)
    }

    @Test func perturbNeedsNumbers() {
        let error = failure(.perturb(noise: 1), .text("Geslacht", [nil, "M"]))
        #expect(error?.code == .inapplicableValue)
        #expect(error?.message.contains("row 1: text 'M' is not a number") == true)
    }

    @Test func resultsOutsideTheIntegerRange() {
        #expect(failure(.perturb(noise: 1e30), .integer("X", [1]))?.code == .valueOutOfRange)
        #expect(failure(.generalize(.band(10)), .integer("X", [Int64.min]))?.code == .inapplicableValue)
    }
}
