import DynamosProcess
import DynamosStatusLines
import Foundation

/// A `dynamos worker` process the chain benchmark starts, as an operator would: its own binary, its own
/// connection, its status lines on standard output.
struct BenchWorkerProcess: Sendable {
    let service: String
    let queue: String
    private let process: ChildProcess

    /// Starts `executable worker <service> <arguments>` with `environment` added to this process's; standard error
    /// goes to `log`.
    init(
        executable: String, service: String, queue: String, arguments: [String], environment: [String: String],
        log: URL
    ) throws {
        self.service = service
        self.queue = queue
        process = try ChildProcess(
            executable, ["worker", service] + arguments,
            environment: ProcessInfo.processInfo.environment.merging(environment) { _, new in new },
            output: .lines(stderr: log.path))
    }

    /// Waits until the worker reported `ready`; false when it exited or stayed silent for a minute.
    func waitUntilReady() async -> Bool {
        (try? await process.waitForLine(within: .seconds(60), "\(service) ready") {
            WorkerStatus(line: $0)?.event == .ready
        }) != nil
    }

    /// Memory figures in bytes from `/proc/<pid>/smaps_rollup`: `Rss` (resident, shared library pages included),
    /// `Pss` (shared pages divided among the processes that map them) and `Pss_Anon` (this process's own heap
    /// and stacks); nil where they cannot be read.
    func memory(_ field: String) -> Int? {
        guard
            let rollup = try? String(contentsOfFile: "/proc/\(process.pid)/smaps_rollup", encoding: .utf8),
            let line = rollup.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") })
        else { return nil }
        return line.split(separator: " ").compactMap { Int($0) }.first.map { $0 * 1024 }
    }

    /// SIGTERM (drain), then waits for the exit.
    func stop() async {
        process.send(SIGTERM)
        _ = await process.exitStatus()
    }
}
