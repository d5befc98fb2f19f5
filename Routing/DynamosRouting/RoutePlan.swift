/// The router's answer for one request: the archetype, the compute provider, every party's route and why.
///
/// Encodes as the JSON the control plane and `dynamos route --json` show:
/// `{"archetype", "computeProvider", "parties": [...], "reasons": [...]}`.
public struct RoutePlan: Sendable, Codable, Equatable {
    public var archetype: String
    public var computeProvider: String?
    public var parties: [PartyRoute]
    public var reasons: [String]

    public init(archetype: String, computeProvider: String?, parties: [PartyRoute], reasons: [String]) {
        self.archetype = archetype
        self.computeProvider = computeProvider
        self.parties = parties
        self.reasons = reasons
    }

    private enum CodingKeys: String, CodingKey {
        case archetype, computeProvider, parties, reasons
    }

    /// Always writes `computeProvider`, as `null` when no party computes for others.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(archetype, forKey: .archetype)
        try container.encode(computeProvider, forKey: .computeProvider)
        try container.encode(parties, forKey: .parties)
        try container.encode(reasons, forKey: .reasons)
    }

    /// The route of `party`, if it takes part.
    public func route(of party: String) -> PartyRoute? { parties.first { $0.party == party } }
}
