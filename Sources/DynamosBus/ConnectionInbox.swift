import CRabbitMQ
import DynamosWaiting
import Glibc
import Synchronization

/// The hand-off between callers on any thread and the thread that owns a connection.
///
/// Callers append commands and signal an eventfd; the owning thread `poll(2)`s that descriptor together with the
/// broker socket, so queued work is picked up at once instead of on a timer.
///
/// Callers of ``closeAndWait()`` wait in a ``WaitingRoom``. A command's own caller does not: it waits for its one
/// completion through a continuation of its own (``RabbitMQBroker``'s operations), resumed exactly once from this
/// non-async thread by `run` or `fail`. That is a future per operation, not a registry of waiters, and it must not
/// end on cancellation or a deadline (a sent publish still has to learn its confirm, and a failed command is
/// failed by the thread), so a room would only add a key and a lock around it.
final class ConnectionInbox: Sendable {
    /// A unit of work for the connection thread, and how to fail it if it never runs.
    struct Command: Sendable {
        let run: @Sendable (ConnectionLoop) -> Void
        let fail: @Sendable (AMQPError) -> Void
        let submitted: ContinuousClock.Instant = .now
    }

    private struct State {
        var commands: [Command] = []
        var closing = false
        var finished = false
        /// The connection thread is in (or about to enter) `poll(2)` and needs a signal to see new commands.
        var sleeping = false
    }

    private let state = Mutex(State())
    /// Settled (key 0) when the connection thread has finished: callers of ``closeAndWait()`` wait here.
    private let closed = WaitingRoom<Int, Void>()
    /// Readable whenever commands are waiting or a close was requested.
    let wakeDescriptor: Int32

    init() {
        wakeDescriptor = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        precondition(wakeDescriptor >= 0, "eventfd failed: errno \(errno)")
    }

    deinit {
        Glibc.close(wakeDescriptor)
    }

    /// Queues a command; fails it at once when the connection is closing.
    func submit(_ command: Command) {
        let (accepted, mustWake) = state.withLock { state -> (Bool, Bool) in
            guard !state.closing else { return (false, false) }
            state.commands.append(command)
            defer { state.sleeping = false }
            return (true, state.sleeping)
        }
        if !accepted {
            command.fail(.closedByClient)
        } else if mustWake {
            wake()
        }
    }

    /// Takes every queued command, in order.
    func takeAll() -> [Command] {
        state.withLock { state in
            defer { state.commands.removeAll(keepingCapacity: true) }
            return state.commands
        }
    }

    /// Puts back commands that could not run yet (the connection dropped mid-batch), ahead of newer ones.
    func putBack(_ commands: [Command]) {
        guard !commands.isEmpty else { return }
        state.withLock { $0.commands.insert(contentsOf: commands, at: 0) }
    }

    var isClosing: Bool { state.withLock { $0.closing } }

    /// Fails the commands submitted before `cutoff` (they waited too long for a connection).
    func failCommands(submittedBefore cutoff: ContinuousClock.Instant, with error: AMQPError) {
        let expired = state.withLock { state -> [Command] in
            let expired = state.commands.filter { $0.submitted < cutoff }
            guard !expired.isEmpty else { return [] }
            state.commands.removeAll { $0.submitted < cutoff }
            return expired
        }
        for command in expired { command.fail(error) }
    }

    /// True when commands wait or a close was asked for.
    var hasWork: Bool { state.withLock { !$0.commands.isEmpty || $0.closing } }

    /// Announces that the connection thread is about to sleep; false when commands arrived meanwhile, in which
    /// case it must not sleep. A submit after a true answer signals the wake-up descriptor.
    func prepareToSleep() -> Bool {
        state.withLock { state in
            guard state.commands.isEmpty, !state.closing else { return false }
            state.sleeping = true
            return true
        }
    }

    /// The connection thread is awake again: submits need not signal.
    func awake() {
        state.withLock { $0.sleeping = false }
    }

    /// Asks the connection thread to shut down and waits until it has, also when the calling task is cancelled
    /// (a cancelled shutdown still needs the connection closed before it goes on).
    func closeAndWait() async {
        let alreadyFinished = state.withLock { state -> Bool in
            state.closing = true
            state.sleeping = false
            return state.finished
        }
        if !alreadyFinished { wake() }
        // A latch: a close that comes after the thread finished returns at once.
        _ = await closed.wait(for: 0, ignoringCancellation: true)
    }

    /// Called by the connection thread as it exits: fails what is left and releases the waiters.
    func finish() {
        let leftover = state.withLock { state in
            state.closing = true
            state.finished = true
            defer { state.commands.removeAll() }
            return state.commands
        }
        for command in leftover { command.fail(.closedByClient) }
        closed.settle(0, with: ())
    }

    func wake() {
        var one: UInt64 = 1
        _ = Glibc.write(wakeDescriptor, &one, 8)
    }

    /// Clears the wake-up signal (called before taking commands, so no signal is lost).
    func clearWake() {
        var value: UInt64 = 0
        _ = Glibc.read(wakeDescriptor, &value, 8)
    }
}
