public import DynamosErrors

/// How many workers a pool may and should have.
public struct PoolLimits: Sendable, Codable, Equatable {
    public var min: Int
    public var max: Int

    public init(min: Int = 0, max: Int = 4) {
        self.min = min
        self.max = max
    }

    /// - Throws: `SupervisorError` when min is negative or above max, or max is zero.
    public func validate() throws(SupervisorError) {
        guard min >= 0, max >= 1, min <= max else {
            throw SupervisorError("pool limits need 0 <= min <= max and max >= 1; got min \(min), max \(max)")
        }
    }
}

/// The autoscaler's rule for one pool (opt-in): workers = ceil((ready + unacked) / target per worker), within the
/// pool's limits; up at once, down only after the load stayed lower for the stable window, and only idle workers.
public struct AutoscalePolicy: Sendable, Codable, Equatable {
    /// Messages (waiting or in flight) one worker should have.
    public var targetPerWorker: Int
    /// How long the load must stay below the current count before the pool shrinks.
    public var stableWindowSeconds: Double

    public init(targetPerWorker: Int, stableWindowSeconds: Double = 60) {
        self.targetPerWorker = targetPerWorker
        self.stableWindowSeconds = stableWindowSeconds
    }

    /// The largest target per worker and the longest stable window a policy may ask for.
    public static let maximumTarget = 100_000
    public static let maximumWindowSeconds = 86_400.0

    /// - Throws: `SupervisorError` for a target outside 1...100000 or a window that is not a number of seconds in
    ///   0...86400 (a day).
    public func validate() throws(SupervisorError) {
        guard (1...Self.maximumTarget).contains(targetPerWorker), stableWindowSeconds.isFinite,
            (0...Self.maximumWindowSeconds).contains(stableWindowSeconds)
        else {
            throw SupervisorError(
                "autoscale needs targetPerWorker in 1...\(Self.maximumTarget) and stableWindowSeconds in "
                    + "0...\(Int(Self.maximumWindowSeconds)); got \(targetPerWorker) and \(stableWindowSeconds)")
        }
    }

    /// The worker count this load asks for, within `limits`.
    public func workers(forLoad load: Int, within limits: PoolLimits) -> Int {
        let wanted = (load + targetPerWorker - 1) / targetPerWorker
        return Swift.min(Swift.max(wanted, limits.min), limits.max)
    }
}

/// The supervisor's timing: idle timeout, drain deadline, readiness wait, restart backoff.
public struct SupervisorSettings: Sendable {
    public var party: String
    /// A worker with no delivery for this long is reaped (down to the pool's minimum).
    public var idleTimeout: Duration
    /// How long a draining worker may take before it is killed.
    public var drainTimeout: Duration
    /// How long a new worker may take to report ready.
    public var readyTimeout: Duration
    /// How often the supervisor reconciles pools, reaps and looks at queues of empty pools.
    public var tick: Duration
    /// The first restart delay after a crash; it doubles per crash up to `maximumBackoff`.
    public var initialBackoff: Duration
    public var maximumBackoff: Duration
    /// This many crashes within `crashWindow` make a crash loop.
    public var crashLoopCount: Int
    public var crashWindow: Duration
    /// The most workers a pool may have, whatever limits anyone sets (the party's `maxWorkersPerPool`).
    public var maximumWorkers: Int

    public init(
        party: String, idleTimeout: Duration = .seconds(300), drainTimeout: Duration = .seconds(10),
        readyTimeout: Duration = .seconds(30), tick: Duration = .milliseconds(200),
        initialBackoff: Duration = .milliseconds(250), maximumBackoff: Duration = .seconds(30),
        crashLoopCount: Int = 5, crashWindow: Duration = .seconds(60), maximumWorkers: Int = 8
    ) {
        self.party = party
        self.maximumWorkers = maximumWorkers
        self.idleTimeout = idleTimeout
        self.drainTimeout = drainTimeout
        self.readyTimeout = readyTimeout
        self.tick = tick
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.crashLoopCount = crashLoopCount
        self.crashWindow = crashWindow
    }
}

/// A supervisor request that cannot be met; the message says what to change.
public struct SupervisorError: DynamosError, Sendable {
    public let message: String
    /// The error underneath, when this one reports on another.
    public let cause: ErrorCause?

    public init(_ message: String, cause: (any Error)? = nil) {
        self.message = message
        self.cause = ErrorCause?(wrapping: cause)
    }

    /// The one way to say a pool does not exist.
    static func noPool(_ service: String, at party: String, known: some Collection<String>) -> SupervisorError {
        SupervisorError("\(party) has no \(service) pool; it has \(known.sorted())")
    }
}
