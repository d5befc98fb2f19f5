/// What `dynamos up` brings up and where: parties, ports, directories, the executable.
public struct EnsembleSettings: Sendable {
    /// The `dynamos` executable the daemons run as.
    public var executable: String
    /// The parties that get an agent (stewards and third parties alike).
    public var parties: [String]
    public var host: String
    public var orchestratorPort: Int
    /// Agents listen on consecutive ports from here, in `parties` order; 0 lets each pick a free port.
    public var firstAgentPort: Int
    /// The state directory: orchestrator database and key, agent registries, logs, `ensemble.json`.
    public var stateDirectory: String
    /// Datasets as `<dataDirectory>/<party>/<table>.csv`; generated for stewards that have none.
    public var dataDirectory: String
    public var configDirectory: String
    /// Personen rows generated per steward when data is missing.
    public var generatedRows: Int
    /// The script that starts a private RabbitMQ node when the broker does not answer.
    public var brokerScript: String
    /// The broker; `DYNAMOS_AMQP_URL` (or the local default) when nil.
    public var brokerURL: String?
    /// TLS everywhere: a TLS-only private broker (`amqps://` with verification) and HTTPS for the orchestrator and
    /// agents, with certificates made for the run.
    public var tls: Bool
    public var logLevel: String
    /// Extra arguments for every agent (for example `--request-timeout`).
    public var agentArguments: [String]

    public init(
        executable: String, parties: [String] = ["UVA", "VU", "RUG", "SURF"], host: String = "127.0.0.1",
        orchestratorPort: Int = 8080, firstAgentPort: Int = 8081, stateDirectory: String = ".dynamos",
        dataDirectory: String = ".dynamos/data", configDirectory: String = "Deploy/config",
        generatedRows: Int = 18_000, brokerScript: String = "Deploy/local/broker.sh", brokerURL: String? = nil,
        tls: Bool = false, logLevel: String = "info",
        agentArguments: [String] = []
    ) {
        self.executable = executable
        self.parties = parties
        self.host = host
        self.orchestratorPort = orchestratorPort
        self.firstAgentPort = firstAgentPort
        self.stateDirectory = stateDirectory
        self.dataDirectory = dataDirectory
        self.configDirectory = configDirectory
        self.generatedRows = generatedRows
        self.brokerScript = brokerScript
        self.brokerURL = brokerURL
        self.tls = tls
        self.logLevel = logLevel
        self.agentArguments = agentArguments
    }
}
