import DynamosProcess
import Glibc
import Testing

/// Waiting on a child process: for a line of its output (written already or still to come, or never), and for
/// its exit.
@Suite("child process", .timeLimit(.minutes(1)))
struct ChildProcessTests {
    private func shell(_ script: String) throws -> ChildProcess {
        try ChildProcess("/bin/sh", ["-c", script], output: .lines(stderr: nil))
    }

    @Test("a line written already or still to come is found; the output's end or the deadline throws")
    func lines() async throws {
        let process = try shell("echo first; sleep 0.3; echo ready 42")
        #expect(try await process.waitForLine(within: .seconds(10), "first") { $0 == "first" } == "first")
        async let again = process.waitForLine(within: .seconds(10), "ready again") { $0.hasPrefix("ready") }
        let ready = try await process.waitForLine(within: .seconds(10), "ready") { $0.hasPrefix("ready") }
        #expect(try await again == ready && ready == "ready 42", "every waiter of a line gets it")
        let ended = await #expect(throws: ChildProcessError.self) {
            try await process.waitForLine(within: .seconds(10), "the end") { $0 == "end" }
        }
        #expect(ended?.message == "the end: the output ended without it")
        #expect(await process.exitStatus() == 0)
        #expect(process.lines == ["first", "ready 42"])
        let quiet = try shell("sleep 30")
        let early = await #expect(throws: ChildProcessError.self) {
            try await quiet.waitForLine(within: .milliseconds(20), "the end") { $0 == "end" }
        }
        #expect(early?.message == "the end: not seen within 0.02 seconds")
        quiet.send(SIGKILL)
        #expect(await quiet.exitStatus() == 128 + SIGKILL)
    }

    @Test("the exit status comes to every waiter, also to one whose task was cancelled, and after the exit")
    func exit() async throws {
        let process = try shell("sleep 30")
        let cancelled = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await process.exitStatus()
        }
        async let waiting = process.exitStatus()
        try await Task.sleep(for: .milliseconds(50))
        process.send(SIGTERM)
        #expect(await waiting == 128 + SIGTERM)
        #expect(await cancelled.value == 128 + SIGTERM, "cancelling does not end the wait for the exit")
        #expect(await process.exitStatus() == 128 + SIGTERM)
    }
}
