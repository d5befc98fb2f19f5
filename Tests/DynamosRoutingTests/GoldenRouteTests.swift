import DynamosKnowledge
import DynamosQueues
import DynamosRouting
import Foundation
import Testing

/// The thesis scenarios, hop by hop.
@Suite("Golden routes for the thesis scenarios")
struct GoldenRouteTests {
    @Test("computeToData with all options: query, anonymize, algorithm, graph at each steward")
    func computeToDataAllOptions() throws {
        let plan = try Fixtures.router().plan(
            requestType: "sqlDataRequest", archetype: "computeToData", providers: ["UVA", "VU"],
            computeProvider: nil, options: ["anonymize", "aggregate", "graph"])
        #expect(plan.computeProvider == nil)
        #expect(plan.parties.map(\.party) == ["UVA", "VU"])
        for steward in ["UVA", "VU"] {
            let route = try #require(plan.route(of: steward))
            #expect(route.role == .all)
            #expect(route.services == ["query", "anonymize", "algorithm", "graph"])
            #expect(
                route.path == [
                    "dynamos.\(steward).query", "dynamos.\(steward).anonymize", "dynamos.\(steward).algorithm",
                    "dynamos.\(steward).graph", "dynamos.\(steward).results",
                ])
        }
    }

    @Test("dataThroughTtp: query, anonymize at each steward; aggregate, algorithm, graph at SURF")
    func dataThroughTtp() throws {
        let plan = try Fixtures.router().plan(
            requestType: "sqlDataRequest", archetype: "dataThroughTtp", providers: ["UVA", "VU"],
            computeProvider: "SURF", options: ["anonymize", "graph"])
        #expect(plan.computeProvider == "SURF")
        #expect(plan.parties.map(\.party) == ["UVA", "VU", "SURF"])
        for steward in ["UVA", "VU"] {
            let route = try #require(plan.route(of: steward))
            #expect(route.role == .dataProvider)
            #expect(route.services == ["query", "anonymize"])
            #expect(
                route.path == ["dynamos.\(steward).query", "dynamos.\(steward).anonymize", "dynamos.SURF.aggregate"])
        }
        let surf = try #require(plan.route(of: "SURF"))
        #expect(surf.role == .computeProvider)
        #expect(surf.services == ["aggregate", "algorithm", "graph"])
        #expect(
            surf.path == [
                "dynamos.SURF.aggregate", "dynamos.SURF.algorithm", "dynamos.SURF.graph", "dynamos.SURF.results",
            ])
        #expect(surf.expectedParts == 2)
    }

    @Test("UVA always anonymizes, even when the analyst did not ask; VU does not")
    func uvaEnforcesAnonymize() throws {
        let router = try Fixtures.router()
        let local = try router.plan(
            requestType: "sqlDataRequest", archetype: "computeToData", providers: ["UVA", "VU"],
            computeProvider: nil, options: [])
        #expect(local.route(of: "UVA")?.services == ["query", "anonymize", "algorithm"])
        #expect(local.route(of: "VU")?.services == ["query", "algorithm"])
        let ttp = try router.plan(
            requestType: "sqlDataRequest", archetype: "dataThroughTtp", providers: ["UVA", "VU"],
            computeProvider: "SURF", options: [])
        #expect(ttp.route(of: "UVA")?.path == ["dynamos.UVA.query", "dynamos.UVA.anonymize", "dynamos.SURF.aggregate"])
        #expect(ttp.route(of: "VU")?.path == ["dynamos.VU.query", "dynamos.SURF.aggregate"])
        #expect(ttp.route(of: "SURF")?.services == ["aggregate", "algorithm"])
    }

    @Test("the selected plan for the thesis user defaults to computeToData by weight and says why")
    func selectionDefault() throws {
        let plan = try Fixtures.router().plan(
            selecting: SelectionRequest(
                user: Fixtures.user, requestType: "sqlDataRequest", providers: ["UVA", "VU", "RUG"],
                options: ["graph"]))
        #expect(plan.archetype == "computeToData")
        #expect(plan.parties.map(\.role) == [.all, .all, .all])
        #expect(plan.reasons.contains { $0.contains("computeToData chosen: lowest weight") })
    }

    @Test("queue names match the bus layer's naming")
    func queueNames() {
        #expect(QueueNames.worker(party: "UVA", service: "query") == "dynamos.UVA.query")
        #expect(QueueNames.results(party: "SURF") == "dynamos.SURF.results")
        #expect(QueueNames.agent(party: "VU") == "dynamos.VU.agent")
        #expect(QueueNames.dead(party: "RUG") == "dynamos.RUG.dead")
    }

    @Test("the JSON plan has the documented keys, computeProvider null when unused")
    func jsonShape() throws {
        let plan = try Fixtures.router().plan(
            requestType: "sqlDataRequest", archetype: "computeToData", providers: ["VU"], computeProvider: nil,
            options: [])
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(plan)) as? [String: Any]
        #expect(Set(object?.keys.map { $0 } ?? []) == ["archetype", "computeProvider", "parties", "reasons"])
        #expect(object?["computeProvider"] is NSNull)
        let party = (object?["parties"] as? [[String: Any]])?.first
        #expect(party?["path"] as? [String] == ["dynamos.VU.query", "dynamos.VU.algorithm", "dynamos.VU.results"])
        #expect(party?["role"] as? String == "all")
        #expect(try JSONDecoder().decode(RoutePlan.self, from: JSONEncoder().encode(plan)) == plan)
    }
}
