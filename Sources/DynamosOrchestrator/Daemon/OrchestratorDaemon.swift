import DynamosBus
import DynamosControl
import DynamosControlBus
public import DynamosHTTP
import DynamosKnowledge
import DynamosRouting
import DynamosTokens
import DynamosStatusLines
import Foundation
import Hummingbird
public import Logging
import ServiceLifecycle

/// What the orchestrator process is started with: the parsed command line of `dynamos orchestrator`.
public struct OrchestratorDaemonConfiguration: Sendable {
    public var host = "127.0.0.1"
    /// The HTTP port; 0 picks a free one.
    public var port = 8080
    /// The seed configuration directory, read on first start only.
    public var configDirectory = "Deploy/config"
    /// The config database (SQLite); the job book sits beside it.
    public var database = ".dynamos/orchestrator/config.sqlite"
    /// The token signing key (Ed25519 PEM), created when missing, its public half at `<path>.pub`.
    public var signingKeyPath = ".dynamos/orchestrator/token-key.pem"
    /// The API key store; nil puts `api-keys.sqlite` beside ``database``.
    public var apiKeysPath: String?
    /// OpenID Connect settings (JSON), when callers may sign in that way.
    public var oidcSettingsPath: String?
    /// HTTPS, when set.
    public var tls: ServerTLS?
    public var tokenLifetime: Duration = .seconds(3600)
    /// How long without a heartbeat before an agent counts as offline.
    public var offlineAfter: Duration = .seconds(3)

    public init() {}
}

/// The orchestrator process: the composition of its services, in the module that owns them.
///
/// ``run(logger:)`` opens the config store (seeded on first start), the job book, the token key and the
/// credentials, connects to the broker (`DYNAMOS_AMQP_URL`) and runs the bus inbox and the HTTP API in one
/// `ServiceGroup` with SIGTERM and SIGINT handling. A ``DaemonReady`` line on standard output says the server
/// listens.
public struct OrchestratorDaemon: Sendable {
    public let configuration: OrchestratorDaemonConfiguration

    public init(_ configuration: OrchestratorDaemonConfiguration) {
        self.configuration = configuration
    }

    /// Runs the orchestrator until SIGTERM or SIGINT.
    /// - Throws: the error of the part that failed to start (store, keys, OIDC settings, broker, TLS, server).
    public func run(logger: Logger) async throws {
        let configuration = configuration
        let store = try SQLiteConfigStore(path: configuration.database)
        try await store.seedIfEmpty(directory: configuration.configDirectory)
        let keys = try TokenKeyFile.loadOrCreate(at: configuration.signingKeyPath)
        let tokens = try await TokenAuthority(privateKeyPEM: keys.privateKeyPEM, lifetime: configuration.tokenLifetime)
        let directory = URL(fileURLWithPath: configuration.database).deletingLastPathComponent()
        let jobs = try JobBook(path: directory.appendingPathComponent("jobs.sqlite").path)
        var oidc: OIDCVerifier?
        if let path = configuration.oidcSettingsPath {
            oidc = try await OIDCVerifier(settings: try OIDCSettings.load(file: path))
        }
        let credentials = Credentials(
            apiKeys: try APIKeyStore(
                path: configuration.apiKeysPath ?? directory.appendingPathComponent("api-keys.sqlite").path),
            oidc: oidc)
        if await !credentials.anyConfigured() {
            logger.warning(
                "no API key and no OIDC issuer is configured: nobody can use the API; add a key with `dynamos users add`")
        }
        let broker = try await RabbitMQBroker.connect(
            RabbitMQBroker.Configuration(
                endpoint: try BrokerEndpoint.fromEnvironment(), connectionName: "orchestrator", retryFirstConnect: true),
            logger: logger)
        let orchestrator = Orchestrator(
            store: store, jobs: jobs, bus: ControlBus(broker: broker, logger: logger), tokens: tokens,
            credentials: credentials,
            settings: OrchestratorSettings(
                host: configuration.host, port: configuration.port, tokenLifetime: configuration.tokenLifetime),
            registry: AgentRegistry(offlineAfter: configuration.offlineAfter), logger: logger)
        do {
            let host = configuration.host
            let scheme = ServerTLS.scheme(configuration.tls)
            let app = Application(
                router: OrchestratorHTTP.router(orchestrator), server: try ServerTLS.builder(configuration.tls),
                configuration: ApplicationConfiguration(address: .hostname(host, port: configuration.port)),
                onServerRunning: { channel in
                    let url = "\(scheme)://\(host):\(channel.localAddress?.port ?? 0)"
                    DaemonReady(service: .orchestrator, url: url).announce()
                },
                logger: logger)
            try await ServiceGroup(
                configuration: ServiceGroupConfiguration(
                    services: [OrchestratorInboxService(orchestrator: orchestrator), app],
                    gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            ).run()
        } catch {
            await broker.close()
            throw error
        }
        await broker.close()
    }
}
