import DynamosSupervisor
import DynamosTestSupport
import Synchronization
import Testing

/// A worker that does not drain by its deadline is killed, and the wait for it ends: the supervisor's drain of an
/// unresponsive worker once waited forever, so its pool never shrank.
@Suite("worker exit deadline", .timeLimit(.minutes(2)))
struct WorkerExitTests {
    /// A worker that ignores its drain and exits only when killed.
    final class StubbornWorker: WorkerHandle {
        let killed = Atomic<Int>(0)
        private let waiters = Mutex<(exited: Bool, continuations: [CheckedContinuation<Int32, Never>])>((false, []))

        var pid: Int32 { 4_242 }
        func drain() {}
        func kill() {
            killed.add(1, ordering: .relaxed)
            let continuations = waiters.withLock { state in
                defer { state = (true, []) }
                return state.continuations
            }
            for continuation in continuations { continuation.resume(returning: 137) }
        }
        func exitStatus() async -> Int32 {
            await withCheckedContinuation { continuation in
                let exited = waiters.withLock { state in
                    if !state.exited { state.continuations.append(continuation) }
                    return state.exited
                }
                if exited { continuation.resume(returning: 137) }
            }
        }
        func residentBytes() -> Int? { nil }
    }

    @Test("past the deadline the worker is killed and the wait returns false")
    func killedAtDeadline() async throws {
        let worker = StubbornWorker()
        // Generous: a loaded test process can starve its two cooperative threads for seconds; before the fix this
        // waited forever.
        let exited = try await within(.seconds(60), "exit(within:) returns once the worker is killed") {
            await worker.exit(within: .milliseconds(100))
        }
        #expect(exited == false)
        #expect(worker.killed.load(ordering: .relaxed) == 1)
    }

    @Test("a worker that exits in time is not killed")
    func exitsInTime() async throws {
        let worker = StubbornWorker()
        worker.kill()
        #expect(await worker.exit(within: .seconds(5)) == true)
        #expect(worker.killed.load(ordering: .relaxed) == 1, "only the test's own kill")
    }
}
