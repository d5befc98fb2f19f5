import DequeModule
public import DynamosControl
import Synchronization

/// Keeps a party up under more requests than it can take: caps each user's requests in flight, and the
/// ephemeral runs going at once (each spawns a worker process per service), with a short fair wait for a free
/// run before a 429 with `Retry-After`.
///
/// Synchronous to release (a `defer` gives a slot back), FIFO for waiters, and every wait bounded.
public final class AdmissionControl: Sendable {
    /// A held place; give it back with ``release()`` (once; later calls do nothing).
    public final class Slot: Sendable {
        private let giveBack: Mutex<(@Sendable () -> Void)?>

        init(_ giveBack: @escaping @Sendable () -> Void) {
            self.giveBack = Mutex(giveBack)
        }

        public func release() {
            let body = giveBack.withLock { body in
                defer { body = nil }
                return body
            }
            body?()
        }
    }

    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        var perUser: [String: Int] = [:]
        var ephemeralRunning = 0
        var waiters: Deque<Waiter> = []
        var nextWaiter: UInt64 = 0
        /// Waiters that gave up (timed out or cancelled) before they queued.
        var abandoned: Set<UInt64> = []
    }

    private let state = Mutex(State())

    public init() {}

    /// Ephemeral runs going now.
    public var ephemeralRunning: Int { state.withLock { $0.ephemeralRunning } }

    /// A place for one more request of `user`, or 429 when `limit` of theirs are in flight.
    public func admit(user: String, limit: Int) throws(ControlError) -> Slot {
        let admitted = state.withLock { state in
            guard state.perUser[user, default: 0] < limit else { return false }
            state.perUser[user, default: 0] += 1
            return true
        }
        guard admitted else {
            throw ControlError(
                .tooManyRequests,
                "\(user) has \(limit) requests in flight here, the most one user may; wait for one to finish",
                reason: "userInFlightLimit", retryAfterSeconds: 1)
        }
        return Slot { [weak self] in self?.endRequest(of: user) }
    }

    /// A place for one ephemeral run among `limit`, waiting up to `wait` for one to end, or 429.
    public func ephemeralRun(limit: Int, party: String, wait: Duration) async throws(ControlError) -> Slot {
        let (immediate, id) = state.withLock { state -> (Bool, UInt64) in
            state.nextWaiter += 1
            guard state.ephemeralRunning >= limit || !state.waiters.isEmpty else {
                state.ephemeralRunning += 1
                return (true, 0)
            }
            return (false, state.nextWaiter)
        }
        if !immediate {
            let timer = Task { [weak self] in
                try? await Task.sleep(for: wait)
                self?.giveUp(id)
            }
            let granted = await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    let queued = state.withLock { state in
                        guard state.abandoned.remove(id) == nil else { return false }
                        state.waiters.append(Waiter(id: id, continuation: continuation))
                        return true
                    }
                    guard queued else { return continuation.resume(returning: false) }
                    pass(limit: limit)
                }
            } onCancel: {
                giveUp(id)
            }
            timer.cancel()
            guard granted else {
                throw ControlError(
                    .tooManyRequests,
                    "\(party) runs \(limit) ephemeral requests at once, its limit, and none ended within "
                        + "\(wait); send the request again shortly or use persistent mode",
                    party: party, reason: "ephemeralLimit", retryAfterSeconds: 2)
            }
        }
        return Slot { [weak self] in self?.endRun(limit: limit) }
    }

    private func endRequest(of user: String) {
        state.withLock { state in
            state.perUser[user, default: 1] -= 1
            if state.perUser[user] == 0 { state.perUser[user] = nil }
        }
    }

    private func endRun(limit: Int) {
        state.withLock { $0.ephemeralRunning -= 1 }
        pass(limit: limit)
    }

    /// Hands free runs to the longest waiters.
    private func pass(limit: Int) {
        let granted = state.withLock { state -> [Waiter] in
            var granted: [Waiter] = []
            while state.ephemeralRunning < limit, let next = state.waiters.popFirst() {
                state.ephemeralRunning += 1
                granted.append(next)
            }
            return granted
        }
        for waiter in granted { waiter.continuation.resume(returning: true) }
    }

    private func giveUp(_ id: UInt64) {
        let waiter = state.withLock { state -> Waiter? in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else {
                state.abandoned.insert(id)
                return nil
            }
            return state.waiters.remove(at: index)
        }
        waiter?.continuation.resume(returning: false)
    }
}
