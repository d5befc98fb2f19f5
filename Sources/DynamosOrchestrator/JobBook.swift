public import Foundation

/// The jobs the orchestrator approved and has not seen end, so agreement changes can re-plan or revoke them.
///
/// Jobs are forgotten when their token expires; a revoked job is removed at once.
public actor JobBook {
    private var jobs: [String: JobRecord] = [:]

    public init() {}

    public func add(_ job: JobRecord) {
        jobs[job.jobId] = job
    }

    public func job(_ id: String) -> JobRecord? { jobs[id] }

    /// The jobs whose tokens have not expired at `now`, oldest first; expired ones are dropped.
    public func active(now: Date = Date()) -> [JobRecord] {
        jobs = jobs.filter { $0.value.expiresAt > now }
        return jobs.values.sorted { ($0.createdAt, $0.jobId) < ($1.createdAt, $1.jobId) }
    }

    public func remove(_ id: String) {
        jobs[id] = nil
    }
}
