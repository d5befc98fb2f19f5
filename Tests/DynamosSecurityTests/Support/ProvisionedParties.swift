import DynamosBrokerAccess
import DynamosBus
import DynamosKnowledge
import DynamosProcess
import DynamosStewardConfig
import DynamosTestSupport
import Foundation
import Logging
import Testing

/// Parties of a test's own on the real broker, each with the broker user `dynamos up` would give it: two stewards
/// and a third party named for this test only, and an orchestrator user, provisioned from `Deploy/config` through
/// `rabbitmqctl import_definitions` exactly as the ensemble does.
struct ProvisionedParties: Sendable {
    static let logger: Logger = {
        var logger = Logger(label: "dynamos.tests.security")
        logger.logLevel = .critical
        return logger
    }()
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    let steward: String
    let otherSteward: String
    let thirdParty: String
    let orchestrator: String
    let permissions: BrokerPermissions
    private let urls: [String: String]

    /// Provisions the users; fails the test when no `rabbitmqctl` for the broker can be found.
    static func make() async throws -> ProvisionedParties {
        let suffix = String(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(8))
        let steward = "S\(suffix)", other = "R\(suffix)", third = "T\(suffix)", orchestrator = "O\(suffix)"
        var knowledgeBase = try KnowledgeBase.load(
            directory: repository.appendingPathComponent("Deploy/config").path)
        knowledgeBase.stewards = [
            StewardSettings(name: steward, kind: .steward), StewardSettings(name: other, kind: .steward),
            StewardSettings(name: third, kind: .thirdParty),
        ]
        let permissions = try BrokerPermissions(knowledgeBase: knowledgeBase, orchestratorUser: orchestrator)
        let base = try BrokerEndpoint.fromEnvironment()
        var passwords: [String: String] = [:]
        var urls: [String: String] = [:]
        for grant in permissions.grants {
            passwords[grant.user] = BrokerDefinitions.randomPassword()
            urls[grant.user] = "amqp://\(grant.user):\(passwords[grant.user]!)@\(base.host):\(base.port)/"
        }
        let definitions = try BrokerDefinitions(permissions: permissions, passwords: passwords)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("definitions-\(suffix).json")
        try definitions.encoded().write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let rabbitmqctl = try #require(
            [ProcessInfo.processInfo.environment["DYNAMOS_RABBITMQCTL"],
             repository.appendingPathComponent(".dynamos/broker-\(base.port)/rabbitmqctl").path]
                .compactMap { $0 }.first { FileManager.default.isExecutableFile(atPath: $0) },
            "no rabbitmqctl for the test broker: run the tests with `make test` (it sets DYNAMOS_RABBITMQCTL)")
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("import-\(suffix).log").path
        let process = try ChildProcess(rabbitmqctl, ["-q", "import_definitions", file.path], output: .file(log))
        try #require(await process.exitStatus() == 0, "import_definitions failed: \(String(describing: try? String(contentsOfFile: log, encoding: .utf8)))")
        let parties = ProvisionedParties(
            steward: steward, otherSteward: other, thirdParty: third, orchestrator: orchestrator,
            permissions: permissions, urls: urls)
        try await within(.seconds(20), "the imported users can log in") {
            while true {
                if let broker = try? await parties.connect(orchestrator) {
                    await broker.close()
                    return
                }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        return parties
    }

    /// A connection as `user`.
    func connect(_ user: String) async throws -> RabbitMQBroker {
        try await RabbitMQBroker.connect(
            to: try BrokerEndpoint(url: try #require(urls[user])), name: "test.security.\(user)", logger: Self.logger)
    }

    /// A connection with the broker's administrator (the test's own), to look at what the parties could not touch.
    static func admin() async throws -> RabbitMQBroker {
        try await RabbitMQBroker.connect(to: try BrokerEndpoint.fromEnvironment(), name: "test.security.admin", logger: logger)
    }
}

/// The refusal a broker operation ended with, or nil when it was allowed; an error of another type is recorded.
func refusal(_ body: () async throws -> Void) async -> AMQPError? {
    do {
        try await body()
        return nil
    } catch let error as AMQPError {
        return error
    } catch {
        Issue.record("not an AMQPError: \(error)")
        return AMQPError(.library, message: "\(error)")
    }
}
