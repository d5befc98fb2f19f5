import DynamosKnowledge
import DynamosStewardConfig
import Testing

@Suite struct ValidationTests {
    typealias Rule = Dataset.AnonymizationRule

    private func base(_ tables: [Dataset.Table]) -> KnowledgeBase {
        KnowledgeBase(
            datasets: [Dataset(name: "wageGap", steward: "VU", tables: tables)],
            stewards: [StewardSettings(name: "VU")])
    }

    @Test func usableRulesPass() throws {
        let table = Dataset.Table(
            name: "Personen", file: "VU/Personen.csv",
            anonymization: ["Gebdat": .generalize(.yearRange(10)), "Salschal": .perturb(noise: 1)])
        try base([table]).validate()
    }

    @Test(arguments: [
        (Rule.perturb(noise: 0), "perturb noise is 0.0; use a positive, finite noise"),
        (Rule.perturb(noise: -2.5), "perturb noise is -2.5"),
        (Rule.generalize(.band(0)), "generalize band is 0; use a positive band width"),
        (Rule.generalize(.yearRange(-10)), "generalize yearRange is -10; use a positive number of years"),
    ])
    func badParametersAreNamed(rule: Rule, expected: String) {
        let table = Dataset.Table(name: "Personen", file: "VU/Personen.csv", anonymization: ["X": rule])
        let error = #expect(throws: RoutingError.self) { try base([table]).validate(origin: "Deploy/config/") }
        #expect(error?.code == .invalidConfig)
        #expect(error?.message.contains("Deploy/config/datasets.json, entry 'VU/wageGap'") == true)
        #expect(error?.message.contains("table 'Personen', column 'X'") == true)
        #expect(error?.message.contains(expected) == true)
    }

    @Test func conflictingRulesInOneDatasetAreRefused() {
        let tables = [
            Dataset.Table(name: "Personen", file: "P.csv", anonymization: ["Peildat": .generalizeToYear]),
            Dataset.Table(name: "Aanstellingen", file: "A.csv", anonymization: ["Peildat": .suppress]),
        ]
        let error = #expect(throws: RoutingError.self) { try base(tables).validate() }
        #expect(error?.message.contains("column 'Peildat' has rule") == true)
        #expect(error?.message.contains("table 'Aanstellingen'") == true)
    }
}
