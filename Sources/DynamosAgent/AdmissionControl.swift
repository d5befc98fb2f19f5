import DequeModule
public import DynamosControl
import DynamosWaiting
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

    private struct State {
        var perUser: [String: Int] = [:]
        var ephemeralRunning = 0
        /// The tickets of the callers waiting for a run, longest first.
        var line: Deque<UInt64> = []
        var nextTicket: UInt64 = 0
    }

    private let state = Mutex(State())
    /// Where callers wait for a run, each under its ticket; a run passed on is resumed there.
    private let runs = WaitingRoom<UInt64, Void>()

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
        // In line and with a place in the room under the same lock, so a run passed on at once is not missed.
        let place = state.withLock { state -> WaitingRoom<UInt64, Void>.Reservation? in
            guard state.ephemeralRunning >= limit || !state.line.isEmpty else {
                state.ephemeralRunning += 1
                return nil
            }
            state.nextTicket += 1
            state.line.append(state.nextTicket)
            return runs.reserve(state.nextTicket)
        }
        if let place {
            pass(limit: limit)
            let passed = await runs.wait(place, timeout: wait) != nil
            // Timed out or cancelled: still in line, it leaves; already passed a run, it keeps it.
            let granted = passed || state.withLock { state in
                guard let index = state.line.firstIndex(of: place.key) else { return true }
                state.line.remove(at: index)
                return false
            }
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
        let granted = state.withLock { state -> [UInt64] in
            var granted: [UInt64] = []
            while state.ephemeralRunning < limit, let next = state.line.popFirst() {
                state.ephemeralRunning += 1
                granted.append(next)
            }
            return granted
        }
        // A waiter that timed out meanwhile finds itself out of line and keeps the run (see `ephemeralRun`).
        for ticket in granted { runs.resume(ticket, with: ()) }
    }
}
