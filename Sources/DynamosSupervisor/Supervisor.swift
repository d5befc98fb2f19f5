import Foundation
public import DynamosControl
public import Logging
import DynamosWorkerStatus

/// A party's worker pools: keeps each at its desired count, restarts crashed workers with backoff, reaps idle ones,
/// starts them again on demand (scale from zero), and drains them all at shutdown.
///
/// Workers report their state on standard output (`ready`, `taken`, `processed`, `draining`, ...); the supervisor
/// counts a worker busy from `taken` until it has nothing in flight, and never reaps or scales down a busy worker.
/// Spawning sits behind `WorkerSpawner`, so a Kubernetes backend can replace local processes.
public actor Supervisor: WorkerProvisioner {
    /// Ready messages and consumers of a queue, from a passive declare; nil when the broker could not be asked.
    public typealias QueueProbe = @Sendable (String) async -> (ready: Int, consumers: Int)?

    enum State: String {
        case starting, ready, busy, draining
    }

    struct Worker {
        let service: String
        let handle: any WorkerHandle
        let started: ContinuousClock.Instant
        var state = State.starting
        var processed = 0
        var failed = 0
        var inFlight = 0
        /// Started because work was waiting (scale from zero), so its spawn-to-ready time is a cold start.
        var forWaitingWork = false
        var lastActivity: ContinuousClock.Instant
        /// Drained or killed by the supervisor (a reap, a scale-down, a readiness timeout), so its exit is no crash.
        var intentional = false
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

    private struct ReadyWaiter {
        let id: UUID
        let continuation: CheckedContinuation<Bool, Never>
    }

    public let settings: SupervisorSettings
    /// The pools' Prometheus metrics.
    public nonisolated let metrics: SupervisorMetrics
    private let spawner: any WorkerSpawner
    private let probe: QueueProbe
    private let logger: Logger
    private var pools: [String: Pool] = [:]
    private var workers: [Int: Worker] = [:]
    private var nextWorker = 0
    private var waiters: [String: [ReadyWaiter]] = [:]
    private var stopping = false
    private var lastProbe = ContinuousClock.now - .seconds(60)
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
            guard pools[service] != nil else {
                throw SupervisorError("\(settings.party) has no \(service) pool; known: \(pools.keys.sorted())")
            }
            if hasReadyWorker(service) { continue }
            missing.append(service)
            if pools[service]!.desired == 0 {
                pools[service]!.desired = 1
                pools[service]!.wanted = true
                logger.info("scaling from zero", metadata: ["service": "\(service)", "reason": "a request needs it"])
            }
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

    /// Drains every worker and waits for them to exit (killing those past the drain deadline).
    public func shutdown() async {
        stopping = true
        for (id, worker) in workers where worker.state != .draining { drain(id) }
        let handles = workers.values.map(\.handle)
        for handle in handles { _ = await handle.exitStatus() }
        for (_, list) in waiters { for waiter in list { waiter.continuation.resume(returning: false) } }
        waiters = [:]
    }

    // MARK: Operators

    /// Sets a pool's limits; the desired count moves inside them at once.
    public func setLimits(_ limits: PoolLimits, for service: String) throws(SupervisorError) {
        try limits.validate()
        try checkCap(limits, for: service)
        guard var pool = pools[service] else {
            throw SupervisorError("\(settings.party) has no \(service) pool; known: \(pools.keys.sorted())")
        }
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
        guard pools[service] != nil else {
            throw SupervisorError("\(settings.party) has no \(service) pool; known: \(pools.keys.sorted())")
        }
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
        guard pools[service] != nil else {
            throw SupervisorError("\(settings.party) has no \(service) pool; known: \(pools.keys.sorted())")
        }
        pools[service]!.autoscale = policy
        pools[service]!.lowerSince = nil
    }

    /// Sets how many workers a pool should run now, within its limits.
    public func setDesired(_ desired: Int, for service: String) throws(SupervisorError) {
        guard var pool = pools[service] else {
            throw SupervisorError("\(settings.party) has no \(service) pool; known: \(pools.keys.sorted())")
        }
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
            pools: pools.keys.sorted().map { service in
                let pool = pools[service]!
                let members = workers.values.filter { $0.service == service }.sorted { $0.started < $1.started }
                return PoolSnapshot(
                    party: settings.party, service: service, min: pool.limits.min, max: pool.limits.max,
                    desired: pool.desired, queueDepth: pool.queueDepth,
                    workers: members.map { worker in
                        WorkerSnapshot(
                            state: worker.state.rawValue, pid: worker.handle.pid, processed: worker.processed,
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

    // MARK: The loop

    /// Reconciles, reaps and looks at the queues of empty pools every tick, until cancelled; then drains.
    public func run() async {
        while !Task.isCancelled {
            await tick()
            try? await Task.sleep(for: settings.tick)
        }
        await shutdown()
    }

    /// One round: readiness timeouts, reaping, queue probes (at most once a second), reconciling.
    func tick() async {
        let now = ContinuousClock.now
        for (id, worker) in workers where worker.state == .starting
            && worker.started.duration(to: now) > settings.readyTimeout
        {
            logger.error("worker did not become ready; killing it", metadata: ["service": "\(worker.service)", "pid": "\(worker.handle.pid)"])
            workers[id]?.intentional = false
            worker.handle.kill()
        }
        reap(now: now)
        if lastProbe.duration(to: now) >= .seconds(1) {
            lastProbe = now
            await probeQueues()
        } else if pools.values.contains(where: { $0.autoscale != nil }) {
            await probeQueues(autoscaledOnly: true)
        }
        autoscale(now: now)
        reconcile()
        recordWorkerStates()
    }

    private func reap(now: ContinuousClock.Instant) {
        for service in pools.keys {
            let idle = workers.filter {
                $0.value.service == service && $0.value.state == .ready && $0.value.inFlight == 0
                    && $0.value.lastActivity.duration(to: now) >= settings.idleTimeout
            }.sorted { $0.value.lastActivity < $1.value.lastActivity }
            for (id, _) in idle where live(service) > pools[service]!.limits.min {
                pools[service]!.desired = Swift.max(pools[service]!.limits.min, live(service) - 1)
                pools[service]!.reaps += 1
                metrics.reaped(service)
                logger.info("reaping an idle worker", metadata: ["service": "\(service)", "pid": "\(workers[id]!.handle.pid)"])
                drain(id)
            }
        }
    }

    private func probeQueues(autoscaledOnly: Bool = false) async {
        for service in pools.keys.sorted() where !autoscaledOnly || pools[service]?.autoscale != nil {
            guard let status = await probe(queue(of: service)) else { continue }
            pools[service]?.queueDepth = status.ready
            metrics.queueDepth(service, status.ready)
            if status.ready > 0, status.consumers == 0, pools[service]!.desired == 0, !stopping {
                pools[service]!.desired = 1
                pools[service]!.wanted = true
                logger.info(
                    "scaling from zero", metadata: ["service": "\(service)", "reason": "\(status.ready) messages wait"])
            }
        }
    }

    private func recordWorkerStates() {
        for service in pools.keys {
            let members = workers.values.filter { $0.service == service }
            for state in [State.starting, .ready, .busy, .draining] {
                metrics.workers(service, state: state.rawValue, members.filter { $0.state == state }.count)
            }
        }
    }

    /// Applies each autoscaled pool's rule: up at once, down after the stable window.
    private func autoscale(now: ContinuousClock.Instant) {
        for service in pools.keys {
            guard var pool = pools[service], let policy = pool.autoscale, !stopping else { continue }
            let inFlight = workers.values.filter { $0.service == service }.map(\.inFlight).reduce(0, +)
            let wanted = policy.workers(forLoad: (pool.queueDepth ?? 0) + inFlight, within: pool.limits)
            if wanted > pool.desired {
                logger.info("autoscaling up", metadata: ["service": "\(service)", "workers": "\(pool.desired) -> \(wanted)"])
                pool.desired = wanted
                pool.lowerSince = nil
            } else if wanted < pool.desired {
                let since = pool.lowerSince ?? now
                pool.lowerSince = since
                if since.duration(to: now) >= .milliseconds(Int64(policy.stableWindowSeconds * 1000)) {
                    logger.info("autoscaling down", metadata: ["service": "\(service)", "workers": "\(pool.desired) -> \(wanted)"])
                    pool.desired = wanted
                    pool.lowerSince = nil
                }
            } else {
                pool.lowerSince = nil
            }
            pools[service] = pool
        }
    }

    private func reconcile() {
        guard !stopping else { return }
        let now = ContinuousClock.now
        for service in pools.keys.sorted() {
            let pool = pools[service]!
            let count = live(service)
            if count < pool.desired {
                if let notBefore = pool.notBefore, notBefore > now { continue }
                for _ in count..<pool.desired { spawn(service, forWaitingWork: count == 0 && pool.wanted) }
            } else if count > pool.desired {
                let idle = workers.filter { $0.value.service == service && $0.value.state == .ready && $0.value.inFlight == 0 }
                    .sorted { $0.value.lastActivity < $1.value.lastActivity }
                for (id, _) in idle.prefix(count - pool.desired) { drain(id) }
            }
        }
    }

    // MARK: Workers

    private func spawn(_ service: String, forWaitingWork: Bool = false) {
        nextWorker += 1
        let id = nextWorker
        let handle: any WorkerHandle
        // Reports are applied in the order the worker wrote them: a task per line could apply a worker's `held`
        // (nothing in flight) before the `processed` written just before it, and leave the worker busy for good,
        // so it would never be reaped or drained.
        let (reports, reported) = AsyncStream.makeStream(of: WorkerStatus.self)
        do {
            handle = try spawner.spawn(SpawnRequest(service: service, party: settings.party)) { report in
                reported.yield(report)
            }
        } catch {
            reported.finish()
            logger.error("a worker could not be started", metadata: ["service": "\(service)", "error": "\(error)"])
            crashed(service)
            return
        }
        let now = ContinuousClock.now
        workers[id] = Worker(
            service: service, handle: handle, started: now, forWaitingWork: forWaitingWork, lastActivity: now)
        pools[service]!.wanted = false
        pools[service]!.spawns += 1
        metrics.spawned(service)
        Task { [weak self] in
            for await report in reports {
                await self?.received(report, from: id)
            }
        }
        Task { [weak self] in
            let status = await handle.exitStatus()
            reported.finish()
            await self?.exited(id, status: status)
        }
    }

    private func received(_ report: WorkerStatus, from id: Int) {
        guard var worker = workers[id] else { return }
        metrics.processed(
            worker.service, count: report.processed - worker.processed, failed: report.failed - worker.failed)
        if report.event == .processed, report.lastMessageMicros > 0 {
            metrics.messageTook(worker.service, .microseconds(report.lastMessageMicros))
        }
        worker.processed = report.processed
        worker.failed = report.failed
        worker.inFlight = report.inFlight
        worker.lastActivity = .now
        switch report.event {
        case .ready:
            worker.state = .ready
            if worker.forWaitingWork { metrics.coldStart(worker.service, worker.started.duration(to: .now)) }
            logger.info(
                "worker ready",
                metadata: ["service": "\(worker.service)", "pid": "\(worker.handle.pid)",
                           "coldStart": "\(worker.started.duration(to: .now))"])
        case .draining, .stopped: worker.state = .draining
        case .taken, .processed, .deadLettered, .returned, .held:
            if worker.state != .draining { worker.state = worker.inFlight > 0 ? .busy : .ready }
        }
        workers[id] = worker
        if worker.state == .ready || worker.state == .busy { wakeWaiters(worker.service) }
    }

    private func exited(_ id: Int, status: Int32) {
        guard let worker = workers.removeValue(forKey: id) else { return }
        if worker.intentional || stopping {
            logger.info("worker exited", metadata: ["service": "\(worker.service)", "pid": "\(worker.handle.pid)", "status": "\(status)"])
        } else {
            logger.error(
                "worker crashed; restarting it", metadata: ["service": "\(worker.service)", "pid": "\(worker.handle.pid)", "status": "\(status)"])
            crashed(worker.service)
        }
        reconcile()
    }

    /// Records a crash: the next start waits the current backoff, which doubles up to the maximum.
    private func crashed(_ service: String) {
        guard var pool = pools[service] else { return }
        let now = ContinuousClock.now
        pool.crashes += 1
        metrics.crashed(service)
        pool.recentCrashes = pool.recentCrashes.filter { $0.duration(to: now) < settings.crashWindow } + [now]
        pool.notBefore = now + pool.backoff
        pool.backoff = Swift.min(pool.backoff * 2, settings.maximumBackoff)
        if pool.recentCrashes.count >= settings.crashLoopCount {
            logger.critical(
                "crash loop: workers keep dying; still restarting at the longest backoff",
                metadata: ["service": "\(service)", "crashes": "\(pool.recentCrashes.count)"])
        }
        pools[service] = pool
    }

    private func drain(_ id: Int) {
        guard var worker = workers[id] else { return }
        worker.intentional = true
        worker.state = .draining
        workers[id] = worker
        worker.handle.drain()
        let handle = worker.handle
        let deadline = settings.drainTimeout
        let logger = logger
        Task {
            if await !handle.exit(within: deadline) {
                logger.warning("worker did not drain in time; killed it (its unacked messages are redelivered)",
                               metadata: ["pid": "\(handle.pid)"])
            }
        }
    }

    private func live(_ service: String) -> Int {
        workers.values.filter { $0.service == service && $0.state != .draining }.count
    }

    private func hasReadyWorker(_ service: String) -> Bool {
        workers.values.contains { $0.service == service && ($0.state == .ready || $0.state == .busy) }
    }

    private func waitUntilReady(_ service: String) async -> Bool {
        if hasReadyWorker(service) { return true }
        let id = UUID()
        let timer = Task { [weak self, timeout = settings.readyTimeout] in
            try? await Task.sleep(for: timeout)
            await self?.giveUp(service, id)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in
            waiters[service, default: []].append(ReadyWaiter(id: id, continuation: continuation))
        }
    }

    private func wakeWaiters(_ service: String) {
        for waiter in waiters.removeValue(forKey: service) ?? [] { waiter.continuation.resume(returning: true) }
    }

    private func giveUp(_ service: String, _ id: UUID) {
        guard let index = waiters[service]?.firstIndex(where: { $0.id == id }) else { return }
        waiters[service]!.remove(at: index).continuation.resume(returning: false)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
