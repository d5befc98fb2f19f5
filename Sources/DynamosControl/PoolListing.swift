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
    public var autoscale: AutoscaleRule?

    public init(
        party: String, service: String, min: Int, max: Int, desired: Int, queueDepth: Int?, workers: [WorkerSnapshot],
        spawns: Int, reaps: Int, crashes: Int, crashLoop: Bool, autoscale: AutoscaleRule?
    ) {
        self.party = party
        self.service = service
        self.min = min
        self.max = max
        self.desired = desired
        self.queueDepth = queueDepth
        self.workers = workers
        self.spawns = spawns
        self.reaps = reaps
        self.crashes = crashes
        self.crashLoop = crashLoop
        self.autoscale = autoscale
    }
}

/// A pool's autoscaling rule as it travels: messages per worker, and how long the load must stay low before the
/// pool shrinks.
public struct AutoscaleRule: Sendable, Codable, Equatable {
    public var targetPerWorker: Int
    public var stableWindowSeconds: Double

    public init(targetPerWorker: Int, stableWindowSeconds: Double) {
        self.targetPerWorker = targetPerWorker
        self.stableWindowSeconds = stableWindowSeconds
    }
}

/// Where a worker is in its life, as the supervisor sees it; in JSON its name (`"ready"`).
public enum WorkerState: String, Sendable, Codable, CaseIterable {
    /// Spawned, not yet consuming.
    case starting
    /// Consuming, nothing in flight.
    case ready
    /// Consuming, something in flight: never reaped or scaled down.
    case busy
    /// Asked to stop (or stopping on its own): finishing what it holds.
    case draining
}

/// One worker of a pool.
public struct WorkerSnapshot: Sendable, Codable, Equatable {
    public var state: WorkerState
    public var pid: Int32
    public var processed: Int
    public var idleSeconds: Double
    public var rssBytes: Int?

    public init(state: WorkerState, pid: Int32, processed: Int, idleSeconds: Double, rssBytes: Int?) {
        self.state = state
        self.pid = pid
        self.processed = processed
        self.idleSeconds = idleSeconds
        self.rssBytes = rssBytes
    }
}

/// The body of `PUT /agent/v1/workers/{service}`: limits, optionally the count now and the autoscaler's rule
/// (`"autoscale": {"targetPerWorker": 4, "stableWindowSeconds": 60}`, or `{"off": true}`).
public struct PoolChange: Sendable, Codable, Equatable {
    public var min: Int
    public var max: Int
    public var desired: Int?
    public var autoscale: AutoscaleChange?

    /// The autoscaler part of a change: a target per worker, or `off`.
    public struct AutoscaleChange: Sendable, Codable, Equatable {
        public var targetPerWorker: Int?
        public var stableWindowSeconds: Double?
        public var off: Bool?

        public init(targetPerWorker: Int? = nil, stableWindowSeconds: Double? = nil, off: Bool? = nil) {
            self.targetPerWorker = targetPerWorker
            self.stableWindowSeconds = stableWindowSeconds
            self.off = off
        }
    }

    public init(min: Int, max: Int, desired: Int? = nil, autoscale: AutoscaleChange? = nil) {
        self.min = min
        self.max = max
        self.desired = desired
        self.autoscale = autoscale
    }
}

/// `GET /health` of an agent.
public struct AgentHealth: Sendable, Codable, Equatable {
    public var status = "ok"
    public var party: String
    public var configVersion: Int

    public init(party: String, configVersion: Int) {
        self.party = party
        self.configVersion = configVersion
    }
}
