import DynamosKnowledge
import DynamosRouting
import DynamosStewardConfig
import Foundation
import Testing

/// Chain generation on its own: ordering, cycles and services that cannot be lined up.
@Suite("Chain builder")
struct ChainBuilderTests {
    private func builder(_ services: [Microservice]) -> ChainBuilder {
        ChainBuilder(knowledgeBase: KnowledgeBase(microservices: services))
    }

    @Test("a cycle among the chosen services is named")
    func cycle() {
        let chains = builder([
            Microservice(name: "a", label: .dataProvider, allowedOutputs: ["b"]),
            Microservice(name: "b", label: .dataProvider, allowedOutputs: ["c"]),
            Microservice(name: "c", label: .dataProvider, allowedOutputs: ["a"]),
        ])
        let error = #expect(throws: RoutingError.self) { try chains.order(["a", "b", "c"]) }
        #expect(error?.code == .cycle)
        #expect(error?.message.contains("a -> b -> c -> a") == true)
    }

    @Test("services that cannot hand over to each other are refused with the missing output")
    func unchainable() {
        let chains = builder([
            Microservice(name: "left", label: .dataProvider, allowedOutputs: ["sink"]),
            Microservice(name: "right", label: .dataProvider, allowedOutputs: ["sink"]),
            Microservice(name: "sink", label: .computeProvider),
        ])
        let error = #expect(throws: RoutingError.self) { try chains.order(["left", "right", "sink"]) }
        #expect(error?.code == .invalidRoute)
        #expect(error?.message.contains("add 'right' to them") == true)
    }

    @Test("the order is the same whatever order the services come in")
    func deterministic() throws {
        let chains = ChainBuilder(knowledgeBase: try Fixtures.seed())
        let services = ["graph", "query", "algorithm", "anonymize", "aggregate"]
        let expected = ["query", "anonymize", "aggregate", "algorithm", "graph"]
        for rotation in services.indices {
            let rotated = Array(services[rotation...] + services[..<rotation])
            #expect(try chains.order(Set(rotated)) == expected)
        }
    }

    @Test("role filters keep chain order and labels")
    func roles() throws {
        let chains = ChainBuilder(knowledgeBase: try Fixtures.seed())
        let options: Set<String> = ["graph"]
        let data = try chains.chain(
            requestType: "sqlDataRequest", options: options, party: "UVA", archetype: "dataThroughTtp",
            role: .dataProvider)
        let compute = try chains.chain(
            requestType: "sqlDataRequest", options: options, party: "SURF", archetype: "dataThroughTtp",
            role: .computeProvider)
        #expect(data == ["query", "anonymize"])
        #expect(compute == ["aggregate", "algorithm", "graph"])
    }
}

@Suite("Steward settings ranges")
struct StewardSettingsRangeTests {
    @Test("a pool cap or idle timeout outside its range makes the config invalid")
    func ranges() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Deploy/config").path
        let base = try KnowledgeBase.load(directory: directory)
        try base.validate()
        for edit in [
            { (s: inout StewardSettings) in s.maxWorkersPerPool = 0 },
            { (s: inout StewardSettings) in s.maxWorkersPerPool = 100_000 },
            { (s: inout StewardSettings) in s.idleTimeoutSeconds = 0 },
        ] {
            var changed = base
            edit(&changed.stewards[0])
            let error = #expect(throws: RoutingError.self) { try changed.validate() }
            #expect(error?.message.contains("maxWorkersPerPool") == true)
        }
    }
}
