/// How an agent runs: its party, where it listens and is reached, and its timing.
public struct AgentSettings: Sendable {
    public var party: String
    public var host: String
    /// The HTTP port; 0 picks a free one (tests).
    public var port: Int
    /// The base URL others reach this agent at; derived from host and the bound port when nil.
    public var publicURL: String?
    /// How long a data request waits for its result.
    public var requestTimeout: Duration
    public var heartbeatInterval: Duration
    /// How often lapsed job leases are swept.
    public var sweepInterval: Duration
    /// How long an ephemeral request waits for one of the party's ephemeral runs to end before a 429.
    public var ephemeralWait: Duration = .seconds(2)

    public init(
        party: String, host: String = "127.0.0.1", port: Int = 8081, publicURL: String? = nil,
        requestTimeout: Duration = .seconds(60), heartbeatInterval: Duration = .seconds(1),
        sweepInterval: Duration = .seconds(30)
    ) {
        self.party = party
        self.host = host
        self.port = port
        self.publicURL = publicURL
        self.requestTimeout = requestTimeout
        self.heartbeatInterval = heartbeatInterval
        self.sweepInterval = sweepInterval
    }
}
