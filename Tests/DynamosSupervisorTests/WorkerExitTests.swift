import DynamosSupervisor
import DynamosTestSupport
import Testing

/// A worker that does not drain by its deadline is killed, and the wait for it ends: the supervisor's drain of an
/// unresponsive worker once waited forever, so its pool never shrank.
@Suite("worker exit deadline", .timeLimit(.minutes(2)))
struct WorkerExitTests {
    @Test("past the deadline the worker is killed and the wait returns false")
    func killedAtDeadline() async throws {
        let worker = ScriptedWorkerHandle(obeysDrain: false)
        // Generous: a loaded test process can starve its two cooperative threads for seconds; before the fix this
        // waited forever.
        let exited = try await within(.seconds(60), "exit(within:) returns once the worker is killed") {
            await worker.exit(within: .milliseconds(100))
        }
        #expect(exited == false)
        #expect(worker.kills.load(ordering: .relaxed) == 1)
    }

    @Test("a worker that exits in time is not killed")
    func exitsInTime() async throws {
        let worker = ScriptedWorkerHandle()
        worker.drain()
        #expect(await worker.exit(within: .seconds(5)) == true)
        #expect(worker.kills.load(ordering: .relaxed) == 0)
    }
}
