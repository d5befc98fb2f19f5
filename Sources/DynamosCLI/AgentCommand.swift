import ArgumentParser
import DynamosAgent
import DynamosBus
import DynamosControl
import DynamosHTTP
import DynamosRouteSigning
import DynamosRouting
import DynamosSupervisor
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

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
        guard ["spawn", "external"].contains(workers) else {
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
        let knowledgeBase = try KnowledgeBase.load(directory: config)
        guard let settings = knowledgeBase.settings(of: party) else {
            throw ValidationError("unknown party '\(party)'; the config knows \(knowledgeBase.stewards.map(\.name))")
        }
        let variables = ProcessInfo.processInfo.environment
        let keyringPath = try KeyringOption.path(keyring, variables)
        let keyring = try RouteKeyring.load(file: keyringPath)
        guard let signingKeyPath = signingKey ?? variables["DYNAMOS_SIGNING_KEY"] else {
            throw ValidationError("no signing key for \(party): pass --signing-key FILE (`dynamos keys new` makes one)")
        }
        let signingKey = try RouteSigningKey.load(file: signingKeyPath)
        guard signingKey.party == party else {
            throw ValidationError("\(signingKeyPath) is \(signingKey.party)'s key, not \(party)'s")
        }
        guard keyring.entries.contains(signingKey.publicEntry) else {
            throw ValidationError(
                "the keyring \(keyringPath) does not hold \(party)'s key '\(signingKey.keyID)'; nobody would accept "
                    + "its routes: add its public key to the keyring")
        }
        let verifier = try await TokenVerifier(
            publicKeyPEM: try String(contentsOfFile: tokenPublicKey, encoding: .utf8))
        let state = "\(stateDir)/\(party)"
        let registry = try JobRegistry(path: "\(state)/jobs.sqlite", leaseDuration: .seconds(lease))
        let broker = try await RabbitMQBroker.connect(
            RabbitMQBroker.Configuration(
                endpoint: try BrokerEndpoint.fromEnvironment(), connectionName: "agent.\(party)", retryFirstConnect: true),
            logger: logger)
        let services = Self.services(for: settings.kind)
        let idle = idleTimeout ?? Double(settings.idleTimeoutSeconds)
        guard maxWorkers <= settings.maxWorkersPerPool else {
            throw ValidationError(
                "--max-workers \(maxWorkers) is above \(party)'s maxWorkersPerPool (\(settings.maxWorkersPerPool))")
        }
        let supervisor = workers == "external"
            ? nil
            : Supervisor(
                settings: SupervisorSettings(
                    party: party, idleTimeout: .milliseconds(Int64(idle * 1000)),
                    maximumWorkers: settings.maxWorkersPerPool),
                pools: Dictionary(uniqueKeysWithValues: services.map { ($0, PoolLimits(min: minWorkers, max: maxWorkers)) }),
                spawner: ProcessSpawner(
                    executable: Self.executable,
                    arguments: [
                        "--data-dir", dataDir, "--config", config, "--log-level", "warning",
                        "--database-cache", "\(state)/query-cache", "--keyring", keyringPath,
                    ],
                    environment: variables.filter { $0.key != "DYNAMOS_SIGNING_KEY" }, logDirectory: state),
                probe: { [broker] queue in
                    guard let status = try? await broker.inspectQueue(queue) else { return nil }
                    return (Int(status.readyMessages), Int(status.consumers))
                },
                logger: logger)
        let provisioner: any WorkerProvisioner = supervisor ?? ExternalWorkers()
        var agentSettings = AgentSettings(
            party: party, host: host, port: port, publicURL: publicURL,
            requestTimeout: .milliseconds(Int64(requestTimeout * 1000)),
            heartbeatInterval: .milliseconds(Int64(heartbeatInterval * 1000)))
        agentSettings.ephemeralWait = .milliseconds(Int64(ephemeralWait * 1000))
        let agent = Agent(
            settings: agentSettings,
            broker: broker, signingKey: signingKey, keyring: keyring,
            partySecret: try PartySecretOption.fromEnvironment(variables), verifier: verifier, registry: registry,
            config: VersionedKnowledgeBase(version: 0, knowledgeBase: knowledgeBase), workers: provisioner,
            logger: logger)
        do {
            try await agent.declareQueues()
            let services = prestart ? Self.services(for: settings.kind) : []
            // Pools start under the supervisor's run loop (it watches every worker); external workers at once.
            let supervision = supervisor.map { SupervisorService(supervisor: $0, prestart: services) }
            if supervision == nil { _ = try await provisioner.ensureRunning(services) }
            let host = host
            let tls = try ServerTLS.from(certificate: tlsCertificate, key: tlsKey)
            let scheme = ServerTLS.scheme(tls)
            let app = Application(
                router: AgentHTTP.router(agent, supervisor: supervisor), server: try ServerTLS.builder(tls),
                configuration: ApplicationConfiguration(address: .hostname(host, port: port)),
                onServerRunning: { channel in
                    let bound = channel.localAddress?.port ?? 0
                    agent.serverBound(scheme: scheme, host: host, port: bound)
                    guard await supervision?.waitUntilPrestarted() ?? true else { return }
                    ReadyLine.print(["event": "ready", "service": "agent", "party": agent.party, "url": agent.endpoint])
                },
                logger: logger)
            // Shut down in reverse order: HTTP first (in-flight requests still get their results), the heartbeat
            // last (its final beat says the agent is stopping).
            let group = ServiceGroup(
                configuration: ServiceGroupConfiguration(
                    services: [AgentHeartbeatService(agent: agent)]
                        + (supervision.map { [$0] as [any Service] } ?? [])
                        + [
                            AgentResultsService(agent: agent), AgentInboxService(agent: agent),
                            AgentSweepService(agent: agent), app,
                        ],
                    gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
        } catch {
            await provisioner.shutdown()
            await broker.close()
            throw error
        }
        await provisioner.shutdown()
        await broker.close()
    }

    /// The services a party runs: a steward its data and compute services, a third party the compute ones.
    static func services(for kind: StewardSettings.Kind) -> [String] {
        kind == .thirdParty ? ["aggregate", "algorithm", "graph"] : ["query", "anonymize", "algorithm", "graph"]
    }

    /// This program's own path, for starting workers.
    static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
