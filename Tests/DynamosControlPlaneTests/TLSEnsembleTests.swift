import AsyncHTTPClient
import DynamosBus
import DynamosClient
import DynamosControl
import DynamosProcess
import Foundation
import Testing

/// `dynamos up --tls` for real: a TLS-only private broker, HTTPS everywhere, and nothing that speaks in clear.
extension EndToEndTests {
    @Test("under TLS the scenario runs over HTTPS and amqps only; plain HTTP, plain AMQP and an unknown CA are refused")
    func tlsEverywhere() async throws {
        var port = Int.random(in: 25_000..<35_000)
        while Self.answers(port) { port = Int.random(in: 25_000..<35_000) }
        try await EnsembleFixture.with(tls: true, brokerURL: "amqp://x@127.0.0.1:\(port)/") { fixture in
            let file = fixture.ensemble.file
            #expect(file.orchestrator.hasPrefix("https://"))
            #expect(file.agents.values.allSatisfy { $0.hasPrefix("https://") })
            for (providers, options, entry) in [(["UVA"], [String: Bool](), "UVA"), (["UVA", "VU"], ["aggregate": true], "SURF")] {
                let approval = try await fixture.approve(providers, options: options)
                let (answer, _) = try await fixture.client.dataRequest(
                    fixture.scenario(job: approval.jobId, options: options), at: approval.endpoints[entry]!,
                    token: approval.token)
                #expect(!answer.result.rows.isEmpty)
            }
            let plain = AnalystClient(orchestratorURL: file.orchestrator.replacingOccurrences(of: "https", with: "http"))
            await #expect(throws: ControlError.self) { _ = try await plain.get("/health") }
            // AsyncHTTPClient keeps retrying a connection whose handshake failed until the request's deadline.
            let untrusting = AnalystClient(orchestratorURL: file.orchestrator, timeout: .seconds(5))
            let unverified = await #expect(throws: ControlError.self) { _ = try await untrusting.send(.GET, file.orchestrator + "/health") }
            #expect(unverified?.code == .unavailable)
            let clear = await #expect(throws: AMQPError.self) {
                let broker = try await RabbitMQBroker.connect(
                    to: try BrokerEndpoint(url: "amqp://x:y@127.0.0.1:\(port)/?connection_timeout=3000"),
                    logger: .init(label: "test"))
                await broker.close()
            }
            #expect(clear?.code != .authenticationFailed, "a plain AMQP client got as far as a login")
            let rabbitmqctl = fixture.root.appendingPathComponent("ensemble-broker-\(port)/rabbitmqctl").path
            let listing = fixture.root.appendingPathComponent("connections.txt").path
            let process = try ChildProcess(rabbitmqctl, ["-q", "list_connections", "user", "ssl"], output: .file(listing))
            #expect(await process.exitStatus() == 0)
            let rows = try String(contentsOfFile: listing, encoding: .utf8).split(separator: "\n")
                .map { $0.split(separator: "\t").map(String.init) }.filter { $0.count == 2 && $0[0] != "user" }
            #expect(rows.count >= 5, "\(rows)")
            #expect(rows.allSatisfy { $0[1] == "true" }, "a connection without TLS: \(rows)")
            #expect(Set(rows.map { $0[0] }).isSubset(of: ["orchestrator", "UVA", "VU", "RUG", "SURF"]), "\(rows)")
        }
    }

    static func answers(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
