import DynamosKnowledge
import DynamosQueues
import DynamosRouting
import PropertyBased
import Testing

/// Properties over random valid configurations.
@Suite("Routing properties")
struct RoutingPropertyTests {
    @Test("random valid configs validate; every chain respects allowedOutputs, roles and archetypes")
    func chainsRespectOutputsAndRoles() async {
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            var random = RandomConfigs(seed: seed)
            let knowledgeBase = random.knowledgeBase()
            #expect(throws: Never.self) { try knowledgeBase.validate() }
            let options = random.options(for: knowledgeBase)
            let builder = ChainBuilder(knowledgeBase: knowledgeBase)
            for archetype in ["computeToData", "dataThroughTtp"] {
                for role in PartyRole.allCases {
                    do {
                        let chain = try builder.chain(
                            requestType: "req", options: options, party: "S1", archetype: archetype, role: role)
                        let full = try builder.chain(
                            requestType: "req", options: options, party: "S1", archetype: archetype)
                        for (source, target) in zip(full, full.dropFirst()) {
                            #expect(knowledgeBase.microservice(named: source)?.allowedOutputs.contains(target) == true)
                        }
                        for name in chain {
                            let service = knowledgeBase.microservice(named: name)
                            #expect(service.map { role.runs($0.label) } == true)
                            #expect(service?.invalidArchetypes.contains(archetype) == false)
                        }
                        #expect(chain == full.filter { chain.contains($0) })
                    } catch {
                        #expect((error as? RoutingError)?.code == .invalidRoute)
                    }
                }
            }
        }
    }

    @Test("paths stay at their party and hand over at the compute provider's first service")
    func pathsAreConsistent() async {
        await propertyCheck(count: 200, input: Gen.uint64()) { seed in
            var random = RandomConfigs(seed: seed)
            let knowledgeBase = random.knowledgeBase()
            let assignments = RandomConfigs.stewards.map {
                StewardAssignment(steward: $0, archetype: random.chance(50) ? "computeToData" : "dataThroughTtp")
            }
            let planner = PathPlanner(knowledgeBase: knowledgeBase)
            guard
                let routes = try? planner.routes(
                    requestType: "req", options: random.options(for: knowledgeBase), assignments: assignments,
                    computeProvider: "TTP")
            else { return }
            let ttp = routes.first { $0.party == "TTP" }
            for route in routes {
                let own = route.services.map { QueueNames.worker(party: route.party, service: $0) }
                #expect(Array(route.path.prefix(own.count)) == own)
                switch route.role {
                case .all, .computeProvider:
                    #expect(route.path.count == own.count + 1)
                    #expect(route.path.last == QueueNames.results(party: route.party))
                case .dataProvider:
                    #expect(route.path.count == own.count + 1)
                    #expect(route.path.last == ttp?.path.first)
                }
            }
            let offloaded = assignments.filter { $0.archetype == "dataThroughTtp" }.count
            #expect(ttp?.expectedParts == (offloaded > 0 ? offloaded : nil))
        }
    }

    @Test("selection never returns an archetype or compute provider that an agreement forbids")
    func selectionHonoursAgreements() async {
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            var random = RandomConfigs(seed: seed)
            let knowledgeBase = random.knowledgeBase()
            let providers = RandomConfigs.stewards.filter { _ in random.chance(70) }
            let request = SelectionRequest(
                user: RandomConfigs.user, requestType: "req", providers: providers.isEmpty ? ["S1"] : providers,
                options: random.options(for: knowledgeBase))
            let status = random.status()
            guard let decision = try? ArchetypeSelector(knowledgeBase: knowledgeBase).select(request, status: status)
            else { return }
            for assignment in decision.assignments {
                let agreement = knowledgeBase.agreement(of: assignment.steward)
                let allowed = agreement?.allowedArchetypes(for: RandomConfigs.user) ?? []
                #expect(allowed.contains(assignment.archetype))
                if knowledgeBase.archetype(named: assignment.archetype)?.computeProvider == .other {
                    let providers = agreement?.allowedComputeProviders(for: RandomConfigs.user) ?? []
                    #expect(decision.computeProvider.map { providers.contains($0) } == true)
                    #expect(decision.computeProvider.map { status[$0]?.online == true } == true)
                }
            }
        }
    }

    @Test("the random configurations mostly route, so the properties above are not vacuous")
    func generatorIsUseful() {
        var chains = 0
        var selections = 0
        for seed in UInt64(0)..<300 {
            var random = RandomConfigs(seed: seed)
            let knowledgeBase = random.knowledgeBase()
            let options = random.options(for: knowledgeBase)
            let builder = ChainBuilder(knowledgeBase: knowledgeBase)
            if (try? builder.chain(requestType: "req", options: options, party: "S1", archetype: "computeToData"))
                != nil
            {
                chains += 1
            }
            let request = SelectionRequest(
                user: RandomConfigs.user, requestType: "req", providers: ["S1", "S2"], options: options)
            if (try? ArchetypeSelector(knowledgeBase: knowledgeBase).select(request, status: random.status())) != nil {
                selections += 1
            }
        }
        #expect(chains > 100)
        #expect(selections > 50)
    }
}
