import DynamosControl
import Foundation
// Public for the one public conformance below (a conformance is as visible as the type it extends).
public import GRDB

/// One row of the agent's `job` table, as a GRDB record: the job's composition (JSON), state, reason, whether a
/// revocation is final, and when its lease expires (seconds since 1970).
struct StoredJob: Sendable, Codable, Equatable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "job"

    /// The columns queries filter on.
    enum Columns {
        static let id = Column(CodingKeys.id)
        static let state = Column(CodingKeys.state)
        static let reason = Column(CodingKeys.reason)
        static let leaseExpiresAt = Column(CodingKeys.leaseExpiresAt)
    }

    /// Why a job whose lease lapsed ended.
    static let lapsedReason = "its lease lapsed"

    var id: String
    /// 0 for a revocation that arrived before its job; such a row has no composition.
    var revision: Int
    /// The composition as JSON, `{}` when `revision` is 0.
    var composition: String
    var state: AgentJob.State
    var reason: String?
    var final: Bool
    var leaseExpiresAt: Date

    /// A fresh active job for `composition`, whose lease expires at `lease`.
    init(_ composition: JobComposition, lease: Date) throws(ControlError) {
        id = composition.jobId
        revision = composition.revision
        self.composition = try Self.encode(composition)
        state = .active
        final = false
        leaseExpiresAt = lease
    }

    /// A revocation kept for a job not seen yet, so a late composition cannot bring it back.
    init(revoked jobId: String, reason: String, final: Bool, now: Date) {
        id = jobId
        revision = 0
        composition = "{}"
        state = .revoked
        self.reason = reason
        self.final = final
        leaseExpiresAt = now
    }

    /// Takes `composition` (a newer or the same revision): the job is active again, and its lease is not shortened.
    mutating func replace(with composition: JobComposition, lease: Date) throws(ControlError) {
        revision = composition.revision
        self.composition = try Self.encode(composition)
        state = .active
        reason = nil
        final = false
        leaseExpiresAt = max(leaseExpiresAt, lease)
    }

    /// The job as the agent uses it. A revocation without its job (revision 0) gets a placeholder composition that
    /// is never served: the registry treats revision 0 as not known.
    func job() throws(ControlError) -> AgentJob {
        let decoded: JobComposition
        if revision == 0 {
            decoded = JobComposition(
                jobId: id, revision: 0, user: AnalystUser(id: "", userName: ""), requestType: "", archetype: "",
                assignments: [:], computeProvider: nil, providers: [], options: [], role: .dataProvider, party: "",
                reasons: [])
        } else {
            do {
                decoded = try JSONDecoder().decode(JobComposition.self, from: Data(composition.utf8))
            } catch {
                throw ControlError(
                    .internalError,
                    "job \(id) in the job registry holds a composition that cannot be read (revoke the job and ask "
                        + "the orchestrator for approval again)", cause: error)
            }
        }
        return AgentJob(composition: decoded, state: state, reason: reason, leaseExpiresAt: leaseExpiresAt)
    }

    static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy {
        .timeIntervalSince1970
    }

    static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy {
        .timeIntervalSince1970
    }

    private static func encode(_ composition: JobComposition) throws(ControlError) -> String {
        do {
            return String(decoding: try JSONEncoder().encode(composition), as: UTF8.self)
        } catch {
            throw ControlError(.internalError, "a composition could not be encoded", cause: error)
        }
    }

    /// The registry's tables: v1 and the `final` column of v2, as the first agents wrote them.
    static var migrator: DatabaseMigrator {
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
        return migrator
    }
}

/// Job states are stored by their raw value (`active`, `revoked`, `lapsed`).
extension AgentJob.State: DatabaseValueConvertible {}
