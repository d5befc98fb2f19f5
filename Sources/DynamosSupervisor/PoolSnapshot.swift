/// `GET /agent/v1/workers` and `dynamos workers --json`: every pool of a party with its workers.
public struct WorkersSnapshot: Sendable, Codable, Equatable {
    public var pools: [PoolSnapshot]

    public init(pools: [PoolSnapshot]) {
        self.pools = pools
    }
}

/// One pool: its counts, its queue's depth, its workers, and what the supervisor did with it.
public struct PoolSnapshot: Sendable, Codable, Equatable {
    public var party: String
    public var service: String
    public var min: Int
    public var max: Int
    public var desired: Int
    /// Messages ready in the pool's queue; nil when the broker could not be asked.
    public var queueDepth: Int?
    public var workers: [WorkerSnapshot]
    public var spawns: Int
    public var reaps: Int
    public var crashes: Int
    /// Set while the pool's workers keep dying soon after they start; restarts continue at the longest backoff.
    public var crashLoop: Bool
    /// The autoscaler's rule, when it is on for this pool.
    public var autoscale: AutoscalePolicy?
}

/// One worker of a pool.
public struct WorkerSnapshot: Sendable, Codable, Equatable {
    /// `starting`, `ready`, `busy` or `draining`.
    public var state: String
    public var pid: Int32
    public var processed: Int
    public var idleSeconds: Double
    public var rssBytes: Int?
}
