import DynamosControl
import Foundation

/// The supervisor's loop: every tick it checks deadlines, reaps idle workers, probes the queues, autoscales and
/// reconciles each pool with its desired count.
extension Supervisor {
    /// Ticks until cancelled, then drains every worker; watches each worker it starts meanwhile. Returns when every
    /// worker has exited and every watcher has finished.
    public func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask {
                while !Task.isCancelled {
                    await self.tick()
                    try? await Task.sleep(for: self.settings.tick)
                }
                await self.shutdown()
                self.newWatcher.finish()
            }
            // Cancelling the run ends this loop: a worker started in the same instant is then not watched, and the
            // drain waits out its deadline instead of its exit report; nothing is spawned once stopping.
            for await watcher in watchers { group.addTask(operation: watcher) }
        }
    }

    /// One round: deadlines, reaping, queue probes (all pools at most once a second, autoscaled ones every tick),
    /// autoscaling, reconciling.
    func tick() async {
        let now = ContinuousClock.now
        enforceDeadlines(now: now)
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

    /// Kills workers that did not become ready or did not drain in time.
    func enforceDeadlines(now: ContinuousClock.Instant) {
        for (id, worker) in workers {
            if worker.state == .starting, worker.started.duration(to: now) > settings.readyTimeout {
                logger.error("worker did not become ready; killing it", metadata: ["service": "\(worker.service)", "pid": "\(worker.handle.pid)"])
                workers[id]?.intentional = false
                worker.handle.kill()
            } else if worker.state == .draining, let deadline = worker.drainDeadline, deadline < now {
                logger.warning("worker did not drain in time; killed it (its unacked messages are redelivered)",
                               metadata: ["service": "\(worker.service)", "pid": "\(worker.handle.pid)"])
                workers[id]?.drainDeadline = nil
                worker.handle.kill()
            }
        }
    }

    /// Drains every worker and waits for them to exit, killing those past their drain deadline; callers waiting
    /// for a ready worker get no.
    public func shutdown() async {
        stopping = true
        for (id, worker) in workers where worker.state != .draining { drain(id) }
        readyWorkers.resumeAll()
        let now = ContinuousClock.now
        let exits = workers.values.map { ($0.handle, $0.drainDeadline.map { now.duration(to: $0) } ?? .zero) }
        // The run that calls this is being cancelled; the drain deadlines must still be waited out, not cut short.
        await Task {
            await withTaskGroup(of: Void.self) { group in
                for (handle, left) in exits { group.addTask { await handle.exit(within: max(left, .zero)) } }
            }
        }.value
    }

    private func reap(now: ContinuousClock.Instant) {
        for (service, pool) in pools {
            let idle = workers.filter {
                $0.value.service == service && $0.value.state == .ready && $0.value.inFlight == 0
                    && $0.value.lastActivity.duration(to: now) >= settings.idleTimeout
            }.sorted { $0.value.lastActivity < $1.value.lastActivity }
            for (id, worker) in idle where live(service) > pool.limits.min {
                pools[service]?.desired = Swift.max(pool.limits.min, live(service) - 1)
                pools[service]?.reaps += 1
                metrics.reaped(service)
                logger.info("reaping an idle worker", metadata: ["service": "\(service)", "pid": "\(worker.handle.pid)"])
                drain(id)
            }
        }
    }

    private func probeQueues(autoscaledOnly: Bool = false) async {
        for service in pools.keys.sorted() where !autoscaledOnly || pools[service]?.autoscale != nil {
            guard let status = await probe(queue(of: service)) else { continue }
            pools[service]?.queueDepth = status.ready
            metrics.queueDepth(service, status.ready)
            if status.ready > 0, status.consumers == 0, pools[service]?.desired == 0, !stopping {
                scaleFromZero(service, because: "\(status.ready) messages wait")
            }
        }
    }

    /// Asks for one worker in a pool at zero, for work that waits.
    func scaleFromZero(_ service: String, because reason: String) {
        pools[service]?.desired = 1
        pools[service]?.wanted = true
        logger.info("scaling from zero", metadata: ["service": "\(service)", "reason": "\(reason)"])
    }

    private func recordWorkerStates() {
        for service in pools.keys {
            let members = workers.values.filter { $0.service == service }
            for state in WorkerState.allCases {
                metrics.workers(service, state: state.rawValue, members.filter { $0.state == state }.count)
            }
        }
    }

    /// Applies each autoscaled pool's rule: up at once, down after the stable window.
    private func autoscale(now: ContinuousClock.Instant) {
        for (service, var pool) in pools {
            guard let policy = pool.autoscale, !stopping else { continue }
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

    /// Starts workers where a pool has fewer than desired (after its crash backoff), drains idle ones where it has
    /// more.
    func reconcile() {
        guard !stopping else { return }
        let now = ContinuousClock.now
        for (service, pool) in pools.sorted(by: { $0.key < $1.key }) {
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
}
