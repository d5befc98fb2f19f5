import DynamosBus
import DynamosTestSupport
import Foundation
import Logging
import Testing

/// The broker the integration tests use: `DYNAMOS_AMQP_URL` (set by `make test`), or the local default.
enum TestBroker {
    static let logger: Logger = {
        var logger = Logger(label: "dynamos.tests")
        logger.logLevel = .warning
        return logger
    }()

    static var endpoint: BrokerEndpoint {
        get throws { try BrokerEndpoint.fromEnvironment() }
    }

    static func connect(_ name: String = #function, url: String? = nil) async throws -> RabbitMQBroker {
        let endpoint = try url.map { try BrokerEndpoint(url: $0) } ?? self.endpoint
        do {
            return try await RabbitMQBroker.connect(to: endpoint, name: "test.\(name)", logger: logger)
        } catch {
            Issue.record("no broker at \(endpoint.redactedDescription) (run the tests with `make test`): \(error)")
            throw error
        }
    }

    /// A queue name no other test uses.
    static func uniqueName(_ prefix: String) -> String {
        "test.\(prefix).\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// A transient, self-deleting queue for one test.
    static func scratchQueue(_ prefix: String, on broker: some Broker, _ configure: (inout QueueDeclaration) -> Void = { _ in })
        async throws -> String
    {
        var declaration = QueueDeclaration(name: uniqueName(prefix), durable: false, expires: .seconds(120))
        configure(&declaration)
        try await broker.declare(declaration)
        return declaration.name
    }
}

extension MessageConsumer {
    /// The next delivery, within `limit`.
    func next(within limit: Duration = .seconds(10)) async throws -> Delivery {
        let consumer = self
        return try await DynamosTestSupport.within(limit, "a delivery from \(queue)") {
            var iterator = consumer.makeAsyncIterator()
            guard let delivery = try await iterator.next() else { throw TimedOut(what: "consumer ended", limit: limit) }
            return delivery
        }
    }
}

extension TestBroker {
    /// Connects, runs `body`, and closes the connection whether `body` succeeded or threw.
    static func with<T>(
        _ name: String = #function, url: String? = nil, _ body: (RabbitMQBroker) async throws -> T
    ) async throws -> T {
        let broker = try await connect(name, url: url)
        do {
            let result = try await body(broker)
            await broker.close()
            return result
        } catch {
            await broker.close()
            throw error
        }
    }
}
