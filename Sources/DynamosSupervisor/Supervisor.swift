import Foundation
public import DynamosControl
public import Logging
import DynamosWaiting
import DynamosStatusLines

/// A party's worker pools: keeps each at its desired count, restarts crashed workers with backoff, reaps idle ones,
/// starts them again on demand (scale from zero), and drains them all at shutdown.
///
/// Workers report their state on standard output (``WorkerStatus``: `ready`, `taken`, `processed`, `draining`, ...);
/// the supervisor counts a worker busy while it has anything in flight, and never reaps or scales down a busy worker.
/// Spawning sits behind `WorkerSpawner`, so a Kubernetes backend can replace local processes.
///
/// ``run()`` owns every task the supervisor needs: its tick and, in a task group, one watcher per worker (its
/// status lines and its exit). A worker's readiness and drain deadlines are instants checked by the tick; a
/// caller's wait for a ready worker is a ``WaitingRoom`` wait with a timeout.
public actor Supervisor: WorkerProvisioner {
    /// Ready messages and consumers of a queue, from a passive declare; nil when the broker could not be asked.
    public typealias QueueProbe = @Sendable (String) async -> (ready: Int, consumers: Int)?

    struct Worker {
        let service: String
        let handle: any WorkerHandle
        let started: ContinuousClock.Instant
        var state = WorkerState.starting
        var processed = 0
        var failed = 0
        var inFlight = 0
        /// Started because work was waiting (scale from zero), so its spawn-to-ready time is a cold start.
        var forWaitingWork = false
        var lastActivity: ContinuousClock.Instant
        /// Drained or killed by the supervisor (a reap, a scale-down, a readiness timeout), so its exit is no crash.
        var intentional = false
        /// When a draining worker is killed if it has not exited.
        var drainDeadline: ContinuousClock.Instant?
    }

    struct Pool {
        var limits: PoolLimits
        var desired: Int
        var spawns = 0
        var reaps = 0
        var crashes = 0
        var recentCrashes: [ContinuousClock.Instant] = []
        var backoff: Duration
        var notBefore: ContinuousClock.Instant?
        var queueDepth: Int?
        var autoscale: AutoscalePolicy?
        /// Work waits for this pool (a request asked for it, or its queue has messages and no consumer).
        var wanted = false
        /// Since when the autoscaler has wanted fewer workers than desired.
        var lowerSince: ContinuousClock.Instant?
    }

    public let settings: SupervisorSettings
    /// The pools' Prometheus metrics.
    public nonisolated let metrics: SupervisorMetrics
    let spawner: any WorkerSpawner
    let probe: QueueProbe
    let logger: Logger
    var pools: [String: Pool] = [:]
    var workers: [Int: Worker] = [:]
    var nextWorker = 0
    /// Callers waiting for a ready worker of a service.
    let readyWorkers = WaitingRoom<String, Bool>()
    var stopping = false
    var lastProbe = ContinuousClock.now - .seconds(60)
    /// Watchers of new workers, for ``run()`` to start in its task group.
    let watchers: AsyncStream<@Sendable () async -> Void>
    let newWatcher: AsyncStream<@Sendable () async -> Void>.Continuation
    /// `--once` workers started for ephemeral requests.
    public private(set) var ephemeralSpawns = 0

    /// A supervisor of `pools` (service to limits); each pool starts at its minimum.
    public init(
        settings: SupervisorSettings, pools: [String: PoolLimits], spawner: any WorkerSpawner,
        probe: @escaping QueueProbe, logger: Logger
    ) {
        self.settings = settings
        self.metrics = SupervisorMetrics(party: settings.party)
        self.spawner = spawner
        self.probe = probe
        self.logger = logger
        (watchers, newWatcher) = AsyncStream.makeStream()
        for (service, limits) in pools {
            self.pools[service] = Pool(limits: limits, desired: limits.min, backoff: settings.initialBackoff)
        }
    }

    /// The queue a pool consumes.
    public nonisolated func queue(of service: String) -> String { "dynamos.\(settings.party).\(service)" }

    // MARK: WorkerProvisioner

    /// Makes sure every one of `services` has a ready worker, starting one in each pool at zero (scale from zero),
    /// all at once.
    /// - Returns: for each service that had no ready worker, how long until one was ready (the cold path).
    public func ensureRunning(_ services: [String]) async throws -> [String: Duration] {
        let asked = ContinuousClock.now
        var missing: [String] = []
        for service in services {
            let pool = try pool(service)
            if hasReadyWorker(service) { continue }
            missing.append(service)
            if pool.desired == 0 { scaleFromZero(service, because: "a request needs it") }
        }
        reconcile()
        var cold: [String: Duration] = [:]
        for service in missing {
            guard await waitUntilReady(service) else {
                throw SupervisorError("no \(service) worker at \(settings.party) became ready within \(settings.readyTimeout)")
            }
            cold[service] = asked.duration(to: .now)
        }
        return cold
    }

    /// Starts a `--once` worker of `service` on `queue` (ephemeral mode); it is not part of any pool.
    public func spawnOnce(_ service: String, queue: String) async throws -> any WorkerHandle {
        guard !stopping else { throw SupervisorError("the agent is stopping; no ephemeral \(service) worker") }
        let handle = try spawner.spawn(
            SpawnRequest(service: service, party: settings.party, queue: queue, once: true)) { _ in }
        ephemeralSpawns += 1
        return handle
    }

    // MARK: Operators

    /// Sets a pool's limits; the desired count moves inside them at once.
    public func setLimits(_ limits: PoolLimits, for service: String) throws(SupervisorError) {
        try limits.validate()
        try checkCap(limits, for: service)
        var pool = try pool(service)
        pool.limits = limits
        pool.desired = Swift.min(Swift.max(pool.desired, limits.min), limits.max)
        pools[service] = pool
        reconcile()
    }

    /// Sets a pool's limits, and optionally its count now and its autoscaler (`.some(nil)` turns it off), all or
    /// nothing: every part is checked before any is applied.
    /// - Throws: `SupervisorError` saying which part is out of range.
    public func change(
        _ service: String, limits: PoolLimits, desired: Int? = nil, autoscale: AutoscalePolicy?? = nil
    ) throws(SupervisorError) {
        try limits.validate()
        _ = try pool(service)
        try checkCap(limits, for: service)
        if let desired, !(limits.min...limits.max).contains(desired) {
            throw SupervisorError("\(service) wants \(desired) workers, outside its limits \(limits.min)...\(limits.max)")
        }
        if case .some(.some(let policy)) = autoscale { try policy.validate() }
        try setLimits(limits, for: service)
        if let desired { try setDesired(desired, for: service) }
        if case .some(let policy) = autoscale { try setAutoscale(policy, for: service) }
    }

    private func checkCap(_ limits: PoolLimits, for service: String) throws(SupervisorError) {
        guard limits.max <= settings.maximumWorkers else {
            throw SupervisorError(
                "\(settings.party) caps every pool at \(settings.maximumWorkers) workers (its maxWorkersPerPool); "
                    + "\(service) asked for max \(limits.max)")
        }
    }

    /// Turns the autoscaler on for a pool (or off with nil).
    public func setAutoscale(_ policy: AutoscalePolicy?, for service: String) throws(SupervisorError) {
        try policy?.validate()
        var pool = try pool(service)
        pool.autoscale = policy
        pool.lowerSince = nil
        pools[service] = pool
    }

    /// Sets how many workers a pool should run now, within its limits.
    public func setDesired(_ desired: Int, for service: String) throws(SupervisorError) {
        var pool = try pool(service)
        guard (pool.limits.min...pool.limits.max).contains(desired) else {
            throw SupervisorError(
                "\(service) wants \(desired) workers, outside its limits \(pool.limits.min)...\(pool.limits.max)")
        }
        pool.desired = desired
        pools[service] = pool
        reconcile()
    }

    /// Every pool with its workers, for `GET /agent/v1/workers`.
    public func snapshot() -> WorkersSnapshot {
        let now = ContinuousClock.now
        return WorkersSnapshot(
            pools: pools.sorted { $0.key < $1.key }.map { service, pool in
                let members = workers.values.filter { $0.service == service }.sorted { $0.started < $1.started }
                return PoolSnapshot(
                    party: settings.party, service: service, min: pool.limits.min, max: pool.limits.max,
                    desired: pool.desired, queueDepth: pool.queueDepth,
                    workers: members.map { worker in
                        WorkerSnapshot(
                            state: worker.state, pid: worker.handle.pid, processed: worker.processed,
                            idleSeconds: Self.seconds(worker.lastActivity.duration(to: now)),
                            rssBytes: worker.handle.residentBytes())
                    },
                    spawns: pool.spawns, reaps: pool.reaps, crashes: pool.crashes,
                    crashLoop: pool.recentCrashes.count >= settings.crashLoopCount,
                    autoscale: pool.autoscale.map {
                        AutoscaleRule(targetPerWorker: $0.targetPerWorker, stableWindowSeconds: $0.stableWindowSeconds)
                    })
            })
    }

    /// The pool of `service`; every caller that names a pool says it does not exist the same way.
    func pool(_ service: String) throws(SupervisorError) -> Pool {
        guard let pool = pools[service] else { throw .noPool(service, at: settings.party, known: pools.keys) }
        return pool
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
