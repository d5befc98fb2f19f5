public import DynamosControl
public import Foundation

/// A job as one agent holds it: its part in the job (role), the plan, and the lease that keeps it alive.
public struct AgentJob: Sendable, Codable, Equatable {
    /// Whether the job can still be used.
    public enum State: String, Sendable, Codable {
        case active
        /// Ended by the orchestrator (agreement changed); the reason says why.
        case revoked
        /// Its lease lapsed: no request within the lease time.
        case lapsed
    }

    public var composition: JobComposition
    public var state: State
    public var reason: String?
    public var leaseExpiresAt: Date

    public init(composition: JobComposition, state: State, reason: String?, leaseExpiresAt: Date) {
        self.composition = composition
        self.state = state
        self.reason = reason
        self.leaseExpiresAt = leaseExpiresAt
    }

    public var jobId: String { composition.jobId }
}
