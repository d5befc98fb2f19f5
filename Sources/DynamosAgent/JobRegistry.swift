public import DynamosControl
public import Foundation
import GRDB
import Synchronization

/// An agent's jobs in SQLite (GRDB), so a restarted agent keeps them: compositions, state and leases.
///
/// Every data request renews the job's lease (10 minutes by default); a job whose lease lapses is ended by
/// `sweep` and refused from then on, as is a job the orchestrator revoked. A newer composition (higher revision)
/// replaces an older one and the same one is taken again (the orchestrator resends when a receipt went missing); a
/// final revocation is never undone, one from a re-plan only by a higher revision.
public final class JobRegistry: Sendable {
    private let database: DatabaseQueue
    /// Jobs as last read, so a stream of requests does not read and decode the job on each one; any write
    /// through this registry empties it.
    private let recent = RecentJobs()
    public let leaseDuration: Duration

    /// Opens (or creates) the registry at `path`; nil keeps it in memory.
    /// - Throws: `ControlError` `.internalError` when the database cannot be opened or migrated.
    public init(path: String?, leaseDuration: Duration = .seconds(600)) throws(ControlError) {
        self.leaseDuration = leaseDuration
        do {
            if let path {
                let directory = (path as NSString).deletingLastPathComponent
                if !directory.isEmpty {
                    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                }
                database = try DatabaseQueue(path: path, configuration: Self.configuration)
            } else {
                database = try DatabaseQueue()
            }
            try StoredJob.migrator.migrate(database)
        } catch {
            throw ControlError(
                .internalError,
                "the job registry at \(path ?? ":memory:") cannot be opened (check the path, its permissions and "
                    + "disk space)", cause: error)
        }
    }

    /// Stores a composition; a fresh job's lease starts now.
    /// - Returns: false when it was not taken: an older revision, a lapsed job, a job revoked for good, or one
    ///   revoked by a re-plan that this revision does not supersede.
    @discardableResult
    public func store(_ composition: JobComposition, now: Date = Date()) async throws(ControlError) -> Bool {
        let fresh = try StoredJob(composition, lease: now.addingTimeInterval(seconds(leaseDuration)))
        return try await write { db in
            guard var stored = try StoredJob.fetchOne(db, key: composition.jobId) else {
                try fresh.insert(db)
                return true
            }
            switch stored.state {
            case .lapsed: return false
            case .revoked where stored.final || composition.revision <= stored.revision: return false
            case .active where composition.revision < stored.revision: return false
            case .active, .revoked: break
            }
            try stored.replace(with: composition, lease: fresh.leaseExpiresAt)
            try stored.update(db)
            return true
        }
    }

    /// Ends `jobId` with `reason`; it is refused from now on. `finally` makes it permanent (the user lost
    /// permission); otherwise a composition with a higher revision brings the job back (a re-plan moved it away and
    /// back). A revocation for an unknown job is kept a day, so a late composition cannot bring it back.
    public func revoke(
        _ jobId: String, reason: String, finally: Bool = true, now: Date = Date()
    ) async throws(ControlError) {
        try await write { db in
            guard var stored = try StoredJob.fetchOne(db, key: jobId) else {
                try StoredJob(revoked: jobId, reason: reason, final: finally, now: now).insert(db)
                return
            }
            stored.state = .revoked
            stored.reason = reason
            stored.final = stored.final || finally
            try stored.update(db)
        }
    }

    /// The job `jobId` when it is active and its lease holds, with the lease renewed from `now`.
    /// - Throws: `ControlError` `.notFound` for an unknown job, `.forbidden` for a revoked or lapsed one.
    public func lease(_ jobId: String, now: Date = Date()) async throws(ControlError) -> AgentJob {
        let renewed = now.addingTimeInterval(seconds(leaseDuration))
        if let job = try await recentlyRenewed(jobId, renewed: renewed) { return job }
        let stored: StoredJob? = try await write { db in
            guard var stored = try StoredJob.fetchOne(db, key: jobId) else { return nil }
            guard stored.state == .active else { return stored }
            if stored.leaseExpiresAt <= now {
                stored.state = .lapsed
                stored.reason = StoredJob.lapsedReason
            } else {
                stored.leaseExpiresAt = renewed
            }
            try stored.update(db)
            return stored
        }
        guard let stored, stored.revision > 0 else {
            if let stored, stored.state == .revoked {
                throw ControlError(.forbidden, "job \(jobId) was revoked: \(stored.reason ?? "no reason given")")
            }
            throw ControlError(.notFound, "job \(jobId) is not known here; ask the orchestrator for approval first")
        }
        switch stored.state {
        case .active: return try stored.job()
        case .revoked:
            throw ControlError(.forbidden, "job \(jobId) was revoked: \(stored.reason ?? "no reason given")")
        case .lapsed:
            throw ControlError(.forbidden, "job \(jobId) ended: its lease lapsed; ask the orchestrator for approval again")
        }
    }

    /// The job `jobId` as stored, whatever its state.
    public func job(_ jobId: String) async throws(ControlError) -> AgentJob? {
        try await read { db in try StoredJob.fetchOne(db, key: jobId) }?.job()
    }

    /// Ends every active job whose lease lapsed before `now`, and forgets ended jobs a day after their lease.
    /// - Returns: the jobs ended now.
    @discardableResult
    public func sweep(now: Date = Date()) async throws(ControlError) -> [String] {
        let cutoff = now.timeIntervalSince1970
        return try await write { db in
            let lapsing = StoredJob.filter(
                StoredJob.Columns.state == AgentJob.State.active && StoredJob.Columns.leaseExpiresAt <= cutoff)
            let lapsed = try lapsing.select(StoredJob.Columns.id, as: String.self).fetchAll(db)
            try lapsing.updateAll(
                db, StoredJob.Columns.state.set(to: AgentJob.State.lapsed),
                StoredJob.Columns.reason.set(to: StoredJob.lapsedReason))
            try StoredJob.filter(
                StoredJob.Columns.state != AgentJob.State.active
                    && StoredJob.Columns.leaseExpiresAt <= cutoff - 86_400
            ).deleteAll(db)
            return lapsed
        }
    }

    /// How many jobs are active.
    public func activeCount() async throws(ControlError) -> Int {
        try await read { db in try StoredJob.filter(StoredJob.Columns.state == AgentJob.State.active).fetchCount(db) }
    }

    /// WAL with `synchronous = NORMAL`: a lease renewal on every request costs no fsync, while a committed
    /// change survives a crash of the agent (only a power loss can take the last renewals back).
    static var configuration: Configuration {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")
        }
        return configuration
    }

    /// The job when it is active and its lease was renewed within the last second (a read, no write): a stream of
    /// requests renews the lease at most once a second instead of writing on every request.
    private func recentlyRenewed(_ jobId: String, renewed: Date) async throws(ControlError) -> AgentJob? {
        let job: AgentJob?
        let (generation, remembered) = recent.state.withLock { ($0.generation, $0.jobs[jobId]) }
        if let remembered {
            job = remembered
        } else {
            job = try await read { db in try StoredJob.fetchOne(db, key: jobId) }?.job()
            if let job {
                recent.state.withLock { state in
                    if state.generation == generation { state.jobs[jobId] = job }
                }
            }
        }
        guard let job, job.state == .active, job.composition.revision > 0,
            job.leaseExpiresAt.timeIntervalSince1970 >= renewed.timeIntervalSince1970 - 1
        else { return nil }
        return job
    }

    /// Runs `body` in a write transaction on GRDB's writer queue, off the cooperative pool; the recent jobs are
    /// forgotten before and after.
    private func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws(ControlError) -> T {
        recent.forget()
        defer { recent.forget() }
        do {
            return try await database.write(body)
        } catch let error as ControlError {
            throw error
        } catch {
            throw ControlError(
                .internalError, "the job registry failed (check the disk and its permissions)", cause: error)
        }
    }

    /// Runs `body` in a read on GRDB's queue, off the cooperative pool.
    private func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws(ControlError) -> T {
        do {
            return try await database.read(body)
        } catch {
            throw ControlError(
                .internalError, "the job registry failed (check the disk and its permissions)", cause: error)
        }
    }

    private func seconds(_ duration: Duration) -> TimeInterval {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// The jobs a registry read last, by id. Every write bumps the generation, so a read that raced a write never
/// stores what it read.
private final class RecentJobs: Sendable {
    struct State {
        var generation = 0
        var jobs: [String: AgentJob] = [:]
    }

    let state = Mutex(State())

    func forget() {
        state.withLock { state in
            state.generation += 1
            state.jobs.removeAll()
        }
    }
}
