import DynamosStewardConfig
import Foundation
import Testing

@Suite struct RuleCodingTests {
    typealias Rule = Dataset.AnonymizationRule

    private func decode(_ json: String) throws -> Rule {
        try JSONDecoder().decode(Rule.self, from: Data(json.utf8))
    }

    @Test func legacyStringsKeepTheirMeaning() throws {
        #expect(try decode("\"generalizeToYear\"") == .generalize(.year))
        #expect(try decode("\"suppress\"") == .suppress)
        #expect(try decode("\"pseudonymize\"") == .mask(.hash))
    }

    @Test func objectFormsDecode() throws {
        #expect(try decode(#"{"generalize": "year"}"#) == .generalize(.year))
        #expect(try decode(#"{"generalize": {"yearRange": 10}}"#) == .generalize(.yearRange(10)))
        #expect(try decode(#"{"generalize": {"band": 5}}"#) == .generalize(.band(5)))
        #expect(try decode(#"{"mask": "hash"}"#) == .mask(.hash))
        #expect(try decode(#"{"mask": "redact"}"#) == .mask(.redact))
        #expect(try decode(#"{"perturb": {"noise": 2.5}}"#) == .perturb(noise: 2.5))
    }

    @Test(arguments: [
        Rule.suppress, .generalize(.year), .generalize(.yearRange(10)), .generalize(.band(5)), .mask(.hash),
        .mask(.redact), .perturb(noise: 2.5), .perturb(noise: 0.1),
    ])
    func encodingRoundTrips(rule: Rule) throws {
        let data = try JSONEncoder().encode(rule)
        #expect(try JSONDecoder().decode(Rule.self, from: data) == rule)
        #expect(try decode(rule.description) == rule)
    }

    @Test(arguments: [
        "\"generalise\"", #"{"mask": "blur"}"#, #"{"generalize": "month"}"#, #"{"generalize": {"decade": 1}}"#,
        #"{"perturb": {"noise": 1, "seed": 2}}"#, #"{"mask": "hash", "perturb": {"noise": 1}}"#, "{}", "12",
    ])
    func malformedFormsAreRefused(json: String) {
        #expect(throws: DecodingError.self) { try decode(json) }
    }

    @Test func sentinelsAreOptional() throws {
        let without = #"{"name": "d", "steward": "VU", "delimiter": ";", "tables": []}"#
        #expect(try JSONDecoder().decode(Dataset.self, from: Data(without.utf8)).sentinels.isEmpty)
        let with = #"{"name": "d", "steward": "VU", "delimiter": ";", "tables": [], "sentinels": {"Salschal": [99]}}"#
        let dataset = try JSONDecoder().decode(Dataset.self, from: Data(with.utf8))
        #expect(dataset.sentinels == ["Salschal": [99]])
        #expect(try JSONDecoder().decode(Dataset.self, from: JSONEncoder().encode(dataset)) == dataset)
    }

    @Test func deployedDatasetsDecode() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Deploy/config/datasets.json")
        let datasets = try JSONDecoder().decode([Dataset].self, from: Data(contentsOf: url))
        #expect(datasets.count == 3)
        for dataset in datasets {
            #expect(dataset.sentinels == ["Salschal": [99]])
            #expect(dataset.tables[0].anonymization["Gebdat"] == .generalizeToYear)
        }
    }
}
