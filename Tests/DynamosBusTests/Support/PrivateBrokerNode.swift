import Foundation
import Testing

/// A RabbitMQ node of a test's own, started through `Deploy/local/broker.sh`: for tests that close every
/// connection, restart the broker, or need a TLS listener, without disturbing the tests sharing the main broker.
struct PrivateBrokerNode: Sendable {
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

    /// Runs a program to completion and returns its exit status and output.
    ///
    /// Spawned with `posix_spawn` and reaped with a blocking `waitpid` on a thread of its own (never the concurrency
    /// pool): Foundation's `Process` termination notice was seen to go missing when several tests spawn at once.
    /// Output goes through a file, so a daemon the program leaves behind cannot hold a reader open.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]?) async throws -> (
        status: Int32, text: String
    ) {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("dynamos-run-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: log) }
        let environment = environment ?? ProcessInfo.processInfo.environment
        let pid = try spawn(executable, arguments, environment: environment, output: log.path)
        let status: Int32 = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var status: Int32 = 0
                while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                let exited = status & 0x7f == 0
                continuation.resume(returning: exited ? (status >> 8) & 0xff : 128 + (status & 0x7f))
            }
        }
        return (status, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }

    private static func spawn(
        _ executable: String, _ arguments: [String], environment: [String: String], output: String
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard result == 0 else {
            throw NodeFailure(description: "cannot start \(executable): \(String(cString: strerror(result)))")
        }
        return pid
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
