import DynamosProcess
import DynamosTestSupport
import DynamosStatusLines
import Foundation
import Testing

/// `dynamos worker` as a real process, for the tests that kill workers: the binary sits beside the test bundle.
struct WorkerProcess {
    let process: ChildProcess
    let service: String
    let party: String

    static var binary: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("dynamos")
            .path
    }

    /// Starts the worker and waits until it reports `ready`.
    static func start(
        _ service: String, at party: String, in network: ServiceNetwork, extra: [String] = []
    ) async throws -> WorkerProcess {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            Issue.record("\(binary) is missing; build it first (`swift build` or `make test`)")
            throw ChildProcessError("no dynamos binary")
        }
        let config = try network.writeConfiguration()
        var environment = ProcessInfo.processInfo.environment
        environment["DYNAMOS_KEYRING"] = try network.writeKeyring()
        let process = try ChildProcess(
            binary,
            ["worker", service, "--party", party, "--data-dir", network.dataDirectory.path, "--config", config,
             "--log-level", "warning"] + extra,
            environment: environment,
            output: .lines(stderr: network.root.appendingPathComponent("\(service)-\(party).log").path))
        let worker = WorkerProcess(process: process, service: service, party: party)
        _ = try await process.waitForLine(within: .seconds(30), "\(service) at \(party) ready") {
            WorkerStatus(line: $0)?.event == .ready
        }
        return worker
    }

    /// SIGKILL: no drain, no acknowledgements; the broker gets back whatever was unacknowledged.
    func crash() async {
        process.send(SIGKILL)
        _ = await process.exitStatus()
    }

    /// SIGTERM, then the exit status once the drain finished.
    func stop() async -> Int32 {
        process.send(SIGTERM)
        return await process.exitStatus()
    }
}

extension ServiceNetwork {
    /// Writes the network's `datasets.json` and returns the configuration directory.
    func writeConfiguration() throws -> String {
        let directory = root.appendingPathComponent("config", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try JSONEncoder().encode(datasets).write(to: directory.appendingPathComponent("datasets.json"))
        return directory.path
    }
}
