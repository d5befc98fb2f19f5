import DynamosAlgorithmWorker
import DynamosKnowledge
import DynamosServices
import DynamosStewardConfig
import Testing

/// Which k applies where, and that the routing's list of algorithms is the worker's.
@Suite("group size policy", .timeLimit(.minutes(1)))
struct GroupSizePolicyTests {
    let parties = [
        StewardSettings(name: "UVA", minimumGroupSize: 10),
        StewardSettings(name: "VU", minimumGroupSize: 5),
        StewardSettings(name: "RUG"),
        StewardSettings(name: "SURF", kind: .thirdParty),
    ]

    @Test("a steward's own k for its data; the largest k of the sources elsewhere; unknown is strictest")
    func choice() {
        let uva = GroupSizePolicy(party: "UVA", parties: parties)
        #expect(uva.own == 10)
        #expect(uva.minimumGroupSize(providers: ["UVA"]) == 10)
        let surf = GroupSizePolicy(party: "SURF", parties: parties)
        #expect(surf.minimumGroupSize(providers: ["VU", "RUG"]) == 5)
        #expect(surf.minimumGroupSize(providers: ["RUG"]) == 1)
        #expect(surf.minimumGroupSize(providers: ["RUG", "ELSEWHERE"]) == 10)
        #expect(surf.strictest == 10)
    }

    @Test("the routing's known algorithms are the algorithm worker's functions")
    func algorithmsInStep() {
        #expect(Agreement.knownAlgorithms == AlgorithmFunction.allCases.map(\.rawValue))
        #expect(Agreement.recordLevelAlgorithms == [AlgorithmFunction.rows.rawValue])
    }
}
