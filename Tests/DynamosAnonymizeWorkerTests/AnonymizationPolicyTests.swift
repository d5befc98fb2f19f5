import DynamosAnonymizeWorker
import DynamosStewardConfig
import Testing

@Suite struct AnonymizationPolicyTests {
    @Test func mergesTheRulesOfAllTables() throws {
        let dataset = Dataset(
            name: "wageGap", steward: "VU",
            tables: [
                .init(
                    name: "Personen", file: "P.csv",
                    anonymization: ["Gebdat": .generalizeToYear, "Peildat": .suppress]),
                .init(
                    name: "Aanstellingen", file: "A.csv",
                    anonymization: ["Ingdatdv": .generalizeToYear, "Peildat": .suppress]),
            ],
            sentinels: ["Salschal": [99, 98]])
        let policy = try AnonymizationPolicy(dataset: dataset)
        #expect(policy.rules == ["Gebdat": .generalize(.year), "Ingdatdv": .generalize(.year), "Peildat": .suppress])
        #expect(policy.sentinels == ["Salschal": [98, 99]])
        #expect(policy.rule(for: "Unieknr") == nil)
    }

    @Test func conflictingRulesAreAnError() {
        let dataset = Dataset(
            name: "wageGap", steward: "UVA",
            tables: [
                .init(name: "Personen", file: "P.csv", anonymization: ["Peildat": .generalizeToYear]),
                .init(name: "Aanstellingen", file: "A.csv", anonymization: ["Peildat": .mask(.hash)]),
            ])
        let error = #expect(throws: AnonymizeError.self) { try AnonymizationPolicy(dataset: dataset) }
        #expect(error?.code == .conflictingRules)
        #expect(
            error?.message == "dataset 'UVA/wageGap': column 'Peildat' has rule {\"generalize\": \"year\"} in table "
                + "'Personen' but {\"mask\": \"hash\"} in table 'Aanstellingen'; results are anonymized by column "
                + "name, so give the column one rule in datasets.json")
    }

    @Test(arguments: [
        Dataset.AnonymizationRule.perturb(noise: 0), .perturb(noise: -1), .perturb(noise: .nan),
        .generalize(.band(0)), .generalize(.yearRange(0)), .generalize(.yearRange(-5)),
    ])
    func badParametersAreAnError(rule: Dataset.AnonymizationRule) {
        let error = #expect(throws: AnonymizeError.self) { try AnonymizationPolicy(rules: ["X": rule]) }
        #expect(error?.code == .invalidParameter)
        #expect(error?.message.hasPrefix("column 'X': ") == true)
    }
}
