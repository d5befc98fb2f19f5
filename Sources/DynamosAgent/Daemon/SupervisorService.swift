import DynamosLifecycle
public import DynamosSupervisor
import DynamosWaiting
public import ServiceLifecycle

/// Runs a `Supervisor` in the agent's `ServiceGroup`: reconcile, reap, scale from zero; at shutdown drain all.
///
/// It also starts the pools' first workers (`prestart`): the supervisor's run loop watches every worker, so the
/// first ones can only become ready once it runs. ``prestarted`` says when they are, so the agent announces itself
/// ready only then; a prestart that fails stops the service, and with it the agent.
public struct SupervisorService: Service {
    let supervisor: Supervisor
    let prestart: [String]
    /// Settled once: true when every prestarted pool has a ready worker (at once without a prestart), false when
    /// the prestart failed or the service stopped first.
    private let prestarted = WaitingRoom<Bool, Bool>()

    public init(supervisor: Supervisor, prestart: [String] = []) {
        self.supervisor = supervisor
        self.prestart = prestart
    }

    public func run() async throws {
        let (supervisor, prestart, prestarted) = (supervisor, prestart, prestarted)
        try await runUntilGracefulShutdown {
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { await supervisor.run() }
                var ready = false
                defer { prestarted.settle(true, with: ready) }
                if !prestart.isEmpty { _ = try await supervisor.ensureRunning(prestart) }
                ready = true
            }
        }
    }

    /// Whether the prestart finished (false when it failed or the service stopped first).
    public func waitUntilPrestarted() async -> Bool {
        await prestarted.wait(for: true) ?? false
    }
}
