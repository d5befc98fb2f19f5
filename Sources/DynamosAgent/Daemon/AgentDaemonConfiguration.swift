public import DynamosRouteSigning
public import DynamosHTTP

/// What an agent process is started with: the parsed command line of `dynamos agent`, files named by path.
///
/// The command only parses and range-checks; ``AgentDaemon`` loads the files, checks that they fit together and
/// composes the process, so a test or another front end can start an agent the same way.
public struct AgentDaemonConfiguration: Sendable {
    /// Who starts the party's worker processes.
    public enum WorkerOwnership: String, Sendable, CaseIterable {
        /// This agent starts `dynamos worker` processes and supervises them.
        case spawn
        /// Someone else (Kubernetes, an operator) runs them; the agent starts none and cannot run ephemerally.
        case external
    }

    public var party: String
    public var host = "127.0.0.1"
    /// The HTTP port; 0 picks a free one.
    public var port = 8081
    /// The URL others reach this agent at; default `<scheme>://<host>:<bound port>`.
    public var publicURL: String?
    /// The seed configuration directory (until the orchestrator pushes its config).
    public var configDirectory = "Deploy/config"
    /// Datasets as `<dir>/<party>/<table>.csv`, for this party's workers.
    public var dataDirectory = ".dynamos/data"
    /// Where the agent keeps its job registry and worker logs (under `<dir>/<party>`).
    public var stateDirectory = ".dynamos/agents"
    /// This party's private route signing key (a JSON Web Key).
    public var signingKeyPath: String
    /// The parties' public route keys (a JSON Web Key Set).
    public var keyringPath: String
    /// This party's secret for route tags, when it has one.
    public var partySecret: PartySecret?
    /// HTTPS, when set.
    public var tls: ServerTLS?
    /// The orchestrator's token public key (PEM).
    public var tokenPublicKeyPath = ".dynamos/orchestrator/token-key.pem.pub"
    /// How long a job lives without a request.
    public var lease: Duration = .seconds(600)
    public var requestTimeout: Duration = .seconds(60)
    /// How long an ephemeral request waits for one of the party's ephemeral runs to end before a 429.
    public var ephemeralWait: Duration = .seconds(2)
    public var heartbeatInterval: Duration = .seconds(1)
    public var workers = WorkerOwnership.spawn
    /// Start the party's pools at once rather than on the first request.
    public var prestart = true
    /// Reap a worker after this long without a delivery; nil takes the party's `idleTimeoutSeconds`.
    public var idleTimeout: Duration?
    public var minWorkers = 0
    public var maxWorkers = 4
    /// The process environment, passed on to workers without the signing key.
    public var environment: [String: String] = [:]
    /// The `dynamos` executable workers are started from.
    public var executable: String

    public init(party: String, signingKeyPath: String, keyringPath: String, executable: String) {
        self.party = party
        self.signingKeyPath = signingKeyPath
        self.keyringPath = keyringPath
        self.executable = executable
    }
}
