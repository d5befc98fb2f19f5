import DynamosAgent
import DynamosControl
import DynamosKnowledge
import Foundation
import Testing

@Suite("Job registry")
struct JobRegistryTests {
    static func composition(_ job: String = "job-1", revision: Int = 1, role: PartyRole = .all) -> JobComposition {
        JobComposition(
            jobId: job, revision: revision, user: AnalystUser(id: "1", userName: "analyst"),
            requestType: "sqlDataRequest", archetype: "computeToData", assignments: ["UVA": "computeToData"],
            computeProvider: nil, providers: ["UVA"], options: [], role: role, party: "UVA", reasons: [])
    }

    @Test("a stored job is leased, and every lease renews it")
    func leaseRenews() async throws {
        let registry = try JobRegistry(path: nil, leaseDuration: .seconds(600))
        let start = Date(timeIntervalSince1970: 1_000_000)
        try await registry.store(Self.composition(), now: start)
        let first = try await registry.lease("job-1", now: start.addingTimeInterval(500))
        #expect(first.leaseExpiresAt == start.addingTimeInterval(1100))
        let second = try await registry.lease("job-1", now: start.addingTimeInterval(1000))
        #expect(second.leaseExpiresAt == start.addingTimeInterval(1600))
        #expect(second.composition == Self.composition())
    }

    @Test("a job whose lease lapsed is ended and refused from then on")
    func lapses() async throws {
        let registry = try JobRegistry(path: nil, leaseDuration: .seconds(600))
        let start = Date(timeIntervalSince1970: 1_000_000)
        try await registry.store(Self.composition(), now: start)
        let error = await #expect(throws: ControlError.self) { try await registry.lease("job-1", now: start.addingTimeInterval(601)) }
        #expect(error?.code == .forbidden)
        #expect(error?.message.contains("lease lapsed") == true)
        #expect(try await registry.job("job-1")?.state == .lapsed)
        await #expect(throws: ControlError.self) { try await registry.lease("job-1", now: start) }
    }

    @Test("sweep ends every lapsed job and counts the active ones")
    func sweep() async throws {
        let registry = try JobRegistry(path: nil, leaseDuration: .seconds(10))
        let start = Date(timeIntervalSince1970: 1_000_000)
        try await registry.store(Self.composition("old"), now: start)
        try await registry.store(Self.composition("new"), now: start.addingTimeInterval(8))
        #expect(try await registry.activeCount() == 2)
        #expect(try await registry.sweep(now: start.addingTimeInterval(12)) == ["old"])
        #expect(try await registry.activeCount() == 1)
    }

    @Test("a revoked job is refused with the reason, and a late composition cannot revive it")
    func revoked() async throws {
        let registry = try JobRegistry(path: nil)
        try await registry.store(Self.composition())
        try await registry.revoke("job-1", reason: "relation removed")
        let error = await #expect(throws: ControlError.self) { try await registry.lease("job-1") }
        #expect(error?.code == .forbidden)
        #expect(error?.message.contains("relation removed") == true)
        #expect(try await registry.store(Self.composition(revision: 5)) == false)
        try await registry.revoke("job-2", reason: "revoked before it arrived")
        #expect(try await registry.store(Self.composition("job-2")) == false)
        await #expect(throws: ControlError.self) { try await registry.lease("job-2") }
    }

    @Test("a newer revision replaces the plan, an older one is ignored")
    func revisions() async throws {
        let registry = try JobRegistry(path: nil)
        try await registry.store(Self.composition(revision: 2, role: .all))
        #expect(try await registry.store(Self.composition(revision: 1, role: .dataProvider)) == false)
        #expect(try await registry.lease("job-1").composition.role == .all)
        #expect(try await registry.store(Self.composition(revision: 3, role: .dataProvider)))
        #expect(try await registry.lease("job-1").composition.role == .dataProvider)
    }

    @Test("a job a re-plan moved away comes back with a higher revision; a lapsed job stays ended")
    func replanRevocation() async throws {
        let registry = try JobRegistry(path: nil, leaseDuration: .seconds(600))
        try await registry.store(Self.composition(revision: 1))
        #expect(try await registry.store(Self.composition(revision: 1)), "the same revision is taken again (a resend)")
        try await registry.revoke("job-1", reason: "re-planned without this party", finally: false)
        await #expect(throws: ControlError.self) { try await registry.lease("job-1") }
        #expect(try await registry.store(Self.composition(revision: 1)) == false)
        #expect(try await registry.store(Self.composition(revision: 2)))
        #expect(try await registry.lease("job-1").composition.revision == 2)

        let start = Date(timeIntervalSince1970: 1_000_000)
        try await registry.store(Self.composition("job-2"), now: start)
        await #expect(throws: ControlError.self) { try await registry.lease("job-2", now: start.addingTimeInterval(601)) }
        #expect(try await registry.store(Self.composition("job-2", revision: 2)) == false)
    }

    @Test("a revocation that arrives before its job is kept through sweeps")
    func earlyRevocation() async throws {
        let registry = try JobRegistry(path: nil)
        let now = Date()
        try await registry.revoke("job-3", reason: "revoked", now: now)
        try await registry.sweep(now: now.addingTimeInterval(3600))
        #expect(try await registry.store(Self.composition("job-3")) == false)
    }

    @Test("an unknown job is not found")
    func unknown() async throws {
        let error = await #expect(throws: ControlError.self) { try await JobRegistry(path: nil).lease("nope") }
        #expect(error?.code == .notFound)
    }

    @Test("jobs survive reopening the database (an agent restart)")
    func persists() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dynamos-jobs-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("UVA/jobs.sqlite").path
        try await JobRegistry(path: path).store(Self.composition())
        let reopened = try JobRegistry(path: path)
        #expect(try await reopened.lease("job-1").composition == Self.composition())
    }
}
