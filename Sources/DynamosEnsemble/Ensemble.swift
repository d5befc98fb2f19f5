import DynamosBrokerAccess
import DynamosBus
public import DynamosClient
import DynamosControl
import DynamosDatagen
import DynamosKnowledge
public import DynamosProcess
import DynamosStatusLines
import Foundation
public import Logging
import Synchronization

/// The local ensemble `dynamos up` runs: a broker (private when none answers), the orchestrator and one agent per
/// party, each agent with its workers, on loopback.
///
/// Keys and broker users are made fresh for each run (`EnsembleSecrets`, `EnsembleBrokerUsers`) and each party's
/// processes get only their own; the config database is seeded anew from the config directory, so `--config` always counts. Daemon logs go to `<state>/logs/` and, with
/// the daemon's name in front, to `log`.
public final class Ensemble: Sendable {
    public let settings: EnsembleSettings
    public let file: EnsembleFile
    /// The API keys of the demo analyst and an operator.
    public let credentials: EnsembleCredentials
    private let broker: LocalBroker
    private let orchestrator: ChildProcess
    private let agents: Mutex<[String: ChildProcess]>
    private let launch: AgentLaunch
    /// Each broker user's URL (with its password): what tests use to act as one party on the bus.
    private let brokerURLs: [String: String]

    /// How agents are started, kept for restarts.
    private struct AgentLaunch: Sendable {
        var arguments: [String: [String]]
        var environments: [String: [String: String]]
        var log: @Sendable (String) -> Void
    }

    private init(
        settings: EnsembleSettings, file: EnsembleFile, credentials: EnsembleCredentials, broker: LocalBroker,
        orchestrator: ChildProcess,
        agents: [String: ChildProcess], launch: AgentLaunch, brokerURLs: [String: String]
    ) {
        self.brokerURLs = brokerURLs
        self.settings = settings
        self.file = file
        self.credentials = credentials
        self.broker = broker
        self.orchestrator = orchestrator
        self.agents = Mutex(agents)
        self.launch = launch
    }

    /// Brings the ensemble up and waits until every agent is online at the orchestrator.
    /// - Parameter log: receives each daemon's log lines, prefixed with its name.
    public static func start(
        _ settings: EnsembleSettings, logger: Logger, log: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws -> Ensemble {
        let state = settings.stateDirectory
        let manager = FileManager.default
        try manager.createDirectory(atPath: "\(state)/logs", withIntermediateDirectories: true)
        try manager.createDirectory(atPath: "\(state)/orchestrator", withIntermediateDirectories: true)
        let given = settings.brokerURL ?? ProcessInfo.processInfo.environment[BrokerEndpoint.environmentVariable]
            ?? BrokerEndpoint.defaultURL
        let knowledgeBase = try KnowledgeBase.load(directory: settings.configDirectory)
        let secrets = try EnsembleSecrets.make(parties: settings.parties, in: state)
        let certificates = settings.tls
            ? try EnsembleCertificates.make(
                names: ["broker", "orchestrator"] + settings.parties, host: settings.host, in: state)
            : nil
        let url = try certificates.map { try LocalBroker.tlsURL(given, authority: $0.authority) } ?? given
        let users = try EnsembleBrokerUsers.make(knowledgeBase: knowledgeBase, baseURL: url, in: state)
        let broker = try await LocalBroker.ensure(
            url: url, script: settings.brokerScript, stateDirectory: state, definitions: users.definitionsPath,
            probeURL: users.urls[BrokerPermissions.orchestratorUser] ?? url,
            tls: certificates.map { LocalBroker.TLS(certificates: $0) }, startOwnTLSNode: certificates != nil && !given.hasPrefix("amqps"))
        try generateMissingData(settings, log: log)
        var environment = secrets.sharedEnvironment(ProcessInfo.processInfo.environment)
        environment[BrokerEndpoint.environmentVariable] = users.urls[BrokerPermissions.orchestratorUser]
        var agentEnvironments: [String: [String: String]] = [:]
        for party in settings.parties {
            guard let partyURL = users.urls[party] else {
                throw EnsembleError("party \(party) is not in \(settings.configDirectory)/stewards.json; add it there")
            }
            var own = secrets.environment(of: party, shared: environment)
            own[BrokerEndpoint.environmentVariable] = partyURL
            agentEnvironments[party] = own
        }
        try? manager.removeItem(atPath: "\(state)/orchestrator/config.sqlite")
        let credentials = try await makeCredentials(settings, log: log)
        let signingKey = "\(state)/orchestrator/token-key.pem"
        var started: [ChildProcess] = []
        do {
            let orchestrator = try spawn(
                "orchestrator",
                ["orchestrator", "--host", settings.host, "--port", String(settings.orchestratorPort),
                 "--config", settings.configDirectory, "--database", "\(state)/orchestrator/config.sqlite",
                 "--signing-key", signingKey, "--api-keys", "\(state)/orchestrator/api-keys.sqlite",
                 "--log-level", settings.logLevel] + Self.tlsArguments(certificates, "orchestrator"),
                settings: settings, environment: environment, log: log)
            started.append(orchestrator)
            let orchestratorURL = try await readyURL(of: orchestrator, name: "orchestrator")
            var agents: [String: ChildProcess] = [:]
            var agentURLs: [String: String] = [:]
            var arguments: [String: [String]] = [:]
            for (index, party) in settings.parties.enumerated() {
                let port = settings.firstAgentPort == 0 ? 0 : settings.firstAgentPort + index
                arguments[party] =
                    ["agent", "--party", party, "--host", settings.host, "--port", String(port),
                     "--config", settings.configDirectory, "--data-dir", settings.dataDirectory,
                     "--state-dir", "\(state)/agents", "--token-public-key", signingKey + ".pub",
                     "--log-level", settings.logLevel] + Self.tlsArguments(certificates, party) + settings.agentArguments
                let agent = try spawn(
                    party, arguments[party]!, settings: settings, environment: agentEnvironments[party]!, log: log)
                started.append(agent)
                agents[party] = agent
            }
            for (party, agent) in agents {
                agentURLs[party] = try await readyURL(of: agent, name: "agent \(party)")
            }
            let authority = certificates.map { URL(fileURLWithPath: $0.authority).standardizedFileURL.path }
            try await waitUntilOnline(
                settings.parties, orchestratorURL: orchestratorURL, credential: credentials.operator.apiKey,
                authority: authority)
            let file = EnsembleFile(
                orchestrator: orchestratorURL, agents: agentURLs, broker: (try? BrokerEndpoint(url: url))?.redactedDescription ?? url,
                pid: getpid(), startedAt: Date().timeIntervalSince1970,
                dataDirectory: URL(fileURLWithPath: settings.dataDirectory).standardizedFileURL.path,
                certificateAuthority: authority)
            try file.write(to: EnsembleFile.path(in: state))
            logger.info("ensemble up", metadata: ["orchestrator": "\(orchestratorURL)"])
            return Ensemble(
                settings: settings, file: file, credentials: credentials, broker: broker, orchestrator: orchestrator,
                agents: agents,
                launch: AgentLaunch(arguments: arguments, environments: agentEnvironments, log: log),
                brokerURLs: users.urls)
        } catch {
            for process in started.reversed() {
                process.send(SIGTERM)
                _ = await process.exitStatus()
            }
            await broker.stop()
            throw error
        }
    }

    /// The broker URL of `user` (a party, or `orchestrator`), its password included: to act as that party on the bus.
    public func brokerURL(of user: String) -> String? { brokerURLs[user] }

    /// The agent process of `party`.
    public func agentProcess(_ party: String) -> ChildProcess? { agents.withLock { $0[party] } }

    /// Stops `party`'s agent (SIGTERM: it drains and stops its workers) and starts it again with the same
    /// arguments and state directory.
    /// - Returns: the new agent's base URL.
    public func restartAgent(_ party: String) async throws -> String {
        guard let old = agentProcess(party), let arguments = launch.arguments[party] else {
            throw EnsembleError("no agent for \(party) in this ensemble")
        }
        old.send(SIGTERM)
        _ = await old.exitStatus()
        let agent = try Self.spawn(
            party, arguments, settings: settings, environment: launch.environments[party] ?? [:], log: launch.log)
        agents.withLock { $0[party] = agent }
        return try await Self.readyURL(of: agent, name: "agent \(party)")
    }

    /// Stops the agents (each drains its workers), then the orchestrator, then a private broker.
    public func stop() async {
        await withTaskGroup(of: Void.self) { group in
            for process in agents.withLock({ Array($0.values) }) {
                group.addTask {
                    process.send(SIGTERM)
                    _ = await process.exitStatus()
                }
            }
        }
        orchestrator.send(SIGTERM)
        _ = await orchestrator.exitStatus()
        try? FileManager.default.removeItem(atPath: EnsembleFile.path(in: settings.stateDirectory))
        await broker.stop()
    }

    private static func spawn(
        _ name: String, _ arguments: [String], settings: EnsembleSettings, environment: [String: String],
        log: @escaping @Sendable (String) -> Void
    ) throws -> ChildProcess {
        let logFile = "\(settings.stateDirectory)/logs/\(name).log"
        if !FileManager.default.fileExists(atPath: logFile) {
            _ = FileManager.default.createFile(atPath: logFile, contents: nil)
        }
        let handle = FileHandle(forWritingAtPath: logFile)
        _ = try? handle?.seekToEnd()
        let prefix = "[\(name)] "
        return try ChildProcess(
            settings.executable, arguments, environment: environment,
            output: .observed(stderr: { line in
                handle?.write(Data((line + "\n").utf8))
                log(prefix + line)
            }), keepingLines: 64)
    }

    private static func readyURL(of process: ChildProcess, name: String) async throws -> String {
        let line = try await process.waitForLine(within: .seconds(60), "\(name) ready") { DaemonReady(line: $0) != nil }
        guard let ready = DaemonReady(line: line) else {
            throw EnsembleError("\(name) reported ready without a URL: \(line)")
        }
        return ready.url
    }

    /// `--tls-certificate` and `--tls-key` of `name`'s certificate, under TLS.
    private static func tlsArguments(_ certificates: EnsembleCertificates?, _ name: String) -> [String] {
        guard let pair = certificates?.pair(name) else { return [] }
        return ["--tls-certificate", pair.certificate, "--tls-key", pair.key]
    }

    private static func waitUntilOnline(
        _ parties: [String], orchestratorURL: String, credential: String, authority: String?
    ) async throws {
        let client = AnalystClient(
            orchestratorURL: orchestratorURL, credential: credential, http: TrustedHTTP.client(trusting: authority),
            timeout: .seconds(5))
        let deadline = ContinuousClock.now + .seconds(30)
        var online: Set<String> = []
        while ContinuousClock.now < deadline {
            if let body = try? await client.get("/api/v1/agents"),
                let entries = try? JSONDecoder().decode([AgentStatus].self, from: body)
            {
                online = Set(entries.filter(\.online).map(\.party))
                if online.isSuperset(of: parties) { return }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let missing = Set(parties).subtracting(online).sorted()
        throw EnsembleError("agents \(missing) did not come online within 30 s; see their logs")
    }

    /// The part of `GET /api/v1/agents` the ensemble reads.
    private struct AgentStatus: Decodable {
        var party: String
        var online: Bool
    }

    private static func generateMissingData(_ settings: EnsembleSettings, log: @Sendable (String) -> Void) throws {
        let generator = UNLDataGenerator(seed: 1, personCount: settings.generatedRows)
        for party in settings.parties {
            guard let steward = Steward.named(party) else { continue }
            let directory = URL(fileURLWithPath: settings.dataDirectory).appendingPathComponent(party, isDirectory: true)
            guard !FileManager.default.fileExists(atPath: directory.appendingPathComponent("Personen.csv").path) else {
                continue
            }
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for file in generator.dataset(for: steward).csvFiles() {
                try Data(file.text.utf8).write(to: directory.appendingPathComponent(file.fileName), options: .atomic)
            }
            log("[up] generated \(settings.generatedRows) Personen rows for \(party) in \(directory.path)")
        }
    }
}
