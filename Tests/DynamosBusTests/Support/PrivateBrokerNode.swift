import Foundation
import Testing

/// A RabbitMQ node of a test's own, started through `Deploy/local/broker.sh`: for tests that close every
/// connection, restart the broker, or need a TLS listener, without disturbing the tests sharing the main broker.
final class PrivateBrokerNode: Sendable {
    let port: Int
    let tlsPort: Int?
    let directory: URL
    let tlsDirectory: URL

    var url: String { "amqp://guest:guest@127.0.0.1:\(port)/" }
    var rabbitmqctlPath: String { directory.appendingPathComponent("rabbitmqctl").path }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Starts a node on a free port (and a TLS port when asked); certificates go to `tlsDirectory`.
    init(tls: Bool = false) throws {
        port = Int.random(in: 15_000..<24_000)
        tlsPort = tls ? port + 1 : nil
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("dynamos-node-\(port)")
        tlsDirectory = directory.appendingPathComponent("tls")
        try? FileManager.default.removeItem(at: directory)
        var environment = ProcessInfo.processInfo.environment
        environment["BROKER_PORT"] = String(port)
        environment["BROKER_DIR"] = directory.path
        environment["BROKER_NODE"] = "dynamos-test-\(port)@localhost"
        if let tlsPort {
            environment["BROKER_TLS_PORT"] = String(tlsPort)
            environment["BROKER_TLS_DIR"] = tlsDirectory.path
        }
        let output = try Self.run(
            Self.repositoryRoot.appendingPathComponent("Deploy/local/broker.sh").path, ["start"], environment: environment)
        guard output.status == 0 else {
            throw NodeFailure(description: "the private broker node did not start: \(output.text)")
        }
    }

    /// Runs `rabbitmqctl` against this node.
    @discardableResult
    func rabbitmqctl(_ arguments: String...) throws -> String {
        let output = try Self.run(rabbitmqctlPath, arguments, environment: nil)
        guard output.status == 0 else {
            throw NodeFailure(description: "rabbitmqctl \(arguments.joined(separator: " ")) failed: \(output.text)")
        }
        return output.text
    }

    func stop() {
        _ = try? rabbitmqctl("stop")
        try? FileManager.default.removeItem(at: directory)
    }

    static func run(_ executable: String, _ arguments: [String], environment: [String: String]?) throws -> (
        status: Int32, text: String
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

struct NodeFailure: Error, CustomStringConvertible {
    let description: String
}
