import DynamosStatusLines
import Foundation

/// The supervisor's workers: starting one with its watcher, applying its status lines in order, noticing its exit
/// (a crash restarts it after a backoff), draining it with a deadline, and waking callers that wait for one.
extension Supervisor {
    func spawn(_ service: String, forWaitingWork: Bool = false) {
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
        pools[service]?.wanted = false
        pools[service]?.spawns += 1
        metrics.spawned(service)
        // Run by ``run()`` in its task group: the status lines until the worker exits, then the exit.
        newWatcher.yield { [self] in
            await withDiscardingTaskGroup { watch in
                watch.addTask {
                    for await report in reports { await self.received(report, from: id) }
                }
                let status = await handle.exitStatus()
                reported.finish()
                await self.exited(id, status: status)
            }
        }
    }

    func received(_ report: WorkerStatus, from id: Int) {
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

    func exited(_ id: Int, status: Int32) {
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
    func crashed(_ service: String) {
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

    /// Sends SIGTERM; the tick kills the worker if it has not exited by the drain deadline.
    func drain(_ id: Int) {
        guard var worker = workers[id] else { return }
        worker.intentional = true
        worker.state = .draining
        worker.drainDeadline = .now + settings.drainTimeout
        workers[id] = worker
        worker.handle.drain()
    }

    func live(_ service: String) -> Int {
        workers.values.filter { $0.service == service && $0.state != .draining }.count
    }

    func hasReadyWorker(_ service: String) -> Bool {
        workers.values.contains { $0.service == service && ($0.state == .ready || $0.state == .busy) }
    }

    /// Whether a worker of `service` became ready within the readiness timeout.
    func waitUntilReady(_ service: String) async -> Bool {
        if hasReadyWorker(service) { return true }
        return await readyWorkers.wait(for: service, timeout: settings.readyTimeout) ?? false
    }

    func wakeWaiters(_ service: String) {
        readyWorkers.resume(service, with: true)
    }
}
