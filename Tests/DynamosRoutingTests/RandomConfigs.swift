import DynamosKnowledge
import DynamosRouting
import DynamosStewardConfig

/// Random but valid knowledge bases, deterministic by seed, for the property tests.
///
/// Services `s0...sN` are data services first, then compute services; outputs only point forward (so there is no
/// cycle and no label mismatch), each forward edge present with high probability.
struct RandomConfigs {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// SplitMix64.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    mutating func chance(_ percent: UInt64) -> Bool { next() % 100 < percent }
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }
    mutating func subset(_ items: [String], percent: UInt64) -> [String] { items.filter { _ in chance(percent) } }

    static let stewards = ["S1", "S2", "S3"]
    static let user = "analyst@example.org"

    mutating func knowledgeBase() -> KnowledgeBase {
        let count = int(2...7)
        let dataCount = int(1...count - 1)
        let names = (0..<count).map { "s\($0)" }
        let services = names.enumerated().map { index, name in
            Microservice(
                name: name, label: index < dataCount ? .dataProvider : .computeProvider,
                allowedOutputs: names[(index + 1)...].filter { _ in chance(85) },
                invalidArchetypes: chance(15) ? ["computeToData"] : [])
        }
        let required = subset(names, percent: 40)
        let optional = names.filter { !required.contains($0) }.map {
            RequestType.OptionalServices(option: "with-\($0)", services: [$0])
        }
        let archetypes = [
            Archetype(name: "computeToData", computeProvider: .dataProvider, weight: int(1...500)),
            Archetype(
                name: "dataThroughTtp", computeProvider: .other, weight: int(1...500),
                impliedServices: chance(50) ? [names[dataCount]] : []),
        ]
        let archetypeNames = archetypes.map(\.name)
        var stewards = Self.stewards.map { name in
            StewardSettings(
                name: name, enforcedServices: chance(30) ? ["req": subset(names, percent: 30)] : [:],
                loadThresholds: .init(cpu: 0.8, memory: 0.8))
        }
        stewards.append(StewardSettings(name: "TTP", kind: .thirdParty))
        let agreements = Self.stewards.map { name in
            Agreement(
                name: name,
                relations: [
                    Self.user: .init(
                        id: name, requestTypes: ["req"], dataSets: ["d"],
                        allowedArchetypes: subset(archetypeNames, percent: 70),
                        allowedComputeProviders: chance(85) ? ["TTP"] : [])
                ],
                computeProviders: ["TTP"], archetypes: subset(archetypeNames, percent: 85))
        }
        return KnowledgeBase(
            requestTypes: [RequestType(name: "req", requiredServices: required, optionalServices: optional)],
            microservices: services, archetypes: archetypes, agreements: agreements, stewards: stewards)
    }

    mutating func options(for knowledgeBase: KnowledgeBase) -> Set<String> {
        Set(subset(knowledgeBase.requestTypes[0].options, percent: 50))
    }

    mutating func status() -> [String: PartyStatus] {
        var status: [String: PartyStatus] = [:]
        for party in Self.stewards + ["TTP"] {
            status[party] = PartyStatus(
                online: chance(90), cpu: Double(int(0...100)) / 100, memory: Double(int(0...100)) / 100)
        }
        return status
    }
}
