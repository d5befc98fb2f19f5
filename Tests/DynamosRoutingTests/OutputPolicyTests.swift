import DynamosKnowledge
import DynamosStewardConfig
import Foundation
import Testing

/// Which algorithms a relation allows: aggregates by default, record-level `rows` only where named.
@Suite("output policy", .timeLimit(.minutes(1)))
struct OutputPolicyTests {
    func agreement(allowing algorithms: [String]?) -> Agreement {
        Agreement(
            name: "UVA",
            relations: [
                "ann": .init(
                    id: "1", requestTypes: ["sqlDataRequest"], dataSets: ["wageGap"],
                    allowedArchetypes: ["computeToData"], allowedComputeProviders: [],
                    allowedAlgorithms: algorithms)
            ],
            computeProviders: [], archetypes: ["computeToData"])
    }

    @Test("without a list every aggregate is allowed and rows is not")
    func defaults() {
        let agreement = agreement(allowing: nil)
        for algorithm in Agreement.knownAlgorithms where algorithm != "rows" {
            #expect(agreement.allowsAlgorithm(algorithm, for: "ann"))
        }
        #expect(!agreement.allowsAlgorithm("rows", for: "ann"))
        #expect(!agreement.allowsAlgorithm(" ROWS ", for: "ann"))
        #expect(!agreement.allowsAlgorithm("average", for: "bob"))
        #expect(agreement.allowedAlgorithms(for: "ann").contains("average"))
        #expect(!agreement.allowedAlgorithms(for: "ann").contains("rows"))
    }

    @Test("a list allows exactly what it names, matched as the worker matches")
    func explicitList() {
        let agreement = agreement(allowing: ["rows", "count"])
        #expect(agreement.allowsAlgorithm("rows", for: "ann"))
        #expect(agreement.allowsAlgorithm("Count", for: "ann"))
        #expect(!agreement.allowsAlgorithm("average", for: "ann"))
        #expect(!agreement.allowsAlgorithm("wagegap", for: "ann"))
    }

    @Test("the seed allows rows at VU only, and sets k at UVA and VU")
    func seed() throws {
        let knowledgeBase = try Fixtures.seed()
        #expect(knowledgeBase.agreement(of: "VU")?.allowsAlgorithm("rows", for: Fixtures.user) == true)
        #expect(knowledgeBase.agreement(of: "UVA")?.allowsAlgorithm("rows", for: Fixtures.user) == false)
        #expect(knowledgeBase.stewards.first { $0.name == "UVA" }?.minimumGroupSize == 10)
    }

    @Test("unknown algorithms and k out of range are config errors")
    func validation() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("policy-\(UUID())")
        try FileManager.default.copyItem(atPath: Fixtures.configDirectory, toPath: directory.path)
        defer { try? FileManager.default.removeItem(at: directory) }
        func rewrite<Value: Codable>(_ file: String, as type: Value.Type, _ edit: (inout Value) -> Void) throws {
            let url = directory.appendingPathComponent(file)
            var value = try JSONDecoder().decode(type, from: Data(contentsOf: url))
            edit(&value)
            try JSONEncoder().encode(value).write(to: url)
        }
        try rewrite("agreements.json", as: [Agreement].self) { $0[0].relations[Fixtures.user]?.allowedAlgorithms = ["dump"] }
        #expect(throws: RoutingError.self) { _ = try KnowledgeBase.load(directory: directory.path) }
        try rewrite("agreements.json", as: [Agreement].self) { $0[0].relations[Fixtures.user]?.allowedAlgorithms = nil }
        _ = try KnowledgeBase.load(directory: directory.path)
        try rewrite("stewards.json", as: [StewardSettings].self) { $0[0].minimumGroupSize = 0 }
        let error = #expect(throws: RoutingError.self) { _ = try KnowledgeBase.load(directory: directory.path) }
        #expect(error?.message.contains("minimumGroupSize") == true)
    }
}
