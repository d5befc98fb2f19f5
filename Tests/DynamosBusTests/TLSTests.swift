import DynamosBus
import Foundation
import Testing

@Suite("amqps:// with certificate verification", .timeLimit(.minutes(2)))
struct TLSTests {
    /// A certificate authority that did not sign the broker's certificate.
    private func unrelatedCA(in directory: URL) async throws -> String {
        let path = directory.appendingPathComponent("wrong-ca.pem").path
        let result = try await PrivateBrokerNode.run(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=Not the CA",
                "-keyout", directory.appendingPathComponent("wrong-ca.key").path, "-out", path,
            ], environment: nil)
        try #require(result.status == 0, "openssl failed: \(result.text)")
        return path
    }

    @Test("connects with the right CA and refuses a broker certificate signed by another")
    func verifiesTheBroker() async throws {
        try await PrivateBrokerNode.with(tls: true) { node in try await verify(node) }
    }

    private func verify(_ node: PrivateBrokerNode) async throws {
        let port = try #require(node.tlsPort)
        let ca = node.tlsDirectory.appendingPathComponent("ca.pem").path

        try await TestBroker.with(url: "amqps://dynamos-admin:\(node.password)@localhost:\(port)/?cacertfile=\(ca)") { broker in
            let queue = try await TestBroker.scratchQueue("tls", on: broker)
            try await broker.publish(OutgoingMessage(routingKey: queue, body: Array("over tls".utf8)))
            let delivery = try await broker.consume(queue: queue, prefetch: 1).next()
            #expect(delivery.body == Array("over tls".utf8))
            try await delivery.ack()
        }

        let wrong = try await unrelatedCA(in: node.directory)
        let endpoint = try BrokerEndpoint(url: "amqps://dynamos-admin:\(node.password)@localhost:\(port)/?cacertfile=\(wrong)")
        let refused = await #expect(throws: AMQPError.self) {
            let broker = try await RabbitMQBroker.connect(to: endpoint, logger: TestBroker.logger)
            await broker.close()
        }
        #expect(refused?.code == .connectionFailed)
    }
}
