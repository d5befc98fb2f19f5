import DynamosBus
import DynamosControl
import DynamosOrchestrator
import DynamosRouting
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// An orchestrator in process over the real broker, its config seeded from `Deploy/config`, with the router for
/// `app.test(.router)`. No agent runs, so nothing is sent to any agent's inbox.
struct OrchestratorFixture {
    let orchestrator: Orchestrator
    let tokens: TokenAuthority

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let analyst = AnalystUser(id: "12324", userName: "jorrit.stutterheim@cloudnation.nl")

    static func with(
        _ body: @escaping @Sendable (OrchestratorFixture, any TestClientProtocol) async throws -> Void
    ) async throws {
        let logger = Logger(label: "test.orchestrator")
        let store = try SQLiteConfigStore(path: nil)
        try store.seedIfEmpty(directory: repository.appendingPathComponent("Deploy/config").path)
        let keys = Curve25519Key.pem()
        let tokens = try await TokenAuthority(privateKeyPEM: keys)
        let url = ProcessInfo.processInfo.environment[BrokerEndpoint.environmentVariable] ?? BrokerEndpoint.defaultURL
        let broker = try await RabbitMQBroker.connect(to: try BrokerEndpoint(url: url), name: "test.orchestrator", logger: logger)
        let orchestrator = Orchestrator(
            store: store, jobs: try JobBook(path: nil), bus: ControlBus(broker: broker, logger: logger), tokens: tokens,
            settings: OrchestratorSettings(port: 0), logger: logger)
        let fixture = OrchestratorFixture(orchestrator: orchestrator, tokens: tokens)
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
