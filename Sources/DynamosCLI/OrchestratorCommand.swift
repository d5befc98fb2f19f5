import ArgumentParser
import DynamosBus
import DynamosControl
import DynamosHTTP
import DynamosControlBus
import DynamosOrchestrator
import DynamosRouting
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// `dynamos orchestrator`: the control plane's HTTP API (approval, config, agents) and its bus inbox, until
/// SIGTERM or SIGINT.
struct OrchestratorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orchestrator",
        abstract: "Run the orchestrator: request approval, policy enforcement, the config API and the agent registry.",
        discussion: """
            The config is seeded from --config on first start and kept in --database afterwards. Tokens are signed \
            with the Ed25519 key in --signing-key (created on first start); agents verify them with <key>.pub. \
            Callers authenticate with API keys (`dynamos users add`, stored as hashes in --api-keys) or, with \
            --oidc, OpenID Connect access tokens; without either nobody can use the API. \
            A JSON line {"event":"ready","url":...} on standard output says the server listens.
            """)

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The HTTP port; 0 picks a free one.")
    var port = 8080

    @Option(help: "The seed configuration directory.")
    var config = "Deploy/config"

    @Option(help: "The config database (SQLite).")
    var database = ".dynamos/orchestrator/config.sqlite"

    @Option(help: "The token signing key (Ed25519 PEM), created when missing; its public key goes to <path>.pub.")
    var signingKey = ".dynamos/orchestrator/token-key.pem"

    @Option(help: "The API key store (SQLite); default api-keys.sqlite beside --database.")
    var apiKeys: String?

    @Option(help: "OpenID Connect settings (JSON: issuer, audience, jwksFile or jwksURL, claim names).")
    var oidc: String?

    @Option(help: "Serve HTTPS with this certificate chain (PEM); needs --tls-key.")
    var tlsCertificate: String?

    @Option(help: "The private key (PEM) of --tls-certificate.")
    var tlsKey: String?

    @Option(help: "Seconds an access token stays valid.")
    var tokenLifetime = 3600

    @Option(help: "Seconds without a heartbeat after which an agent counts as offline.")
    var offlineAfter = 3.0

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    func validate() throws {
        guard tokenLifetime > 0 else { throw ValidationError("--token-lifetime must be positive") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level '\(logLevel)'") }
    }

    func run() async throws {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var logger = Logger(label: "dynamos.orchestrator")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let store = try SQLiteConfigStore(path: database)
        try store.seedIfEmpty(directory: config)
        let keys = try TokenKeyFile.loadOrCreate(at: signingKey)
        let tokens = try await TokenAuthority(
            privateKeyPEM: keys.privateKeyPEM, lifetime: .seconds(tokenLifetime))
        let broker = try await RabbitMQBroker.connect(
            RabbitMQBroker.Configuration(
                endpoint: try BrokerEndpoint.fromEnvironment(), connectionName: "orchestrator", retryFirstConnect: true),
            logger: logger)
        let directory = URL(fileURLWithPath: database).deletingLastPathComponent()
        let jobs = try JobBook(path: directory.appendingPathComponent("jobs.sqlite").path)
        var oidcVerifier: OIDCVerifier?
        if let oidc { oidcVerifier = try await OIDCVerifier(settings: try OIDCSettings.load(file: oidc)) }
        let credentials = Credentials(
            apiKeys: try APIKeyStore(path: apiKeys ?? directory.appendingPathComponent("api-keys.sqlite").path),
            oidc: oidcVerifier)
        if await !credentials.anyConfigured() {
            logger.warning("no API key and no OIDC issuer is configured: nobody can use the API; add a key with `dynamos users add`")
        }
        let orchestrator = Orchestrator(
            store: store, jobs: jobs, bus: ControlBus(broker: broker, logger: logger), tokens: tokens,
            credentials: credentials,
            settings: OrchestratorSettings(host: host, port: port, tokenLifetime: .seconds(tokenLifetime)),
            registry: AgentRegistry(offlineAfter: .milliseconds(Int64(offlineAfter * 1000))), logger: logger)
        let host = host
        let tls = try ServerTLS.from(certificate: tlsCertificate, key: tlsKey)
        let scheme = ServerTLS.scheme(tls)
        let app = Application(
            router: OrchestratorHTTP.router(orchestrator), server: try ServerTLS.builder(tls),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port)),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? 0
                ReadyLine.print(["event": "ready", "service": "orchestrator", "url": "\(scheme)://\(host):\(bound)"])
            },
            logger: logger)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [OrchestratorInboxService(orchestrator: orchestrator), app],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            await broker.close()
            throw error
        }
        await broker.close()
    }
}

/// One JSON status line on standard output, flushed at once: how `dynamos up` and the tests see a daemon is ready.
enum ReadyLine {
    static func print(_ fields: [String: String]) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(fields) else { return }
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }
}
