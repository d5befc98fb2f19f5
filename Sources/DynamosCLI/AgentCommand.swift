import ArgumentParser
import DynamosAgent
import DynamosHTTP
import Foundation
import Logging

/// `dynamos agent --party P`: one party's agent (HTTP data requests, job registry, inbox, heartbeats) and its
/// workers, until SIGTERM or SIGINT.
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run a party's agent: data requests over HTTP, its job registry and its workers.",
        discussion: """
            Routes and tickets are signed with this party's own Ed25519 key (--signing-key) and checked against the \
            parties' public keys (--keyring); the broker comes from DYNAMOS_AMQP_URL. Tokens are \
            checked with the orchestrator's public key (--token-public-key). Workers are started as \
            `dynamos worker <service> --party P` processes when a request needs them (and at start with \
            --prestart); --workers external leaves them to someone else. A JSON line {"event":"ready","url":...} on \
            standard output says the server listens. SIGTERM drains: the HTTP server and workers stop cleanly.
            """)

    @Option(help: "The party this agent serves, e.g. UVA.")
    var party: String

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The HTTP port; 0 picks a free one.")
    var port = 8081

    @Option(help: "The URL others reach this agent at; default http://<host>:<bound port>.")
    var publicURL: String?

    @Option(help: "The seed configuration directory (until the orchestrator pushes its config).")
    var config = "Deploy/config"

    @Option(help: "Datasets as DIR/<party>/<table>.csv, for this party's workers.")
    var dataDir = ".dynamos/data"

    @Option(help: "Where the agent keeps its job registry and worker logs.")
    var stateDir = ".dynamos/agents"

    @Option(help: "This party's private route signing key (a JSON Web Key, mode 0600); default $DYNAMOS_SIGNING_KEY.")
    var signingKey: String?

    @Option(help: "The parties' public route keys (a JSON Web Key Set); default $DYNAMOS_KEYRING.")
    var keyring: String?

    @Option(help: "Serve HTTPS with this certificate chain (PEM); needs --tls-key.")
    var tlsCertificate: String?

    @Option(help: "The private key (PEM) of --tls-certificate.")
    var tlsKey: String?

    @Option(help: "The orchestrator's token public key (PEM).")
    var tokenPublicKey = ".dynamos/orchestrator/token-key.pem.pub"

    @Option(help: "Seconds a job lives without a request.")
    var lease = 600

    @Option(help: "Seconds a data request waits for its result.")
    var requestTimeout = 60.0

    @Option(help: "Seconds an ephemeral request waits for one of the party's ephemeral runs to end before a 429.")
    var ephemeralWait = 2.0

    @Option(help: "Seconds between heartbeats to the orchestrator.")
    var heartbeatInterval = 1.0

    @Option(help: "Who starts workers: spawn (this agent starts dynamos worker processes) or external.")
    var workers = "spawn"

    @Flag(inversion: .prefixedNo, help: "Start this party's workers at once rather than on the first request.")
    var prestart = true

    @Option(help: "Seconds without a delivery after which a worker is reaped; default the party's idleTimeoutSeconds.")
    var idleTimeout: Double?

    @Option(help: "Workers each pool keeps however idle (0 lets the reaper empty it).")
    var minWorkers = 0

    @Option(help: "Workers each pool may have.")
    var maxWorkers = 4

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    func validate() throws {
        guard AgentDaemonConfiguration.WorkerOwnership(rawValue: workers) != nil else {
            throw ValidationError("--workers must be spawn or external")
        }
        guard minWorkers >= 0, maxWorkers >= 1, minWorkers <= maxWorkers else {
            throw ValidationError("--min-workers and --max-workers need 0 <= min <= max and max >= 1")
        }
        if let idleTimeout, !(idleTimeout > 0 && idleTimeout <= 604_800) {
            throw ValidationError("--idle-timeout must be a number of seconds in (0, 604800]")
        }
        guard lease > 0, lease <= 86_400, requestTimeout > 0, requestTimeout <= 3_600, heartbeatInterval > 0,
            heartbeatInterval <= 60
        else {
            throw ValidationError(
                "--lease (1...86400 s), --request-timeout (up to 3600 s) and --heartbeat-interval (up to 60 s) must be "
                    + "positive")
        }
        guard ephemeralWait >= 0, ephemeralWait <= 600 else {
            throw ValidationError("--ephemeral-wait must be in 0...600 seconds")
        }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level '\(logLevel)'") }
    }

    func run() async throws {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var logger = Logger(label: "dynamos.agent.\(party)")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let variables = ProcessInfo.processInfo.environment
        guard let signingKeyPath = signingKey ?? variables["DYNAMOS_SIGNING_KEY"] else {
            throw ValidationError("no signing key for \(party): pass --signing-key FILE (`dynamos keys new` makes one)")
        }
        var configuration = AgentDaemonConfiguration(
            party: party, signingKeyPath: signingKeyPath, keyringPath: try KeyringOption.path(keyring, variables),
            executable: Self.executable)
        configuration.host = host
        configuration.port = port
        configuration.publicURL = publicURL
        configuration.configDirectory = config
        configuration.dataDirectory = dataDir
        configuration.stateDirectory = stateDir
        configuration.partySecret = try PartySecretOption.fromEnvironment(variables)
        configuration.tls = try ServerTLS.from(certificate: tlsCertificate, key: tlsKey)
        configuration.tokenPublicKeyPath = tokenPublicKey
        configuration.lease = .seconds(lease)
        configuration.requestTimeout = Self.duration(requestTimeout)
        configuration.ephemeralWait = Self.duration(ephemeralWait)
        configuration.heartbeatInterval = Self.duration(heartbeatInterval)
        configuration.workers = AgentDaemonConfiguration.WorkerOwnership(rawValue: workers) ?? .spawn
        configuration.prestart = prestart
        configuration.idleTimeout = idleTimeout.map(Self.duration)
        configuration.minWorkers = minWorkers
        configuration.maxWorkers = maxWorkers
        configuration.environment = variables
        try await AgentDaemon(configuration).run(logger: logger)
    }

    /// Seconds as a duration, to the millisecond.
    static func duration(_ seconds: Double) -> Duration { .milliseconds(Int64(seconds * 1000)) }

    /// This program's own path, for starting workers.
    static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
