public import DynamosKnowledge
/// One party's part of a request: its role, the services it runs and the concrete queues a message visits.
///
/// `path` is what goes into `routing_data`: worker queues `dynamos.<party>.<service>`, ending at a results queue
/// or at the compute provider's first service. `expectedParts` is set for the party that aggregates parts.
public struct PartyRoute: Sendable, Codable, Equatable {
    public var party: String
    public var role: PartyRole
    public var archetype: String
    public var services: [String]
    public var path: [String]
    public var expectedParts: Int?

    public init(
        party: String, role: PartyRole, archetype: String, services: [String], path: [String],
        expectedParts: Int? = nil
    ) {
        self.party = party
        self.role = role
        self.archetype = archetype
        self.services = services
        self.path = path
        self.expectedParts = expectedParts
    }
}
