import DynamosSupervisor
import DynamosStatusLines
import Foundation
import Logging
import Testing

@Suite("Worker reports are applied in order")
struct ReportOrderTests {
    /// Writes a burst of status lines the moment it starts a worker, as a fast combining worker does: for each
    /// request `taken`, then `processed` with the last part still in flight, then `held` with nothing in flight.
    private struct BurstSpawner: WorkerSpawner {
        let requests: Int

        func spawn(
            _ request: SpawnRequest, onStatus: @escaping @Sendable (WorkerStatus) -> Void
        ) throws -> any WorkerHandle {
            // From a thread of its own, as the process spawner's line reader calls back.
            let requests = requests
            Thread.detachNewThread {
                onStatus(Self.report(.ready))
                for done in 1...requests {
                    onStatus(Self.report(.taken, processed: done - 1, inFlight: 1))
                    onStatus(Self.report(.processed, processed: done, inFlight: 1))
                    onStatus(Self.report(.held, processed: done, inFlight: 0))
                }
            }
            return ScriptedWorkerHandle()
        }

        private static func report(_ event: WorkerStatus.Event, processed: Int = 0, inFlight: Int = 0) -> WorkerStatus {
            WorkerStatus(
                event: event, service: "relay", party: "P", queue: "dynamos.P.relay", worker: "burst",
                processed: processed, inFlight: inFlight, lastActivity: 0)
        }
    }

    @Test("the last line a worker wrote decides its state: idle after a burst, not stuck busy")
    func lastLineWins() async throws {
        let requests = 2_000
        let supervisor = Supervisor(
            settings: SupervisorSettings(party: "ORDER", idleTimeout: .seconds(600), tick: .milliseconds(50)),
            pools: ["aggregate": PoolLimits(min: 0, max: 1)], spawner: BurstSpawner(requests: requests),
            probe: { _ in (0, 0) }, logger: Logger(label: "test.report-order"))
        let loop = Task { await supervisor.run() }
        // Other callers keep the supervisor busy meanwhile, as the agent's HTTP handlers and its loop do.
        let callers = Task {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    group.addTask { while !Task.isCancelled { _ = await supervisor.snapshot() } }
                }
            }
        }
        defer { callers.cancel() }
        _ = try await supervisor.ensureRunning(["aggregate"])
        let deadline = ContinuousClock.now.advanced(by: .seconds(5))
        var worker = await supervisor.snapshot().pools.first?.workers.first
        while worker?.processed != requests || worker?.state != .ready, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
            worker = await supervisor.snapshot().pools.first?.workers.first
        }
        #expect(worker?.processed == requests)
        #expect(worker?.state == .ready)
        loop.cancel()
        await loop.value
    }
}
