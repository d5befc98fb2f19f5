import Synchronization

/// Callers that wait for a value under a key, each until the value comes, its deadline passes or its task is
/// cancelled: the one waiting primitive of Dynamos, instead of a hand-made registry of continuations and timer
/// tasks in every type that needs one.
///
/// Every waiter is resumed exactly once: with the value (``resume(_:with:)``), or with nil when its timeout passes,
/// its task is cancelled or the room is closed (``resumeAll()``). The timeout is a child task of the wait, so a
/// wait leaves nothing running behind it. A wait may also ignore cancellation (a lock, a close that must finish).
///
/// A waiter counts from the moment its wait begins, or earlier from its ``reserve(_:)``: a value resumed before
/// its continuation is registered is kept for it, never lost. Code that decides under a lock of its own that a
/// caller must wait reserves the place under that lock and waits after releasing it.
public final class WaitingRoom<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    /// A place in the room for one waiter of `key`, taken before the wait begins; pass it to
    /// ``wait(_:timeout:ignoringCancellation:isolation:)`` exactly once.
    public struct Reservation: Sendable {
        fileprivate let id: UInt64
        /// What the reserved waiter waits for.
        public let key: Key
    }

    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Value?, Never>
    }

    private struct State {
        var waiters: [Key: [Waiter]] = [:]
        var nextID: UInt64 = 0
        /// Waits reserved or begun whose continuation is not registered yet, with their key.
        var pending: [UInt64: Key] = [:]
        /// Of those, the ones given a value already.
        var delivered: [UInt64: Value] = [:]
        /// Of those, the ones given up (timeout, cancellation, the key cancelled, the room closed) already.
        var abandoned: Set<UInt64> = []
        /// Keys settled for good: a wait for one returns its value at once.
        var settled: [Key: Value] = [:]

        /// The pending waiters of `key` (all keys when nil) that were given nothing yet.
        func open(_ key: Key?) -> [UInt64] {
            pending.compactMap { id, pendingKey in
                guard key == nil || key == pendingKey, delivered[id] == nil, !abandoned.contains(id) else { return nil }
                return id
            }
        }
    }

    private let state = Mutex(State())

    public init() {}

    /// How many callers wait, over all keys (reserved places included).
    public var count: Int {
        state.withLock { state in state.waiters.values.reduce(0) { $0 + $1.count } + state.open(nil).count }
    }

    /// Takes a place for a waiter of `key` now; values resumed for `key` from here on reach it.
    public func reserve(_ key: Key) -> Reservation {
        state.withLock { state in
            state.nextID += 1
            state.pending[state.nextID] = key
            return Reservation(id: state.nextID, key: key)
        }
    }

    /// The value someone resumes `key` with, or nil after `timeout` (never, when nil) or on cancellation.
    ///
    /// Runs on the caller's actor and registers before it first suspends, so a value resumed by the same actor
    /// after this call began cannot be missed (an actor that checked a condition and then waits does not race
    /// with its own later resume).
    /// - Parameter ignoringCancellation: wait on when the task is cancelled (the timeout still holds).
    public func wait(
        for key: Key, timeout: Duration? = nil, ignoringCancellation: Bool = false,
        isolation: isolated (any Actor)? = #isolation
    ) async -> Value? {
        await wait(reserve(key), timeout: timeout, ignoringCancellation: ignoringCancellation, isolation: isolation)
    }

    /// The value someone resumes the reserved key with (possibly before this call), or nil after `timeout` (never,
    /// when nil) or on cancellation.
    /// - Parameter ignoringCancellation: wait on when the task is cancelled (the timeout still holds).
    public func wait(
        _ reservation: Reservation, timeout: Duration? = nil, ignoringCancellation: Bool = false,
        isolation: isolated (any Actor)? = #isolation
    ) async -> Value? {
        let (id, key) = (reservation.id, reservation.key)
        if ignoringCancellation {
            // A child task is cancelled with its parent, which would end the timeout early: a task of its own,
            // stopped when the wait ends.
            let timer = timeout.map { timeout in
                Task.detached { [self] in
                    try? await Task.sleep(for: timeout)
                    if !Task.isCancelled { giveUp(id, of: key) }
                }
            }
            defer { timer?.cancel() }
            return await register(id, of: key, isolation: isolation)
        }
        return await withTaskGroup(of: Void.self, isolation: isolation) { group in
            if let timeout {
                group.addTask {
                    try? await Task.sleep(for: timeout)
                    if !Task.isCancelled { self.giveUp(id, of: key) }
                }
            }
            let value = await withTaskCancellationHandler {
                await register(id, of: key, isolation: isolation)
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
        let (waiting, reserved) = state.withLock { state -> ([Waiter], Int) in
            let reserved = state.open(key)
            for id in reserved { state.delivered[id] = value }
            return (state.waiters.removeValue(forKey: key) ?? [], reserved.count)
        }
        for waiter in waiting { waiter.continuation.resume(returning: value) }
        return waiting.count + reserved
    }

    /// Resumes every caller waiting for `key` with `value`, and every later caller at once: a latch.
    public func settle(_ key: Key, with value: Value) {
        let waiting = state.withLock { state in
            state.settled[key] = value
            for id in state.open(key) { state.delivered[id] = value }
            return state.waiters.removeValue(forKey: key) ?? []
        }
        for waiter in waiting { waiter.continuation.resume(returning: value) }
    }

    /// The value `key` was settled with, if it was.
    public func settled(_ key: Key) -> Value? { state.withLock { $0.settled[key] } }

    /// Resumes every caller waiting for `key` with nil: what they wait for will not come.
    public func cancel(_ key: Key) {
        let waiting = state.withLock { state in
            state.abandoned.formUnion(state.open(key))
            return state.waiters.removeValue(forKey: key) ?? []
        }
        for waiter in waiting { waiter.continuation.resume(returning: nil) }
    }

    /// Resumes every caller, of every key, with nil: the room closes (a shutdown).
    public func resumeAll() {
        let waiting = state.withLock { state -> [Waiter] in
            state.abandoned.formUnion(state.open(nil))
            defer { state.waiters = [:] }
            return state.waiters.values.flatMap { $0 }
        }
        for waiter in waiting { waiter.continuation.resume(returning: nil) }
    }

    /// Registers the continuation of a waiter, or resumes it at once with what it was given while pending.
    private func register(_ id: UInt64, of key: Key, isolation: isolated (any Actor)?) async -> Value? {
        await withCheckedContinuation(isolation: isolation) { (continuation: CheckedContinuation<Value?, Never>) in
            let given = self.state.withLock { state -> Value?? in
                state.pending[id] = nil
                if let value = state.delivered.removeValue(forKey: id) { return .some(value) }
                if state.abandoned.remove(id) != nil { return .some(nil) }
                if let value = state.settled[key] { return .some(value) }
                state.waiters[key, default: []].append(Waiter(id: id, continuation: continuation))
                return nil
            }
            if let given { continuation.resume(returning: given) }
        }
    }

    /// Resumes one waiter with nil, or marks it abandoned when it has not registered yet (and does nothing when
    /// it was resumed or given something already).
    private func giveUp(_ id: UInt64, of key: Key) {
        let waiter = state.withLock { state -> Waiter? in
            guard let index = state.waiters[key]?.firstIndex(where: { $0.id == id }) else {
                if state.pending[id] != nil, state.delivered[id] == nil { state.abandoned.insert(id) }
                return nil
            }
            let waiter = state.waiters[key]?.remove(at: index)
            if state.waiters[key]?.isEmpty == true { state.waiters[key] = nil }
            return waiter
        }
        waiter?.continuation.resume(returning: nil)
    }
}
