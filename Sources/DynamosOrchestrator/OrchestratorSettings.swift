/// How an orchestrator behaves: its HTTP address, how long it waits for agents, how long tokens live.
public struct OrchestratorSettings: Sendable {
    public var host: String
    /// The HTTP port; 0 picks a free one (tests).
    public var port: Int
    /// How long an approval waits for every agent to confirm its composition.
    public var receiptTimeout: Duration
    /// How long an access token (and the orchestrator's memory of its job) lives.
    public var tokenLifetime: Duration
    /// How long a session token (`POST /api/v1/token`) lives.
    public var sessionLifetime: Duration

    public init(
        host: String = "127.0.0.1", port: Int = 8080, receiptTimeout: Duration = .seconds(3),
        tokenLifetime: Duration = .seconds(3600), sessionLifetime: Duration = .seconds(900)
    ) {
        self.sessionLifetime = sessionLifetime
        self.host = host
        self.port = port
        self.receiptTimeout = receiptTimeout
        self.tokenLifetime = tokenLifetime
    }
}
