import DynamosControl
import DynamosControlBus
import DynamosLifecycle
public import DynamosSupervisor
public import ServiceLifecycle

/// Runs a `Supervisor` in the agent's `ServiceGroup`: reconcile, reap, scale from zero; at shutdown drain all.
///
/// It also starts the pools' first workers (`prestart`): the supervisor's run loop watches every worker, so the
/// first ones can only become ready once it runs. ``prestarted`` says when they are, so the agent announces itself
/// ready only then; a prestart that fails stops the service, and with it the agent.
public struct SupervisorService: Service {
    let supervisor: Supervisor
    let prestart: [String]
    /// Yields once when every prestarted pool has a ready worker (at once without a prestart); ends unyielded when
    /// the prestart failed.
    public let prestarted: AsyncStream<Void>
    private let markPrestarted: AsyncStream<Void>.Continuation

    public init(supervisor: Supervisor, prestart: [String] = []) {
        self.supervisor = supervisor
        self.prestart = prestart
        (prestarted, markPrestarted) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    public func run() async throws {
        let (supervisor, prestart, markPrestarted) = (supervisor, prestart, markPrestarted)
        try await runUntilGracefulShutdown {
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { await supervisor.run() }
                defer { markPrestarted.finish() }
                if !prestart.isEmpty { _ = try await supervisor.ensureRunning(prestart) }
                markPrestarted.yield()
            }
        }
    }

    /// Whether the prestart finished (false when it failed or the service stopped first).
    public func waitUntilPrestarted() async -> Bool {
        for await _ in prestarted { return true }
        return false
    }
}
