public import DynamosControl
public import DynamosKnowledge
public import Foundation

/// A job the orchestrator approved: the request it was approved for and the plan it currently runs under.
///
/// `revision` goes up each time a changed agreement re-plans the job; agents keep the highest revision they saw.
public struct JobRecord: Sendable, Codable, Equatable {
    public var jobId: String
    public var request: ApprovalRequest
    public var revision: Int
    public var archetype: String
    public var computeProvider: String?
    /// Each steward's archetype.
    public var assignments: [String: String]
    /// Every party taking part, with its role.
    public var roles: [String: PartyRole]
    public var reasons: [String]
    public var createdAt: Date
    /// When the job's token expires; the job is forgotten then.
    public var expiresAt: Date
    /// Parties that did not confirm the current revision; it is sent to them again on the next re-plan.
    public var unconfirmed: [String] = []

    public init(
        jobId: String, request: ApprovalRequest, revision: Int, archetype: String, computeProvider: String?,
        assignments: [String: String], roles: [String: PartyRole], reasons: [String], createdAt: Date, expiresAt: Date
    ) {
        self.jobId = jobId
        self.request = request
        self.revision = revision
        self.archetype = archetype
        self.computeProvider = computeProvider
        self.assignments = assignments
        self.roles = roles
        self.reasons = reasons
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    /// The parties taking part, by name.
    public var parties: [String] { roles.keys.sorted() }

    /// Whether two records run the same plan (archetypes, compute provider and roles), whatever their revision.
    public func samePlan(as other: JobRecord) -> Bool {
        archetype == other.archetype && computeProvider == other.computeProvider
            && assignments == other.assignments && roles == other.roles
    }
}
