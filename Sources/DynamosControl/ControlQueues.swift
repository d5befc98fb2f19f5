/// The control plane's queue names on the `dynamos` exchange (routing key = queue name).
public enum ControlQueues {
    /// Where agents send heartbeats and composition receipts.
    public static let orchestrator = "dynamos.orchestrator"
    /// The party that owns the orchestrator's queue (its dead letters go to `dynamos.orchestrator.dead`).
    public static let orchestratorParty = "orchestrator"
}
