/// The outcome of archetype selection: the archetype, the compute provider, each steward's archetype and why.
///
/// `reasons` lists the rules that decided, in order, so the control plane can log and show them.
public struct ArchetypeDecision: Sendable, Codable, Equatable {
    public var archetype: String
    public var computeProvider: String?
    public var assignments: [StewardAssignment]
    public var reasons: [String]

    public init(archetype: String, computeProvider: String?, assignments: [StewardAssignment], reasons: [String]) {
        self.archetype = archetype
        self.computeProvider = computeProvider
        self.assignments = assignments
        self.reasons = reasons
    }
}
