import DynamosControl
import DynamosControlBus
public import DynamosSupervisor
public import ServiceLifecycle

/// Runs a `Supervisor` in the agent's `ServiceGroup`: reconcile, reap, scale from zero; at shutdown drain all.
public struct SupervisorService: Service {
    let supervisor: Supervisor

    public init(supervisor: Supervisor) {
        self.supervisor = supervisor
    }

    public func run() async throws {
        let supervisor = supervisor
        try await runUntilGracefulShutdown { await supervisor.run() }
    }
}
