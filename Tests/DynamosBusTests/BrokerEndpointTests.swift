import DynamosBus
import Testing

@Suite("Broker URLs")
struct BrokerEndpointTests {
    @Test("amqp URL with credentials, port and an encoded vhost")
    func parsesPlainURL() throws {
        let endpoint = try BrokerEndpoint(url: "amqp://alice:s%40cret@broker.local:5673/dyn%2Fprod?heartbeat=5")
        #expect(endpoint.host == "broker.local")
        #expect(endpoint.port == 5673)
        #expect(endpoint.user == "alice")
        #expect(endpoint.password == "s@cret")
        #expect(endpoint.virtualHost == "dyn/prod")
        #expect(endpoint.heartbeatSeconds == 5)
        #expect(endpoint.tls == nil)
    }

    @Test("defaults: port 5672, vhost /, guest")
    func defaults() throws {
        let endpoint = try BrokerEndpoint(url: "amqp://localhost")
        #expect(endpoint.port == 5672)
        #expect(endpoint.virtualHost == "/")
        #expect(endpoint.user == "guest")
        #expect(endpoint.heartbeatSeconds == 30)
    }

    @Test("amqps URL with CA, client certificate and key")
    func parsesTLSURL() throws {
        let endpoint = try BrokerEndpoint(
            url: "amqps://u:p@127.0.0.1/?cacertfile=/etc/ca.pem&certfile=/etc/c.pem&keyfile=/etc/c.key")
        #expect(endpoint.port == 5671)
        #expect(endpoint.tls?.caCertificatePath == "/etc/ca.pem")
        #expect(endpoint.tls?.clientCertificatePath == "/etc/c.pem")
        #expect(endpoint.tls?.clientKeyPath == "/etc/c.key")
        #expect(endpoint.tls?.verifyPeer == true)
    }

    @Test("refuses what it cannot honour", arguments: [
        "http://localhost/", "amqp://localhost/a/b", "amqp://localhost/?heartbeat=-1",
        "amqp://localhost/?cacertfile=/x.pem", "amqp://localhost/?bogus=1", "amqps://h/?verify=maybe",
    ])
    func refusesBadURLs(url: String) {
        #expect {
            try BrokerEndpoint(url: url)
        } throws: { error in
            (error as? AMQPError)?.code == .invalidURL
        }
    }

    @Test("the environment variable names the broker; passwords stay out of messages")
    func environment() throws {
        let endpoint = try BrokerEndpoint.fromEnvironment(["DYNAMOS_AMQP_URL": "amqp://a:b@h:1234/"])
        #expect(endpoint.port == 1234)
        #expect(!endpoint.redactedDescription.contains("b@"))
        #expect(try BrokerEndpoint.fromEnvironment([:]).port == 5672)
        let error = #expect(throws: AMQPError.self) { try BrokerEndpoint(url: "ftp://user:hunter2@h/") }
        #expect(error?.message.contains("hunter2") == false)
    }

    @Test("a comma-separated list is a cluster: the first node, the others as alternates, one user for all")
    func parsesNodeList() throws {
        let endpoint = try BrokerEndpoint(urls: "amqp://u:p@10.0.0.1:5672/, amqp://u:p@10.0.0.2:5673/,,amqp://u:p@10.0.0.3/")
        #expect(endpoint.nodes.map(\.host) == ["10.0.0.1", "10.0.0.2", "10.0.0.3"])
        #expect(endpoint.nodes.map(\.port) == [5672, 5673, 5672])
        #expect(endpoint.nodes.allSatisfy { $0.alternates.isEmpty })
        #expect(endpoint.redactedDescription == "amqp://u@10.0.0.1:5672/,10.0.0.2:5673,10.0.0.3:5672")
        #expect(try BrokerEndpoint(urls: "amqp://u:p@h/").nodes.count == 1)
        let mixed = #expect(throws: AMQPError.self) { try BrokerEndpoint(urls: "amqp://u:p@h1/,amqp://v:p@h2/") }
        #expect(mixed?.code == .invalidURL)
        #expect(throws: AMQPError.self) { try BrokerEndpoint(urls: " , ") }
        let environment = [BrokerEndpoint.environmentVariable: "amqp://u:p@a/,amqp://u:p@b/"]
        #expect(try BrokerEndpoint.fromEnvironment(environment).nodes.map(\.host) == ["a", "b"])
    }
}
