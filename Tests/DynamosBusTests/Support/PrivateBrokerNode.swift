import Foundation
import DynamosProcess
import DynamosTestSupport
import Testing

/// A RabbitMQ node of a test's own, started through `Deploy/local/broker.sh`: for tests that close every
/// connection, restart the broker, or need a TLS listener, without disturbing the tests sharing the main broker.
struct PrivateBrokerNode: Sendable {
    let port: Int
    let tlsPort: Int?
    let directory: URL
    let tlsDirectory: URL

    /// The node's administrator URL (`broker.sh` makes the user with a random password; there is no guest).
    var url: String {
        ((try? String(contentsOf: directory.appendingPathComponent("admin-url"), encoding: .utf8)) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The administrator's password.
    var password: String {
        ((try? String(contentsOf: directory.appendingPathComponent("admin-password"), encoding: .utf8)) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
    var rabbitmqctlPath: String { directory.appendingPathComponent("rabbitmqctl").path }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Starts a node on a free port (and a TLS port when asked); certificates go to `tlsDirectory`.
    static func start(tls: Bool = false) async throws -> PrivateBrokerNode {
        let port = Int.random(in: 15_000..<24_000)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dynamos-node-\(port)")
        let node = PrivateBrokerNode(
            port: port, tlsPort: tls ? port + 1 : nil, directory: directory,
            tlsDirectory: directory.appendingPathComponent("tls"))
        try? FileManager.default.removeItem(at: directory)
        var environment = ProcessInfo.processInfo.environment
        environment["BROKER_PORT"] = String(port)
        environment["BROKER_DIR"] = directory.path
        environment["BROKER_NODE"] = "dynamos-test-\(port)@localhost"
        if let tlsPort = node.tlsPort {
            environment["BROKER_TLS_PORT"] = String(tlsPort)
            environment["BROKER_TLS_DIR"] = node.tlsDirectory.path
        }
        let script = repositoryRoot.appendingPathComponent("Deploy/local/broker.sh").path
        let output = try await run(script, ["start"], environment: environment)
        guard output.status == 0 else {
            throw NodeFailure(description: "the private broker node did not start: \(output.text)")
        }
        return node
    }

    /// Runs `rabbitmqctl` against this node.
    @discardableResult
    func rabbitmqctl(_ arguments: String...) async throws -> String {
        let output = try await Self.run(rabbitmqctlPath, arguments, environment: nil)
        guard output.status == 0 else {
            throw NodeFailure(description: "rabbitmqctl \(arguments.joined(separator: " ")) failed: \(output.text)")
        }
        return output.text
    }

    func stop() async {
        _ = try? await rabbitmqctl("stop")
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs a program to completion and returns its exit status and output. Output goes through a file, so a
    /// daemon the program leaves behind cannot hold a reader open.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]?) async throws -> (
        status: Int32, text: String
    ) {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("dynamos-run-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: log) }
        let process = try ChildProcess(executable, arguments, environment: environment, output: .file(log.path))
        let status = await process.exitStatus()
        return (status, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }
}

/// A private node that could not be started or driven.
struct NodeFailure: Error, CustomStringConvertible {
    let description: String
}

extension PrivateBrokerNode {
    /// Starts a node, runs `body` with it, and stops it whether `body` succeeded or threw.
    static func with<T>(tls: Bool = false, _ body: (PrivateBrokerNode) async throws -> T) async throws -> T {
        let node = try await start(tls: tls)
        do {
            let result = try await body(node)
            await node.stop()
            return result
        } catch {
            await node.stop()
            throw error
        }
    }
}
