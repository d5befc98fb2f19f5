import DynamosAgent
import DynamosBus
import DynamosControl
import DynamosControlBus
import DynamosKnowledge
import DynamosMessages
import DynamosQueues
import DynamosRouteSigning
import DynamosRouting
import DynamosSupervisor
import DynamosTestSupport
import DynamosTokens
import Foundation
import Logging

/// UVA's agent on an in-memory broker, with the orchestrator's token authority and a control bus in its name:
/// the agent's own logic (inbox, results, data requests) without RabbitMQ or HTTP.
struct AgentOnMemoryBus {
    static let party = "UVA"
    static let analyst = AnalystUser(id: "GUID-UVA", userName: "jorrit.stutterheim@cloudnation.nl")

    let node = InMemoryBrokerNode()
    let agent: Agent
    let authority: TokenAuthority
    /// The orchestrator's connection and control bus (broker user `orchestrator`).
    let orchestrator: ControlBus
    let scratch: URL

    init(requestTimeout: Duration = .seconds(45)) async throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("agent-memory-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let keys = try TokenKeyFile.loadOrCreate(at: scratch.appendingPathComponent("token.pem").path)
        authority = try await TokenAuthority(privateKeyPEM: keys.privateKeyPEM)
        let signingKey = RouteSigningKey(party: Self.party, keyID: "\(Self.party)-1")
        let knowledgeBase = try KnowledgeBase.load(directory: Self.configDirectory)
        let logger = Logger(label: "test.agent")
        agent = Agent(
            settings: AgentSettings(party: Self.party, requestTimeout: requestTimeout),
            broker: node.connect(user: Self.party), signingKey: signingKey,
            keyring: try RouteKeyring(entries: [signingKey.publicEntry]),
            verifier: try await TokenVerifier(publicKeyPEM: keys.publicKeyPEM),
            registry: try JobRegistry(path: nil), config: VersionedKnowledgeBase(version: 0, knowledgeBase: knowledgeBase),
            workers: ExternalWorkers(), logger: logger)
        orchestrator = ControlBus(broker: node.connect(user: ControlQueues.orchestratorParty), logger: logger)
        try await agent.declareQueues()
        try await orchestrator.declareInbox(ControlQueues.orchestrator, party: ControlQueues.orchestratorParty)
    }

    /// `Deploy/config` of the package this test was built from.
    static var configDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Deploy/config").path
    }

    /// A composition of `job` that gives UVA the whole chain.
    static func composition(_ job: String, revision: Int = 1) -> JobComposition {
        JobComposition(
            jobId: job, revision: revision, user: analyst, requestType: "sqlDataRequest", archetype: "computeToData",
            assignments: [party: "computeToData"], computeProvider: nil, providers: [party], options: [],
            role: .all, party: party, reasons: ["test"])
    }

    /// The ready messages in this party's dead-letter queue, with their reasons.
    func deadLetterReasons() -> [String] {
        (node.readyMessages(in: QueueNames.dead(party: Self.party)) ?? []).compactMap {
            $0.properties.headers[DeadLetterHeaders.reason]?.stringValue
        }
    }

    /// Runs the agent's inbox and results services for `body`, then stops them.
    func serving<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        let services = [
            Task { try await AgentInboxService(agent: agent).run() },
            Task { try await AgentResultsService(agent: agent).run() },
        ]
        defer { services.forEach { $0.cancel() } }
        return try await body()
    }

    func remove() {
        try? FileManager.default.removeItem(at: scratch)
    }
}
