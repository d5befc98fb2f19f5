public import DynamosErrors
import DynamosWaiting
import Foundation
import Synchronization

/// A program Dynamos starts, signals and reaps: worker processes (the chain benchmark, the tests that kill workers
/// mid-message), broker scripts, openssl.
///
/// Spawned with `posix_spawn` and reaped with a blocking `waitpid` on a thread of its own (never the concurrency
/// pool): Foundation's `Process` termination notice was seen to go missing when several tests spawn at once.
/// Standard output is either collected line by line (``waitForLine(within:_:matching:)``) or written to a file,
/// for programs that leave daemons behind which would hold a pipe open.
public final class ChildProcess: Sendable {
    /// Where standard output (and, for `.file`, standard error) goes.
    public enum Output: Sendable {
        /// Lines are kept and can be awaited; standard error goes to `stderr`, or is discarded when nil.
        case lines(stderr: String?)
        /// Both streams go to the file at this path.
        case file(String)
        /// Lines are kept and can be awaited, as with `lines`; each standard-error line is passed to `stderr`
        /// (`dynamos up` prints them with the daemon's name in front).
        case observed(stderr: @Sendable (String) -> Void)
    }

    public let pid: Int32
    /// How many of the latest output lines are kept; a long-running worker writes a line per message.
    private let keptLines: Int
    /// Called with every standard-output line as it arrives (the supervisor reads worker status this way).
    private let onLine: (@Sendable (String) -> Void)?
    private let state = Mutex(State())
    /// Callers of ``waitForLine(within:_:matching:)``, each under its number: resumed with the line that matched,
    /// or with nil when the output ended first.
    private let lineWaiters = WaitingRoom<UInt64, String?>()
    /// Settled (key 0) with the exit status once the process is reaped.
    private let exit = WaitingRoom<Int, Int32>()

    private struct State {
        var lines: [String] = []
        var closed = false
        /// What each caller waiting for a line looks for, by its number in `lineWaiters`.
        var matchers: [UInt64: @Sendable (String) -> Bool] = [:]
        var lastWaiter: UInt64 = 0
    }

    /// Where a wait for a line starts.
    private enum LineSearch {
        case seen(String)
        case ended
        case waiting(WaitingRoom<UInt64, String?>.Reservation)
    }

    /// Starts `executable` with `arguments` and `environment` (the test's own when nil); standard input is
    /// `/dev/null`. With `.lines`, the latest `keepingLines` lines are kept (all by default), and each is also
    /// passed to `onLine` when given.
    public init(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, output: Output,
        keepingLines: Int = .max, onLine: (@Sendable (String) -> Void)? = nil
    ) throws {
        keptLines = max(1, keepingLines)
        self.onLine = onLine
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        var readEnd: Int32 = -1
        var writeEnd: Int32 = -1
        var errorReadEnd: Int32 = -1
        var errorWriteEnd: Int32 = -1
        switch output {
        case .file(let path):
            posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        case .lines(let stderr):
            (readEnd, writeEnd) = try Self.pipe()
            posix_spawn_file_actions_adddup2(&actions, writeEnd, 1)
            posix_spawn_file_actions_addopen(&actions, 2, stderr ?? "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0o644)
        case .observed:
            (readEnd, writeEnd) = try Self.pipe()
            (errorReadEnd, errorWriteEnd) = try Self.pipe()
            posix_spawn_file_actions_adddup2(&actions, writeEnd, 1)
            posix_spawn_file_actions_adddup2(&actions, errorWriteEnd, 2)
        }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        if writeEnd >= 0 { close(writeEnd) }
        if errorWriteEnd >= 0 { close(errorWriteEnd) }
        guard result == 0 else {
            if readEnd >= 0 { close(readEnd) }
            if errorReadEnd >= 0 { close(errorReadEnd) }
            throw ChildProcessError("cannot start \(executable): \(String(cString: strerror(result)))")
        }
        self.pid = pid
        if case .observed(let observe) = output, errorReadEnd >= 0 {
            let fd = errorReadEnd
            Thread.detachNewThread { Self.forEachLine(of: fd, observe) }
        }
        if readEnd >= 0 {
            let fd = readEnd
            Thread.detachNewThread { [self] in
                Self.forEachLine(of: fd) { deliver($0) }
                closeOutput()
            }
        } else {
            state.withLock { $0.closed = true }
        }
        Thread.detachNewThread { [self] in reap() }
    }

    /// Sends `signal` (SIGTERM to drain, SIGKILL to crash).
    public func send(_ signal: Int32) {
        if exit.settled(0) == nil { kill(pid, signal) }
    }

    /// The exit status once the process ended: the code, or 128 + the signal that killed it. Cancelling the
    /// waiting task does not end the wait.
    public func exitStatus() async -> Int32 {
        // Neither a deadline nor cancellation ends this wait, so it returns the reaper's status.
        await exit.wait(for: 0, ignoringCancellation: true) ?? -1
    }

    /// Every line written so far (the latest `keepingLines` of them).
    public var lines: [String] { state.withLock { $0.lines } }

    /// Waits for a line (already written or still to come) that `matches`.
    /// - Throws: ``ChildProcessError`` after `limit` (or when the waiting task is cancelled), or when the output
    ///   ends without such a line.
    public func waitForLine(
        within limit: Duration, _ what: String, matching matches: @escaping @Sendable (String) -> Bool
    ) async throws(ChildProcessError) -> String {
        // Looked for and, when not written yet, reserved a place under the lock `deliver` takes: none is missed.
        let search = state.withLock { state -> LineSearch in
            if let line = state.lines.first(where: matches) { return .seen(line) }
            if state.closed { return .ended }
            state.lastWaiter += 1
            state.matchers[state.lastWaiter] = matches
            return .waiting(lineWaiters.reserve(state.lastWaiter))
        }
        switch search {
        case .seen(let line):
            return line
        case .ended:
            throw ChildProcessError("\(what): the output ended without it")
        case .waiting(let place):
            switch await lineWaiters.wait(place, timeout: limit) {
            case .some(.some(let line)):
                return line
            case .some(.none):
                throw ChildProcessError("\(what): the output ended without it")
            case .none:
                state.withLock { $0.matchers[place.key] = nil }
                throw ChildProcessError("\(what): not seen within \(limit)")
            }
        }
    }

    /// Reads `fd` to its end, calling `body` with each line; then closes it.
    private static func forEachLine(of fd: Int32, _ body: (String) -> Void) {
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(fd, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            pending.append(contentsOf: buffer[0..<count])
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                body(String(decoding: pending[..<newline], as: UTF8.self))
                pending.removeSubrange(...newline)
            }
        }
        if !pending.isEmpty { body(String(decoding: pending, as: UTF8.self)) }
        close(fd)
    }

    /// Standard output ended: waiters for lines that never came get nil.
    private func closeOutput() {
        let waiting = state.withLock { state in
            state.closed = true
            defer { state.matchers = [:] }
            return Array(state.matchers.keys)
        }
        for number in waiting { lineWaiters.resume(number, with: String?.none) }
    }

    /// A close-on-exec pipe: (read end, write end).
    private static func pipe() throws(ChildProcessError) -> (Int32, Int32) {
        var fds: [Int32] = [-1, -1]
        guard Glibc.pipe(&fds) == 0 else { throw ChildProcessError("pipe failed: errno \(errno)") }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return (fds[0], fds[1])
    }

    private func deliver(_ line: String) {
        onLine?(line)
        let ready = state.withLock { state in
            state.lines.append(line)
            let excess = state.lines.count - keptLines
            if excess > 0 && excess >= min(keptLines, 1024) { state.lines.removeFirst(excess) }
            let matched = state.matchers.filter { $0.value(line) }.keys
            for number in matched { state.matchers[number] = nil }
            return Array(matched)
        }
        for number in ready { lineWaiters.resume(number, with: line) }
    }

    private func reap() {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let code = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        exit.settle(0, with: code)
    }
}

/// A program could not be started, or what was awaited of it did not come.
public struct ChildProcessError: DynamosError {
    public let message: String
    /// The error underneath, when this one reports on another.
    public let cause: ErrorCause?

    public init(_ message: String, cause: (any Error)? = nil) {
        self.message = message
        self.cause = ErrorCause?(wrapping: cause)
    }
}
