public import DynamosErrors
import DynamosBus
import DynamosControl
import DynamosHTTP
import DynamosKnowledge
import DynamosRouteSigning
import DynamosRouting
public import DynamosStewardConfig
import DynamosSupervisor
import DynamosTokens
import DynamosStatusLines
import Foundation
import Hummingbird
public import Logging
import ServiceLifecycle

/// One party's agent process: the composition of its services, in the module that owns them.
///
/// ``run(logger:)`` loads the configuration, keys and registry, connects to the broker (`DYNAMOS_AMQP_URL`), starts
/// the supervisor of the party's workers (or leaves them to someone else) and runs, in one `ServiceGroup` with
/// SIGTERM and SIGINT handling: the heartbeat, the supervisor, the results and inbox consumers, the lease sweep and
/// the HTTP server. A ``DaemonReady`` line on standard output says the server listens (after the prestarted pools
/// are ready). SIGTERM drains: the HTTP server and workers stop cleanly, the heartbeat's last beat says so.
public struct AgentDaemon: Sendable {
    public let configuration: AgentDaemonConfiguration

    public init(_ configuration: AgentDaemonConfiguration) {
        self.configuration = configuration
    }

    /// The services a party runs: a steward its data and compute services, a third party the compute ones.
    public static func services(for kind: StewardSettings.Kind) -> [String] {
        kind == .thirdParty ? ["aggregate", "algorithm", "graph"] : ["query", "anonymize", "algorithm", "graph"]
    }

    /// Runs the agent until SIGTERM or SIGINT.
    /// - Throws: ``AgentDaemonError`` when the configuration, keys or limits do not fit together, or the error of the
    ///   part that failed to start (registry, broker, TLS, HTTP server).
    public func run(logger: Logger) async throws {
        let configuration = configuration
        let party = configuration.party
        let knowledgeBase = try KnowledgeBase.load(directory: configuration.configDirectory)
        guard let settings = knowledgeBase.settings(of: party) else {
            throw AgentDaemonError("unknown party '\(party)'; the config knows \(knowledgeBase.stewards.map(\.name))")
        }
        guard configuration.maxWorkers <= settings.maxWorkersPerPool else {
            throw AgentDaemonError(
                "--max-workers \(configuration.maxWorkers) is above \(party)'s maxWorkersPerPool "
                    + "(\(settings.maxWorkersPerPool))")
        }
        let (signingKey, keyring) = try loadKeys()
        let verifier = try await TokenVerifier(
            publicKeyPEM: try String(contentsOfFile: configuration.tokenPublicKeyPath, encoding: .utf8))
        let state = "\(configuration.stateDirectory)/\(party)"
        let registry = try JobRegistry(path: "\(state)/jobs.sqlite", leaseDuration: configuration.lease)
        let broker = try await RabbitMQBroker.connect(
            RabbitMQBroker.Configuration(
                endpoint: try BrokerEndpoint.fromEnvironment(), connectionName: "agent.\(party)",
                retryFirstConnect: true),
            logger: logger)
        let supervisor = configuration.workers == .external
            ? nil : makeSupervisor(settings: settings, state: state, broker: broker, logger: logger)
        let provisioner: any WorkerProvisioner = supervisor ?? ExternalWorkers()
        var agentSettings = AgentSettings(
            party: party, host: configuration.host, port: configuration.port, publicURL: configuration.publicURL,
            requestTimeout: configuration.requestTimeout, heartbeatInterval: configuration.heartbeatInterval)
        agentSettings.ephemeralWait = configuration.ephemeralWait
        let agent = Agent(
            settings: agentSettings, broker: broker, signingKey: signingKey, keyring: keyring,
            partySecret: configuration.partySecret, verifier: verifier, registry: registry,
            config: VersionedKnowledgeBase(version: 0, knowledgeBase: knowledgeBase), workers: provisioner,
            logger: logger)
        do {
            try await agent.declareQueues()
            let prestarted = configuration.prestart ? Self.services(for: settings.kind) : []
            // Pools start under the supervisor's run loop (it watches every worker); external workers at once.
            let supervision = supervisor.map { SupervisorService(supervisor: $0, prestart: prestarted) }
            if supervision == nil { _ = try await provisioner.ensureRunning(prestarted) }
            let app = try server(for: agent, supervisor: supervisor, supervision: supervision, logger: logger)
            // Shut down in reverse order: HTTP first (in-flight requests still get their results), the heartbeat
            // last (its final beat says the agent is stopping).
            let services: [any Service] = [AgentHeartbeatService(agent: agent)]
                + (supervision.map { [$0] } ?? [])
                + [AgentResultsService(agent: agent), AgentInboxService(agent: agent), AgentSweepService(agent: agent), app]
            try await ServiceGroup(
                configuration: ServiceGroupConfiguration(
                    services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            ).run()
        } catch {
            await provisioner.shutdown()
            await broker.close()
            throw error
        }
        await provisioner.shutdown()
        await broker.close()
    }

    /// This party's signing key and the keyring, checked against each other.
    private func loadKeys() throws -> (RouteSigningKey, RouteKeyring) {
        let party = configuration.party
        let keyring = try RouteKeyring.load(file: configuration.keyringPath)
        let signingKey = try RouteSigningKey.load(file: configuration.signingKeyPath)
        guard signingKey.party == party else {
            throw AgentDaemonError("\(configuration.signingKeyPath) is \(signingKey.party)'s key, not \(party)'s")
        }
        guard keyring.entries.contains(signingKey.publicEntry) else {
            throw AgentDaemonError(
                "the keyring \(configuration.keyringPath) does not hold \(party)'s key '\(signingKey.keyID)'; nobody "
                    + "would accept its routes: add its public key to the keyring")
        }
        return (signingKey, keyring)
    }

    /// The supervisor of this party's pools, starting `dynamos worker` processes.
    private func makeSupervisor(
        settings: StewardSettings, state: String, broker: any Broker, logger: Logger
    ) -> Supervisor {
        let idle = configuration.idleTimeout ?? .seconds(settings.idleTimeoutSeconds)
        let limits = PoolLimits(min: configuration.minWorkers, max: configuration.maxWorkers)
        return Supervisor(
            settings: SupervisorSettings(
                party: configuration.party, idleTimeout: idle, maximumWorkers: settings.maxWorkersPerPool),
            pools: Dictionary(uniqueKeysWithValues: Self.services(for: settings.kind).map { ($0, limits) }),
            spawner: ProcessSpawner(
                executable: configuration.executable,
                arguments: [
                    "--data-dir", configuration.dataDirectory, "--config", configuration.configDirectory,
                    "--log-level", "warning", "--database-cache", "\(state)/query-cache",
                    "--keyring", configuration.keyringPath,
                ],
                environment: configuration.environment.filter { $0.key != "DYNAMOS_SIGNING_KEY" },
                logDirectory: state),
            probe: { [broker] queue in
                guard let status = try? await broker.inspectQueue(queue) else { return nil }
                return (Int(status.readyMessages), Int(status.consumers))
            },
            logger: logger)
    }

    /// The HTTP server, which announces itself once it listens and the prestarted pools are ready.
    private func server(
        for agent: Agent, supervisor: Supervisor?, supervision: SupervisorService?, logger: Logger
    ) throws -> some Service {
        let host = configuration.host
        let scheme = ServerTLS.scheme(configuration.tls)
        return Application(
            router: AgentHTTP.router(agent, supervisor: supervisor), server: try ServerTLS.builder(configuration.tls),
            configuration: ApplicationConfiguration(address: .hostname(host, port: configuration.port)),
            onServerRunning: { channel in
                agent.serverBound(scheme: scheme, host: host, port: channel.localAddress?.port ?? 0)
                guard await supervision?.waitUntilPrestarted() ?? true else { return }
                DaemonReady(service: .agent, party: agent.party, url: agent.endpoint).announce()
            },
            logger: logger)
    }
}

/// An agent that cannot start as configured: what does not fit and what to change.
public struct AgentDaemonError: DynamosError {
    public let message: String
    /// The error underneath, when this one reports on another.
    public let cause: ErrorCause?

    init(_ message: String, cause: (any Error)? = nil) {
        self.message = message
        self.cause = ErrorCause?(wrapping: cause)
    }
}
