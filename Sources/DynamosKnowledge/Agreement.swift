import Foundation

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
        /// The algorithms the user may run over this steward's data; nil allows every algorithm that returns
        /// aggregates, never record-level output (`rows`), which must be named to be allowed.
        public var allowedAlgorithms: [String]?

        public init(
            id: String, requestTypes: [String], dataSets: [String], allowedArchetypes: [String],
            allowedComputeProviders: [String], allowedAlgorithms: [String]? = nil
        ) {
            self.allowedAlgorithms = allowedAlgorithms
            self.id = id
            self.requestTypes = requestTypes
            self.dataSets = dataSets
            self.allowedArchetypes = allowedArchetypes
            self.allowedComputeProviders = allowedComputeProviders
        }

        private enum CodingKeys: String, CodingKey {
            case id = "ID"
            case requestTypes, dataSets, allowedArchetypes, allowedComputeProviders, allowedAlgorithms
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

    /// Whether the relation with `user` allows `algorithm` (matched as the worker matches it, ignoring case and
    /// surrounding spaces): named in its `allowedAlgorithms`, or, when it names none, any algorithm but a
    /// record-level one. False without a relation; true for a name no worker knows, which the worker refuses.
    public func allowsAlgorithm(_ algorithm: String, for user: String) -> Bool {
        guard let relation = relations[user] else { return false }
        guard let known = Self.knownAlgorithm(named: algorithm) else { return true }
        guard let allowed = relation.allowedAlgorithms else { return !Self.recordLevelAlgorithms.contains(known) }
        return allowed.contains(known)
    }

    /// The known algorithm `name` means, ignoring case and surrounding spaces.
    public static func knownAlgorithm(named name: String) -> String? {
        let wanted = name.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        return knownAlgorithms.first { $0.lowercased() == wanted }
    }

    /// The algorithms the relation with `user` allows, for error messages.
    public func allowedAlgorithms(for user: String) -> [String] {
        guard let relation = relations[user] else { return [] }
        return relation.allowedAlgorithms
            ?? Self.knownAlgorithms.filter { !Self.recordLevelAlgorithms.contains($0) }
    }

    /// The algorithms the algorithm worker offers (its `AlgorithmFunction` cases; a test keeps them in step).
    public static let knownAlgorithms = ["average", "sum", "count", "min", "max", "median", "stddev", "wageGap", "rows"]
    /// The algorithms whose output is individual records rather than aggregates.
    public static let recordLevelAlgorithms: Set<String> = ["rows"]
}
