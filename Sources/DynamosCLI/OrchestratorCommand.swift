import ArgumentParser
import DynamosHTTP
import DynamosOrchestrator
import Foundation
import Logging

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
        var configuration = OrchestratorDaemonConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.configDirectory = config
        configuration.database = database
        configuration.signingKeyPath = signingKey
        configuration.apiKeysPath = apiKeys
        configuration.oidcSettingsPath = oidc
        configuration.tls = try ServerTLS.from(certificate: tlsCertificate, key: tlsKey)
        configuration.tokenLifetime = .seconds(tokenLifetime)
        configuration.offlineAfter = .milliseconds(Int64(offlineAfter * 1000))
        try await OrchestratorDaemon(configuration).run(logger: logger)
    }
}
