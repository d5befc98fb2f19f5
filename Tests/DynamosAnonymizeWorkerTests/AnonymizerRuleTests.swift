import DynamosAnonymizeWorker
import DynamosMessages
import DynamosStewardConfig
import Testing

@Suite struct AnonymizerRuleTests {
    static let key = Array("steward-key".utf8)

    /// `table` anonymized under `rules`, with sentinel 99 for `Salschal`.
    func anonymize(
        _ rules: [String: Dataset.AnonymizationRule], _ columns: [DataColumn], seed: String = "request-1",
        key: [UInt8] = key
    ) throws -> DataTable {
        let policy = try AnonymizationPolicy(rules: rules, sentinels: ["Salschal": [99]])
        return try Anonymizer(policy: policy, maskKey: key).anonymize(DataTable(columns: columns), seed: seed)
    }

    @Test func generalizeToYearKeepsTheColumnType() throws {
        let table = try anonymize(
            ["Gebdat": .generalizeToYear, "Ingdatdv": .generalize(.year)],
            [.integer("Gebdat", [19_850_312, nil, 20_011_231]), .text("Ingdatdv", ["19991001", nil, "20200229"])])
        #expect(table.columns[0] == .integer("Gebdat", [1985, nil, 2001]))
        #expect(table.columns[1] == .text("Ingdatdv", ["1999", nil, "2020"]))
    }

    @Test func generalizeToYearRanges() throws {
        let table = try anonymize(
            ["Gebdat": .generalize(.yearRange(10)), "Peildat": .generalize(.yearRange(5))],
            [
                .integer("Gebdat", [19_750_601, 19_800_101, nil, 19_791_231]),
                .text("Peildat", ["19871231", "19850101", nil, "19900615"]),
            ])
        #expect(table.columns[0] == .text("Gebdat", ["1970-1979", "1980-1989", nil, "1970-1979"]))
        #expect(table.columns[1] == .text("Peildat", ["1985-1989", "1985-1989", nil, "1990-1994"]))
    }

    @Test func generalizeToBands() throws {
        let table = try anonymize(
            ["Taakomv": .generalize(.band(5)), "Salschal": .generalize(.band(5)), "Code": .generalize(.band(10))],
            [
                .integer("Taakomv", [12, 10, 14, 15, 0, -3, -5, nil]),
                .integer("Salschal", [11, 99, nil, 98, 1, 2, 3, 4]),
                .text("Code", ["42", nil, "-1", "100", "9", "0", "19", "20"]),
            ])
        let bands: [String?] = ["10-14", "10-14", "10-14", "15-19", "0-4", "-5--1", "-5--1", nil]
        #expect(table.columns[0] == .text("Taakomv", bands))
        #expect(table.columns[1] == .text("Salschal", ["10-14", "99", nil, "95-99", "0-4", "0-4", "0-4", "0-4"]))
        #expect(table.columns[2] == .text("Code", ["40-49", nil, "-10--1", "100-109", "0-9", "0-9", "10-19", "20-29"]))
    }

    @Test func suppressMakesANullColumn() throws {
        let table = try anonymize(["Geslacht": .suppress], [.text("Geslacht", ["M", nil, "V"])])
        #expect(table.columns[0] == .null("Geslacht", count: 3))
    }

    @Test func redactKeepsNulls() throws {
        let table = try anonymize(
            ["Unieknr": .mask(.redact), "Salschal": .mask(.redact)],
            [.integer("Unieknr", [1, nil, 3]), .real("Salschal", [nil, 99, 2.5])])
        #expect(table.columns[0] == .text("Unieknr", ["***", nil, "***"]))
        #expect(table.columns[1] == .text("Salschal", [nil, "***", "***"]))
    }

    @Test func hashIsTheTruncatedHMAC() throws {
        let table = try anonymize(
            ["Unieknr": .mask(.hash), "Naam": .pseudonymize, "Score": .mask(.hash)],
            [.integer("Unieknr", [42, nil, 42]), .text("Naam", ["abc", "42", nil]), .real("Score", [1.5, nil, nil])])
        #expect(table.columns[0] == .text("Unieknr", ["04136a417305809e", nil, "04136a417305809e"]))
        #expect(table.columns[1] == .text("Naam", ["e6f9388a89a39cb2", "04136a417305809e", nil]))
        #expect(table.columns[2] == .text("Score", ["fcbd3dd10958f1bf", nil, nil]))
    }

    @Test func hashDependsOnTheKey() throws {
        let table = try anonymize(["Unieknr": .mask(.hash)], [.integer("Unieknr", [42])], key: Array("other-key".utf8))
        #expect(table.columns[0] == .text("Unieknr", ["7c9326539e7eceda"]))
    }

    @Test func hashNeedsAKey() {
        let error = #expect(throws: AnonymizeError.self) {
            try anonymize(["Unieknr": .mask(.hash)], [.integer("Unieknr", [42])], key: [])
        }
        #expect(error?.code == .missingMaskKey)
    }

    @Test func rulesApplyToEveryColumnOfTheName() throws {
        let table = try anonymize(
            ["Peildat": .generalizeToYear],
            [.integer("Peildat", [20_220_101]), .text("Unieknr", ["a"]), .text("Peildat", ["20211231"])])
        #expect(table.columns == [.integer("Peildat", [2022]), .text("Unieknr", ["a"]), .text("Peildat", ["2021"])])
    }

    @Test func columnsWithoutRulesPassUnchanged() throws {
        let columns: [DataColumn] = [
            .real("Taakomv", [.nan, -0.0, nil, .infinity]), .blob("Foto", [[1, 2], nil, [], [3]]),
            .null("Leeg", count: 4), .text("Geslacht", ["M", "V", nil, "M"]), .integer("Gebdat", [nil, nil, nil, nil]),
        ]
        let table = try anonymize(["Gebdat": .generalizeToYear, "Other": .suppress], columns)
        #expect(table.columns == columns)
        #expect(table.rowCount == 4)
    }

    @Test func nullColumnsStayNullUnderEveryRule() throws {
        for rule: Dataset.AnonymizationRule in [
            .suppress, .generalizeToYear, .generalize(.yearRange(10)), .generalize(.band(5)), .mask(.hash),
            .mask(.redact), .perturb(noise: 1),
        ] {
            let table = try anonymize(["X": rule], [.null("X", count: 2)])
            #expect(table.columns[0] == .null("X", count: 2))
        }
    }
}
