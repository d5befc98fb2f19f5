/// How an orchestrator behaves: its HTTP address, how long it waits for agents, how long tokens live.
public struct OrchestratorSettings: Sendable {
    public var host: String
    /// The HTTP port; 0 picks a free one (tests).
    public var port: Int
    /// How long an approval waits for every agent to confirm its composition.
    public var receiptTimeout: Duration
    /// How long an access token (and the orchestrator's memory of its job) lives.
    public var tokenLifetime: Duration

    public init(
        host: String = "127.0.0.1", port: Int = 8080, receiptTimeout: Duration = .seconds(3),
        tokenLifetime: Duration = .seconds(3600)
    ) {
        self.host = host
        self.port = port
        self.receiptTimeout = receiptTimeout
        self.tokenLifetime = tokenLifetime
    }
}
