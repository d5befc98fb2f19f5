/// What `dynamos bench load` measured. The top level sums every run (percentiles over all their requests), in
/// the shape `--json` writes: `{"requests", "completed", "lost", "duplicated", "errors", "throughputPerSec",
/// "p50Ms", "p90Ms", "p99Ms", "p999Ms", "maxMs", ..., "runs": [...]}`.
public struct LoadReport: Sendable, Codable, Equatable {
    public var machine: MachineInfo
    /// `open` or `closed`.
    public var arrival: String
    public var ratePerSec: Double?
    public var concurrency: Int?
    public var durationSeconds: Double
    public var steward: String
    public var rows: Int
    public var requests: Int
    public var completed: Int
    public var lost: Int
    public var duplicated: Int
    public var errors: Int
    /// Results the agent received when nobody waited for them (late after a timeout, or delivered twice); the
    /// client never saw them, so they do not count as duplicates.
    public var unmatchedResults: Int
    public var throughputPerSec: Double
    public var p50Ms: Double
    public var p90Ms: Double
    public var p99Ms: Double
    public var p999Ms: Double
    public var maxMs: Double
    public var runs: [LoadRun]
}

/// One run: one worker configuration under the plan's load.
public struct LoadRun: Sendable, Codable, Equatable {
    /// The worker counts pinned for the run; nil when the pools were left as they were.
    public var workers: [String: Int]?
    /// Measured requests sent.
    public var requests: Int
    /// Requests answered with their own result.
    public var completed: Int
    /// Requests whose result never came in time: the agent answered 504 (its request timeout passed).
    public var lost: Int
    /// Answers seen more than once: a request id or a tag answered twice.
    public var duplicated: Int
    /// Requests answered with an error, the client's own failures (connection, its timeout) included, and answers
    /// carrying another request's result.
    public var errors: Int
    /// Answers whose result carried another request's tag (counted in `errors` too).
    public var misrouted: Int
    /// The agent's `dynamos_results_unmatched_total` over the run: results that came when nobody waited.
    public var unmatchedResults: Int
    public var throughputPerSec: Double
    public var p50Ms: Double
    public var p90Ms: Double
    public var p99Ms: Double
    public var p999Ms: Double
    public var maxMs: Double
    /// Per second of the run: completions and their latency.
    public var timeline: [TimelinePoint]
    public var firstError: String?

    /// `query=2,algorithm=1`, or `as running`.
    public var label: String {
        guard let workers else { return "as running" }
        return workers.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }
}

/// One second of a run.
public struct TimelinePoint: Sendable, Codable, Equatable {
    /// Seconds since the run's measured part began.
    public var second: Int
    public var completed: Int
    public var p50Ms: Double
    public var p99Ms: Double
}
