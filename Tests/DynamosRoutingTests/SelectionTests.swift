import DynamosKnowledge
import DynamosRouting
import Testing

/// Archetype selection rules and the errors that say what to change.
@Suite("Archetype selection")
struct SelectionTests {
    private func request(_ providers: [String], options: Set<String> = [], user: String = Fixtures.user)
        -> SelectionRequest
    {
        SelectionRequest(user: user, requestType: "sqlDataRequest", providers: providers, options: options)
    }

    @Test("the aggregate option needs dataThroughTtp")
    func aggregateNeedsTtp() throws {
        let plan = try Fixtures.router().plan(selecting: request(["UVA", "VU"], options: ["aggregate"]))
        #expect(plan.archetype == "dataThroughTtp")
        #expect(plan.computeProvider == "SURF")
        #expect(plan.reasons.contains { $0.contains("computeToData dropped: option 'aggregate'") })
        #expect(plan.route(of: "SURF")?.expectedParts == 2)
    }

    @Test("an overloaded steward offloads to the third party; the others keep computing at home")
    func loadRuleOffloads() throws {
        let plan = try Fixtures.router().plan(
            selecting: request(["UVA", "VU"]), status: ["UVA": PartyStatus(cpu: 0.93, memory: 0.4)])
        #expect(plan.route(of: "UVA")?.archetype == "dataThroughTtp")
        #expect(plan.route(of: "UVA")?.role == .dataProvider)
        #expect(plan.route(of: "VU")?.role == .all)
        #expect(plan.route(of: "SURF")?.expectedParts == 1)
        #expect(plan.reasons.contains { $0.contains("UVA offloads to SURF") && $0.contains("CPU 93%") })
    }

    @Test("an offline third party leaves no archetype for aggregate, and the error says what to change")
    func offlineThirdParty() throws {
        let error = #expect(throws: RoutingError.self) {
            try Fixtures.router().plan(
                selecting: request(["UVA", "VU"], options: ["aggregate"]), status: ["SURF": PartyStatus(online: false)])
        }
        #expect(error?.code == .noCommonArchetype)
        #expect(error?.message.contains("SURF is offline") == true)
        #expect(error?.message.contains("start the agent of SURF") == true)
    }

    @Test("without aggregate, an offline third party just drops dataThroughTtp")
    func offlineThirdPartyWithoutAggregate() throws {
        let plan = try Fixtures.router().plan(
            selecting: request(["UVA"]), status: ["SURF": PartyStatus(online: false), "UVA": PartyStatus(cpu: 0.99)])
        #expect(plan.archetype == "computeToData")
        #expect(plan.reasons.contains { $0.contains("dataThroughTtp dropped") })
        #expect(plan.reasons.contains { $0.contains("UVA is overloaded") })
    }

    @Test("unknown request type, unknown steward, offline steward and unknown user are refused with a fix")
    func badRequests() throws {
        let router = try Fixtures.router()
        let unknownType = #expect(throws: RoutingError.self) {
            try router.plan(
                selecting: SelectionRequest(user: Fixtures.user, requestType: "nope", providers: ["UVA"]))
        }
        #expect(unknownType?.code == .unknownRequestType)
        #expect(unknownType?.message.contains("use one of: sqlDataRequest") == true)
        let unknownSteward = #expect(throws: RoutingError.self) { try router.plan(selecting: request(["XYZ"])) }
        #expect(unknownSteward?.code == .unknownParty)
        #expect(unknownSteward?.message.contains("VU, UVA, RUG") == true)
        let offline = #expect(throws: RoutingError.self) {
            try router.plan(selecting: request(["VU"]), status: ["VU": PartyStatus(online: false)])
        }
        #expect(offline?.code == .partyOffline)
        let stranger = #expect(throws: RoutingError.self) {
            try router.plan(selecting: request(["VU"], user: "eve@example.org"))
        }
        #expect(stranger?.code == .notAllowed)
        #expect(stranger?.message.contains("add a relation") == true)
        let badOption = #expect(throws: RoutingError.self) {
            try router.plan(
                requestType: "sqlDataRequest", archetype: "computeToData", providers: ["VU"], computeProvider: nil,
                options: ["sort"])
        }
        #expect(badOption?.code == .unknownOption)
        let noProvider = #expect(throws: RoutingError.self) {
            try router.plan(
                requestType: "sqlDataRequest", archetype: "dataThroughTtp", providers: ["VU"], computeProvider: nil,
                options: [])
        }
        #expect(noProvider?.message.contains("--compute-provider") == true)
    }

    @Test("stewards without a common archetype are refused, naming what each allows")
    func noCommonArchetype() throws {
        var knowledgeBase = try Fixtures.seed()
        let index = try #require(knowledgeBase.agreements.firstIndex { $0.name == "VU" })
        knowledgeBase.agreements[index].relations[Fixtures.user]?.allowedArchetypes = ["dataThroughTtp"]
        let uva = try #require(knowledgeBase.agreements.firstIndex { $0.name == "UVA" })
        knowledgeBase.agreements[uva].relations[Fixtures.user]?.allowedArchetypes = ["computeToData"]
        let error = #expect(throws: RoutingError.self) {
            try Router(knowledgeBase: knowledgeBase).plan(selecting: request(["UVA", "VU"]))
        }
        #expect(error?.code == .noCommonArchetype)
        #expect(error?.message.contains("VU allows dataThroughTtp") == true)
        #expect(error?.message.contains("change the agreements") == true)
    }
}
