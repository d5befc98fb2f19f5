import Foundation
import Synchronization

/// The agent's HTTP address once its server listens; heartbeats wait for it, so the orchestrator never hands out
/// an endpoint with port 0.
final class ServingGate: Sendable {
    private struct State {
        var url: String?
        var waiters: [UUID: CheckedContinuation<String?, Never>] = [:]
    }

    private let state = Mutex(State())

    /// The URL, once opened.
    var url: String? { state.withLock { $0.url } }

    /// Records the URL and wakes every waiter.
    func open(_ url: String) {
        let waiters = state.withLock { state in
            state.url = url
            defer { state.waiters = [:] }
            return state.waiters
        }
        for waiter in waiters.values { waiter.resume(returning: url) }
    }

    /// The URL once the server listens; nil when the waiting task is cancelled first.
    func wait() async -> String? {
        let id = UUID()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready: String?? = state.withLock { state in
                    if let url = state.url { return .some(url) }
                    if Task.isCancelled { return .some(nil) }
                    state.waiters[id] = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume(returning: nil)
        }
    }
}
