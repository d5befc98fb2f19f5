import DynamosWaiting

/// A mutual-exclusion lock for async code: one holder at a time, waiters resumed in arrival order.
///
/// Config changes take it so that a change, its push and the re-planning it causes finish before the next one.
/// Each waiter waits in a ``WaitingRoom`` under a ticket of its own, ignoring cancellation: a cancelled caller
/// still gets the lock in its turn (its body decides what cancellation means).
actor AsyncLock {
    private var held = false
    private var line: [UInt64] = []
    private var nextTicket: UInt64 = 0
    private let turns = WaitingRoom<UInt64, Void>()

    func withLock<T: Sendable, E: Error>(_ body: @Sendable () async throws(E) -> T) async throws(E) -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        guard held else {
            held = true
            return
        }
        nextTicket += 1
        line.append(nextTicket)
        // Registered before this actor suspends, so a release cannot slip in between; the lock is handed over
        // held, from the releasing holder to this waiter.
        _ = await turns.wait(for: nextTicket, ignoringCancellation: true)
    }

    private func release() {
        if line.isEmpty {
            held = false
        } else {
            turns.resume(line.removeFirst(), with: ())
        }
    }
}
