import DynamosSupervisor
import DynamosTestSupport
import DynamosStatusLines
import Foundation
import Logging
import Synchronization
import Testing

/// The deadlines the supervisor's tick enforces, with workers that misbehave: one that ignores its drain (the
/// CI hang of issue 7: its pool never shrank) and one that never becomes ready.
@Suite("Supervisor deadlines", .timeLimit(.minutes(2)))
struct SupervisorDeadlineTests {
    /// Starts scripted workers: each says `ready` at once when `ready`, and obeys its drain when `obeysDrain`.
    final class ScriptedSpawner: WorkerSpawner {
        let ready: Bool
        let obeysDrain: Bool
        let started = Mutex<[ScriptedWorkerHandle]>([])

        init(ready: Bool = true, obeysDrain: Bool = true) {
            self.ready = ready
            self.obeysDrain = obeysDrain
        }

        func spawn(_ request: SpawnRequest, onStatus: @escaping @Sendable (WorkerStatus) -> Void) throws -> any WorkerHandle {
            let handle = ScriptedWorkerHandle(obeysDrain: obeysDrain)
            started.withLock { $0.append(handle) }
            if ready {
                onStatus(WorkerStatus(event: .ready, service: request.service, party: request.party, queue: "q", worker: "w", lastActivity: 0))
            }
            return handle
        }
    }

    /// Short deadlines for what a test waits out; a generous readiness deadline where a worker must become ready
    /// (a loaded test process can be slow to apply its `ready`).
    static func supervisor(
        _ spawner: ScriptedSpawner, drain: Duration = .milliseconds(300), ready: Duration = .seconds(30)
    ) -> Supervisor {
        Supervisor(
            settings: SupervisorSettings(
                party: "DEADLINE", drainTimeout: drain, readyTimeout: ready, tick: .milliseconds(20)),
            pools: ["relay": PoolLimits(min: 0, max: 2)], spawner: spawner, probe: { _ in (0, 0) },
            logger: Logger(label: "test.deadlines"))
    }

    @Test("a worker that ignores its drain is killed at the drain deadline, and its pool reaches zero")
    func stubbornWorkerKilled() async throws {
        let spawner = ScriptedSpawner(obeysDrain: false)
        let supervisor = Self.supervisor(spawner)
        let loop = Task { await supervisor.run() }
        _ = try await supervisor.ensureRunning(["relay"])
        try await supervisor.setDesired(0, for: "relay")
        try await within(.seconds(30), "the pool drains to zero") {
            while await !(supervisor.snapshot().pools.first?.workers.isEmpty ?? false) {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        let handles = spawner.started.withLock { $0 }
        #expect(handles.count == 1 && handles[0].kills.load(ordering: .relaxed) == 1)
        #expect(await supervisor.snapshot().pools.first?.crashes == 0, "a kill the supervisor asked for is no crash")
        loop.cancel()
        await loop.value
    }

    @Test("a worker that never becomes ready fails the caller at the readiness deadline and is killed")
    func neverReady() async throws {
        let spawner = ScriptedSpawner(ready: false)
        let supervisor = Self.supervisor(spawner, ready: .milliseconds(300))
        let loop = Task { await supervisor.run() }
        await #expect(throws: SupervisorError.self) { try await supervisor.ensureRunning(["relay"]) }
        try await within(.seconds(30), "the worker is killed") {
            while spawner.started.withLock({ $0.first?.kills.load(ordering: .relaxed) ?? 0 }) == 0 {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        await #expect(throws: SupervisorError.self) { try await supervisor.setDesired(1, for: "nothing") }
        loop.cancel()
        await loop.value
    }

    @Test("shutdown waits out a stubborn worker's drain deadline, then kills it, even though the run was cancelled")
    func shutdownKillsStubborn() async throws {
        let spawner = ScriptedSpawner(obeysDrain: false)
        let supervisor = Self.supervisor(spawner, drain: .milliseconds(200))
        let loop = Task { await supervisor.run() }
        _ = try await supervisor.ensureRunning(["relay"])
        let cancelled = ContinuousClock.now
        loop.cancel()
        try await within(.seconds(30), "the run ends") { await loop.value }
        let handle = try #require(spawner.started.withLock { $0.first })
        #expect(handle.kills.load(ordering: .relaxed) == 1)
        #expect(cancelled.duration(to: .now) >= .milliseconds(150), "the drain deadline was waited out")
    }
}
