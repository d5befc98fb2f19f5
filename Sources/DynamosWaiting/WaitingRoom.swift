import Synchronization

/// Callers that wait for a value under a key, each until the value comes, its deadline passes or its task is
/// cancelled: the one waiting primitive of Dynamos, instead of a hand-made registry of continuations and timer
/// tasks in every type that needs one.
///
/// Every waiter is resumed exactly once: with the value (``resume(_:with:)``), or with nil when its timeout passes,
/// its task is cancelled or the room is closed (``resumeAll()``). The timeout is a child task of the wait, so a
/// wait leaves nothing running behind it.
public final class WaitingRoom<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Value?, Never>
    }

    private struct State {
        var waiters: [Key: [Waiter]] = [:]
        var nextID: UInt64 = 0
        /// Waits begun whose continuation is not registered yet.
        var pending: Set<UInt64> = []
        /// Of those, the ones given up (timeout, cancellation) already.
        var abandoned: Set<UInt64> = []
        /// Keys settled for good: a wait for one returns its value at once.
        var settled: [Key: Value] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// How many callers wait, over all keys.
    public var count: Int { state.withLock { $0.waiters.values.reduce(0) { $0 + $1.count } } }

    /// The value someone resumes `key` with, or nil after `timeout` (never, when nil) or on cancellation.
    ///
    /// Runs on the caller's actor and registers before it first suspends, so a value resumed by the same actor
    /// after this call began cannot be missed (an actor that checked a condition and then waits does not race
    /// with its own later resume).
    public func wait(
        for key: Key, timeout: Duration? = nil, isolation: isolated (any Actor)? = #isolation
    ) async -> Value? {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            state.pending.insert(state.nextID)
            return state.nextID
        }
        return await withTaskGroup(of: Void.self) { group in
            if let timeout {
                group.addTask {
                    try? await Task.sleep(for: timeout)
                    if !Task.isCancelled { self.giveUp(id, of: key) }
                }
            }
            let value = await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Value?, Never>) in
                    let given = self.state.withLock { state -> Value?? in
                        state.pending.remove(id)
                        if state.abandoned.remove(id) != nil { return .some(nil) }
                        if let value = state.settled[key] { return .some(value) }
                        state.waiters[key, default: []].append(Waiter(id: id, continuation: continuation))
                        return nil
                    }
                    if let given { continuation.resume(returning: given) }
                }
            } onCancel: {
                self.giveUp(id, of: key)
            }
            group.cancelAll()
            return value
        }
    }

    /// Resumes every caller waiting for `key` with `value`.
    /// - Returns: how many were waiting.
    @discardableResult
    public func resume(_ key: Key, with value: Value) -> Int {
        let waiting = state.withLock { $0.waiters.removeValue(forKey: key) ?? [] }
        for waiter in waiting { waiter.continuation.resume(returning: value) }
        return waiting.count
    }

    /// Resumes every caller waiting for `key` with `value`, and every later caller at once: a latch.
    public func settle(_ key: Key, with value: Value) {
        let waiting = state.withLock { state in
            state.settled[key] = value
            return state.waiters.removeValue(forKey: key) ?? []
        }
        for waiter in waiting { waiter.continuation.resume(returning: value) }
    }

    /// The value `key` was settled with, if it was.
    public func settled(_ key: Key) -> Value? { state.withLock { $0.settled[key] } }

    /// Resumes every caller waiting for `key` with nil: what they wait for will not come.
    public func cancel(_ key: Key) {
        let waiting = state.withLock { $0.waiters.removeValue(forKey: key) ?? [] }
        for waiter in waiting { waiter.continuation.resume(returning: nil) }
    }

    /// Resumes every caller, of every key, with nil: the room closes (a shutdown).
    public func resumeAll() {
        let waiting = state.withLock { state -> [Waiter] in
            defer { state.waiters = [:] }
            return state.waiters.values.flatMap { $0 }
        }
        for waiter in waiting { waiter.continuation.resume(returning: nil) }
    }

    /// Resumes one waiter with nil, or marks it abandoned when it has not registered yet (and does nothing when
    /// it was resumed already).
    private func giveUp(_ id: UInt64, of key: Key) {
        let waiter = state.withLock { state -> Waiter? in
            guard let index = state.waiters[key]?.firstIndex(where: { $0.id == id }) else {
                if state.pending.contains(id) { state.abandoned.insert(id) }
                return nil
            }
            let waiter = state.waiters[key]?.remove(at: index)
            if state.waiters[key]?.isEmpty == true { state.waiters[key] = nil }
            return waiter
        }
        waiter?.continuation.resume(returning: nil)
    }
}
