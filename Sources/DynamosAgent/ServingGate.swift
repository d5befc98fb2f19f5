import DynamosWaiting

/// The agent's HTTP address once its server listens; heartbeats wait for it, so the orchestrator never hands out
/// an endpoint with port 0.
final class ServingGate: Sendable {
    private let room = WaitingRoom<Int, String>()

    /// The URL, once opened.
    var url: String? { room.settled(0) }

    /// Records the URL and wakes every waiter.
    func open(_ url: String) {
        room.settle(0, with: url)
    }

    /// The URL once the server listens; nil when the waiting task is cancelled first.
    func wait() async -> String? {
        await room.wait(for: 0)
    }
}
