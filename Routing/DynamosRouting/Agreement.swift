/// What one steward allows, per user: the policy the selection must stay inside.
///
/// Thesis shape: `relations` maps a user to what they may request; the steward's own `computeProviders` and
/// `archetypes` bound what any relation can allow.
public struct Agreement: Sendable, Codable, Equatable {
    public var name: String
    public var relations: [String: Relation]
    public var computeProviders: [String]
    public var archetypes: [String]

    /// What one user may do with this steward's data.
    public struct Relation: Sendable, Codable, Equatable {
        public var id: String
        public var requestTypes: [String]
        public var dataSets: [String]
        public var allowedArchetypes: [String]
        public var allowedComputeProviders: [String]

        public init(
            id: String, requestTypes: [String], dataSets: [String], allowedArchetypes: [String],
            allowedComputeProviders: [String]
        ) {
            self.id = id
            self.requestTypes = requestTypes
            self.dataSets = dataSets
            self.allowedArchetypes = allowedArchetypes
            self.allowedComputeProviders = allowedComputeProviders
        }

        private enum CodingKeys: String, CodingKey {
            case id = "ID"
            case requestTypes, dataSets, allowedArchetypes, allowedComputeProviders
        }
    }

    public init(name: String, relations: [String: Relation], computeProviders: [String], archetypes: [String]) {
        self.name = name
        self.relations = relations
        self.computeProviders = computeProviders
        self.archetypes = archetypes
    }

    /// The archetypes both the steward and its relation with `user` allow, or nil when there is no relation.
    public func allowedArchetypes(for user: String) -> [String]? {
        relations[user].map { relation in relation.allowedArchetypes.filter { archetypes.contains($0) } }
    }

    /// The compute providers both the steward and its relation with `user` allow, or nil without a relation.
    public func allowedComputeProviders(for user: String) -> [String]? {
        relations[user].map { relation in relation.allowedComputeProviders.filter { computeProviders.contains($0) } }
    }
}
