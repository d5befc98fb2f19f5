import DynamosControl
import DynamosControlBus
import DynamosKnowledge
import DynamosLifecycle
import DynamosQueues
public import ServiceLifecycle

/// Serves the orchestrator's bus inbox (`dynamos.orchestrator`) as a lifecycle `Service`: heartbeats and receipts.
public struct OrchestratorInboxService: Service {
    let orchestrator: Orchestrator

    public init(orchestrator: Orchestrator) {
        self.orchestrator = orchestrator
    }

    /// Declares the inbox, then consumes it until graceful shutdown or cancellation.
    public func run() async throws {
        let bus = orchestrator.bus
        try await bus.declareInbox(ControlQueues.orchestrator, party: ControlQueues.orchestratorParty)
        try await runUntilGracefulShutdown {
            try await bus.serve(
                ControlQueues.orchestrator,
                deadLetterQueue: QueueNames.dead(party: ControlQueues.orchestratorParty)
            ) { message, sender in
                await orchestrator.receive(message, from: sender)
            }
        }
    }
}
