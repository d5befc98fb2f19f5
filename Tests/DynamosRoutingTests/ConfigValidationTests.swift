import DynamosKnowledge
import Foundation
import Testing

/// Invalid configuration is refused with the file, the entry and the problem.
@Suite("Config validation")
struct ConfigValidationTests {
    private func refusal(_ change: (inout KnowledgeBase) -> Void) throws -> RoutingError? {
        var knowledgeBase = try Fixtures.seed()
        change(&knowledgeBase)
        return #expect(throws: RoutingError.self) { try knowledgeBase.validate(origin: "Deploy/config/") }
    }

    @Test("the seed files load and validate")
    func seedLoads() throws {
        let knowledgeBase = try Fixtures.seed()
        #expect(knowledgeBase.microservices.map(\.name) == ["query", "anonymize", "aggregate", "algorithm", "graph"])
        #expect(knowledgeBase.stewards.map(\.name) == ["VU", "UVA", "RUG", "SURF"])
        #expect(knowledgeBase.enforcedServices(of: "UVA", for: "sqlDataRequest") == ["anonymize"])
        #expect(knowledgeBase.requestType(named: "sqlDataRequest")?.options == ["anonymize", "aggregate", "graph"])
    }

    @Test("an unknown service in a request type names file, entry and service")
    func unknownService() throws {
        let error = try refusal { $0.requestTypes[0].requiredServices.append("sort") }
        #expect(error?.code == .unknownService)
        #expect(error?.message.hasPrefix("Deploy/config/requestTypes.json, entry 'sqlDataRequest'") == true)
        #expect(error?.message.contains("'sort'") == true)
    }

    @Test("a cycle in allowedOutputs is named")
    func cycle() throws {
        let error = try refusal { knowledgeBase in
            let index = knowledgeBase.microservices.firstIndex { $0.name == "anonymize" }!
            knowledgeBase.microservices[index].allowedOutputs.append("query")
        }
        #expect(error?.code == .cycle)
        #expect(error?.message.contains("anonymize -> query -> anonymize") == true)
        #expect(error?.message.contains("microservices.json") == true)
    }

    @Test("a compute service sending back to a data service is a label mismatch")
    func labelMismatch() throws {
        let error = try refusal { knowledgeBase in
            let index = knowledgeBase.microservices.firstIndex { $0.name == "graph" }!
            knowledgeBase.microservices[index].allowedOutputs = ["anonymize"]
        }
        #expect(error?.code == .labelMismatch)
        #expect(error?.message.contains("entry 'graph'") == true)
    }

    @Test("an output to a service that does not exist is dangling")
    func danglingOutput() throws {
        let error = try refusal { $0.microservices[0].allowedOutputs.append("ghost") }
        #expect(error?.code == .danglingOutput)
        #expect(error?.message.contains("entry 'query'") == true && error?.message.contains("'ghost'") == true)
    }

    @Test("agreements naming unknown archetypes or parties, and duplicates, are refused")
    func agreementsAndDuplicates() throws {
        let archetype = try refusal {
            $0.agreements[0].relations[Fixtures.user]?.allowedArchetypes.append("teleport")
        }
        #expect(archetype?.code == .unknownArchetype)
        #expect(archetype?.message.contains("agreements.json, entry 'VU'") == true)
        let duplicate = try refusal { $0.archetypes.append($0.archetypes[0]) }
        #expect(duplicate?.message.contains("defined twice") == true)
        let enforced = try refusal { $0.stewards[1].enforcedServices["sqlDataRequest"] = ["shred"] }
        #expect(enforced?.message.contains("stewards.json, entry 'UVA'") == true)
    }

    @Test("a malformed seed file names the file and the entry")
    func malformedFile() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("dynamos-routing-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for kind in ConfigKind.allCases {
            try FileManager.default.copyItem(
                atPath: Fixtures.configDirectory + "/" + kind.fileName,
                toPath: directory.appendingPathComponent(kind.fileName).path)
        }
        let broken = #"[{"name": "query", "label": "wherever"}]"#
        try Data(broken.utf8).write(to: directory.appendingPathComponent("microservices.json"))
        let error = #expect(throws: RoutingError.self) { try KnowledgeBase.load(directory: directory.path) }
        #expect(error?.code == .invalidConfig)
        #expect(error?.message.contains("microservices.json: entry 1, label") == true)
    }
}
