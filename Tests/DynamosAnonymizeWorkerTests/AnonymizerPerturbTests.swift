import DynamosAnonymizeWorker
import DynamosMessages
import DynamosStewardConfig
import Testing

@Suite struct AnonymizerPerturbTests {
    static let rows = 2000

    func perturbed(_ columns: [DataColumn], noise: Double = 2.5, seed: String) throws -> DataTable {
        let rule = Dataset.AnonymizationRule.perturb(noise: noise)
        let rules = Dictionary(columns.map { ($0.name, rule) }, uniquingKeysWith: { first, _ in first })
        let policy = try AnonymizationPolicy(rules: rules, sentinels: ["Salschal": [99]])
        return try Anonymizer(policy: policy, maskKey: []).anonymize(DataTable(columns: columns), seed: seed)
    }

    @Test func realsStayWithinTheNoise() throws {
        let table = try perturbed([.real("Taakomv", Array(repeating: 10, count: Self.rows))], seed: "r")
        guard case .real(let values) = table.columns[0].values else {
            Issue.record("perturb changed the column type")
            return
        }
        let numbers = values.compactMap { $0 }
        #expect(numbers.count == Self.rows)
        #expect(numbers.allSatisfy { $0 >= 7.5 && $0 <= 12.5 })
        #expect(Set(numbers).count > Self.rows / 2)
        #expect(numbers.min()! < 8 && numbers.max()! > 12)
    }

    @Test func integersStayIntegersWithinTheRoundedNoise() throws {
        let table = try perturbed([.integer("Aanst_22", Array(repeating: 100, count: Self.rows))], seed: "r")
        guard case .integer(let values) = table.columns[0].values else {
            Issue.record("perturb changed the column type")
            return
        }
        let numbers = values.compactMap { $0 }
        #expect(numbers.allSatisfy { (97...103).contains($0) })
        #expect(Set(numbers).count >= 5)
    }

    @Test func sameSeedSameBytesOtherSeedOtherNoise() throws {
        let columns: [DataColumn] = [
            .real("A", (0..<Self.rows).map { Double($0) }), .integer("B", (0..<Self.rows).map { Int64($0) * 10 }),
        ]
        let first = try perturbed(columns, seed: "request-7")
        let retry = try perturbed(columns, seed: "request-7")
        let other = try perturbed(columns, seed: "request-8")
        #expect(first == retry)
        #expect(first.columns[0] != other.columns[0])
        #expect(first.columns[1] != other.columns[1])
    }

    @Test func noiseDependsOnTheColumnNameNotItsPosition() throws {
        let values = Array(repeating: 0.0 as Double?, count: 100)
        let table = try perturbed([.real("A", values), .real("B", values), .real("A", values)], seed: "s")
        #expect(table.columns[0].values == table.columns[2].values)
        #expect(table.columns[0].values != table.columns[1].values)
    }

    @Test func nullsAndSentinelsAreKeptAndDoNotShiftOtherRows() throws {
        let plain = try perturbed([.integer("Salschal", [10, 11, 12, 13])], seed: "s")
        let holes = try perturbed([.integer("Salschal", [10, nil, 99, 13])], seed: "s")
        guard case .integer(let full) = plain.columns[0].values, case .integer(let sparse) = holes.columns[0].values
        else {
            Issue.record("perturb changed the column type")
            return
        }
        #expect(sparse[1] == nil)
        #expect(sparse[2] == 99)
        #expect(sparse[0] == full[0])
        #expect(sparse[3] == full[3])
    }
}
