import DynamosBus
import DynamosControl
import DynamosControlBus
import DynamosKnowledge
import DynamosOrchestrator
import DynamosRouting
import DynamosTokens
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// An orchestrator in process on an in-memory broker (its logic needs no RabbitMQ; the control-plane suites run it
/// against the real one), its config seeded from `Deploy/config`, with the router for `app.test(.router)`. No agent
/// runs; a test that wants to see what the orchestrator sends declares the inbox on ``node`` and reads it.
struct OrchestratorFixture {
    let orchestrator: Orchestrator
    let tokens: TokenAuthority
    let keys: Keys
    /// The in-memory broker the orchestrator's control bus is connected to.
    let node: InMemoryBrokerNode

    /// API keys of the demo analyst, an operator, UVA's steward admin and an analyst without any agreement.
    struct Keys {
        let analyst: String
        let `operator`: String
        let uvaAdmin: String
        let stranger: String
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let analyst = AnalystUser(id: "12324", userName: "jorrit.stutterheim@cloudnation.nl")

    static func with(
        oidc: OIDCVerifier? = nil,
        _ body: @escaping @Sendable (OrchestratorFixture, any TestClientProtocol) async throws -> Void
    ) async throws {
        let logger = Logger(label: "test.orchestrator")
        let store = try SQLiteConfigStore(path: nil)
        try await store.seedIfEmpty(directory: repository.appendingPathComponent("Deploy/config").path)
        let signingKey = Curve25519Key.pem()
        let tokens = try await TokenAuthority(privateKeyPEM: signingKey)
        let node = InMemoryBrokerNode()
        let broker = node.connect(user: ControlQueues.orchestratorParty)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("orchestrator-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let apiKeys = try APIKeyStore(path: directory.appendingPathComponent("api-keys.sqlite").path)
        let keys = Keys(
            analyst: try await apiKeys.add(user: analyst.userName, role: .analyst).text,
            operator: try await apiKeys.add(user: "operator", role: .operator).text,
            uvaAdmin: try await apiKeys.add(user: "admin@uva.nl", role: .stewardAdmin, steward: "UVA").text,
            stranger: try await apiKeys.add(user: "mallory@example.org", role: .analyst).text)
        let credentials = Credentials(
            apiKeys: apiKeys, oidc: oidc)
        let orchestrator = Orchestrator(
            store: store, jobs: try JobBook(path: nil), bus: ControlBus(broker: broker, logger: logger), tokens: tokens,
            credentials: credentials, settings: OrchestratorSettings(port: 0),
            registry: AgentRegistry(offlineAfter: .seconds(30)), logger: logger)
        let fixture = OrchestratorFixture(orchestrator: orchestrator, tokens: tokens, keys: keys, node: node)
        let app = Application(router: OrchestratorHTTP.router(orchestrator))
        do {
            try await app.test(.router) { client in try await body(fixture, client) }
        } catch {
            await broker.close()
            throw error
        }
        await broker.close()
    }

    /// A heartbeat from `party` sent now.
    static func heartbeat(_ party: String, sentSecondsAgo: Double = 0, configVersion: Int = 1) -> AgentHeartbeat {
        AgentHeartbeat(
            party: party, inbox: "dynamos.\(party).agent", endpoint: "http://127.0.0.1:9\(party.count)00", cpu: 0.1,
            memory: 0.2, activeJobs: 0, requestsInFlight: 0, configVersion: configVersion,
            sentUnixMicros: Int64((Date().timeIntervalSince1970 - sentSecondsAgo) * 1_000_000))
    }
}

extension TestClientProtocol {
    /// `execute` with `credential` as the bearer credential.
    @discardableResult
    func execute<Return>(
        uri: String, method: HTTPRequest.Method, as credential: String, body: ByteBuffer? = nil,
        testCallback: @escaping (TestResponse) async throws -> Return = { $0 }
    ) async throws -> Return {
        try await execute(
            uri: uri, method: method, headers: [.authorization: "Bearer \(credential)"], body: body,
            testCallback: testCallback)
    }
}

extension TestResponse {
    /// The body decoded as `T`.
    func json<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(body.readableBytesView))
    }
}

extension ByteBuffer {
    init(json value: some Encodable) throws {
        self.init(bytes: try JSONEncoder().encode(value))
    }
}
