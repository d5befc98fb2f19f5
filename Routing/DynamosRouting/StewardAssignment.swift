/// The archetype one steward takes part under; stewards of one request may differ (one offloads, one computes).
public struct StewardAssignment: Sendable, Codable, Equatable {
    public var steward: String
    public var archetype: String

    public init(steward: String, archetype: String) {
        self.steward = steward
        self.archetype = archetype
    }
}
