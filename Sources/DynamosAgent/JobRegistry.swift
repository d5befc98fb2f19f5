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
            var migrator = DatabaseMigrator()
            migrator.registerMigration("v1") { db in
                try db.create(table: "job") { table in
                    table.primaryKey("id", .text)
                    table.column("revision", .integer).notNull()
                    table.column("composition", .text).notNull()
                    table.column("state", .text).notNull()
                    table.column("reason", .text)
                    table.column("leaseExpiresAt", .double).notNull()
                }
            }
            migrator.registerMigration("v2: provisional revocations") { db in
                try db.alter(table: "job") { table in
                    table.add(column: "final", .boolean).notNull().defaults(to: true)
                }
            }
            try migrator.migrate(database)
        } catch {
            throw ControlError(.internalError, "the job registry at \(path ?? ":memory:") cannot be opened: \(error)")
        }
    }

    /// Stores a composition; a fresh job's lease starts now.
    /// - Returns: false when it was not taken: an older revision, a lapsed job, a job revoked for good, or one
    ///   revoked by a re-plan that this revision does not supersede.
    @discardableResult
    public func store(_ composition: JobComposition, now: Date = Date()) throws(ControlError) -> Bool {
        let body = try Self.encode(composition)
        let lease = now.addingTimeInterval(seconds(leaseDuration)).timeIntervalSince1970
        return try write { db in
            let sql = "SELECT revision, state, final FROM job WHERE id = ?"
            if let row = try Row.fetchOne(db, sql: sql, arguments: [composition.jobId]) {
                let revision: Int = row["revision"]
                let state = AgentJob.State(rawValue: row["state"]) ?? .revoked
                let final: Bool = row["final"]
                switch state {
                case .lapsed: return false
                case .revoked where final || composition.revision <= revision: return false
                case .active where composition.revision < revision: return false
                case .active, .revoked: break
                }
                try db.execute(
                    sql: """
                        UPDATE job SET revision = ?, composition = ?, state = 'active', reason = NULL, final = 0,
                        leaseExpiresAt = MAX(leaseExpiresAt, ?) WHERE id = ?
                        """,
                    arguments: [composition.revision, body, lease, composition.jobId])
                return true
            }
            try db.execute(
                sql: """
                    INSERT INTO job (id, revision, composition, state, reason, final, leaseExpiresAt)
                    VALUES (?, ?, ?, 'active', NULL, 0, ?)
                    """,
                arguments: [composition.jobId, composition.revision, body, lease])
            return true
        }
    }

    /// Ends `jobId` with `reason`; it is refused from now on. `finally` makes it permanent (the user lost
    /// permission); otherwise a composition with a higher revision brings the job back (a re-plan moved it away and
    /// back). A revocation for an unknown job is kept a day, so a late composition cannot bring it back.
    public func revoke(_ jobId: String, reason: String, finally: Bool = true, now: Date = Date()) throws(ControlError) {
        try write { db in
            try db.execute(
                sql: "UPDATE job SET state = 'revoked', reason = ?, final = (final OR ?) WHERE id = ?",
                arguments: [reason, finally, jobId])
            if db.changesCount == 0 {
                try db.execute(
                    sql: """
                        INSERT INTO job (id, revision, composition, state, reason, final, leaseExpiresAt)
                        VALUES (?, 0, '{}', 'revoked', ?, ?, ?)
                        """,
                    arguments: [jobId, reason, finally, now.timeIntervalSince1970])
            }
        }
    }

    /// The job `jobId` when it is active and its lease holds, with the lease renewed from `now`.
    /// - Throws: `ControlError` `.notFound` for an unknown job, `.forbidden` for a revoked or lapsed one.
    public func lease(_ jobId: String, now: Date = Date()) throws(ControlError) -> AgentJob {
        let renewed = now.addingTimeInterval(seconds(leaseDuration)).timeIntervalSince1970
        if let job = try recentlyRenewed(jobId, renewed: renewed) { return job }
        let job: AgentJob? = try write { db in
            guard var job = try Self.fetch(jobId, db) else { return nil }
            guard job.state == .active else { return job }
            if job.leaseExpiresAt <= now {
                try db.execute(sql: "UPDATE job SET state = 'lapsed', reason = 'its lease lapsed' WHERE id = ?", arguments: [jobId])
                job.state = .lapsed
                job.reason = "its lease lapsed"
                return job
            }
            try db.execute(sql: "UPDATE job SET leaseExpiresAt = ? WHERE id = ?", arguments: [renewed, jobId])
            job.leaseExpiresAt = Date(timeIntervalSince1970: renewed)
            return job
        }
        guard let job, job.composition.revision > 0 else {
            if let job, job.state == .revoked {
                throw ControlError(.forbidden, "job \(jobId) was revoked: \(job.reason ?? "no reason given")")
            }
            throw ControlError(.notFound, "job \(jobId) is not known here; ask the orchestrator for approval first")
        }
        switch job.state {
        case .active: return job
        case .revoked:
            throw ControlError(.forbidden, "job \(jobId) was revoked: \(job.reason ?? "no reason given")")
        case .lapsed:
            throw ControlError(.forbidden, "job \(jobId) ended: its lease lapsed; ask the orchestrator for approval again")
        }
    }

    /// The job `jobId` as stored, whatever its state.
    public func job(_ jobId: String) throws(ControlError) -> AgentJob? {
        try read { db in try Self.fetch(jobId, db) }
    }

    /// Ends every active job whose lease lapsed before `now`, and forgets ended jobs a day after their lease.
    /// - Returns: the jobs ended now.
    @discardableResult
    public func sweep(now: Date = Date()) throws(ControlError) -> [String] {
        let cutoff = now.timeIntervalSince1970
        return try write { db in
            let lapsed = try String.fetchAll(
                db, sql: "SELECT id FROM job WHERE state = 'active' AND leaseExpiresAt <= ?", arguments: [cutoff])
            try db.execute(
                sql: "UPDATE job SET state = 'lapsed', reason = 'its lease lapsed' WHERE state = 'active' AND leaseExpiresAt <= ?",
                arguments: [cutoff])
            try db.execute(
                sql: "DELETE FROM job WHERE state != 'active' AND leaseExpiresAt <= ?", arguments: [cutoff - 86_400])
            return lapsed
        }
    }

    /// How many jobs are active.
    public func activeCount() throws(ControlError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM job WHERE state = 'active'") ?? 0 }
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
    private func recentlyRenewed(_ jobId: String, renewed: TimeInterval) throws(ControlError) -> AgentJob? {
        let job: AgentJob?
        let (generation, remembered) = recent.state.withLock { ($0.generation, $0.jobs[jobId]) }
        if let remembered {
            job = remembered
        } else {
            job = try read { db in try Self.fetch(jobId, db) }
            if let job {
                recent.state.withLock { state in
                    if state.generation == generation { state.jobs[jobId] = job }
                }
            }
        }
        guard let job, job.state == .active, job.composition.revision > 0,
            job.leaseExpiresAt.timeIntervalSince1970 >= renewed - 1
        else { return nil }
        return job
    }

    private static func fetch(_ jobId: String, _ db: Database) throws -> AgentJob? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM job WHERE id = ?", arguments: [jobId]) else {
            return nil
        }
        let state = AgentJob.State(rawValue: row["state"]) ?? .revoked
        let body: String = row["composition"]
        let revision: Int = row["revision"]
        let composition = revision == 0
            ? JobComposition(
                jobId: jobId, revision: 0, user: AnalystUser(id: "", userName: ""), requestType: "", archetype: "",
                assignments: [:], computeProvider: nil, providers: [], options: [], role: .dataProvider, party: "", reasons: [])
            : try JSONDecoder().decode(JobComposition.self, from: Data(body.utf8))
        return AgentJob(
            composition: composition, state: state, reason: row["reason"],
            leaseExpiresAt: Date(timeIntervalSince1970: row["leaseExpiresAt"]))
    }

    private static func encode(_ composition: JobComposition) throws(ControlError) -> String {
        do {
            return String(decoding: try JSONEncoder().encode(composition), as: UTF8.self)
        } catch {
            throw ControlError(.internalError, "a composition could not be encoded: \(error)")
        }
    }

    private func write<T>(_ body: (Database) throws -> T) throws(ControlError) -> T {
        recent.forget()
        defer { recent.forget() }
        do {
            return try database.write(body)
        } catch {
            throw ControlError(.internalError, "the job registry failed: \(error)")
        }
    }

    private func read<T>(_ body: (Database) throws -> T) throws(ControlError) -> T {
        do {
            return try database.read(body)
        } catch {
            throw ControlError(.internalError, "the job registry failed: \(error)")
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
