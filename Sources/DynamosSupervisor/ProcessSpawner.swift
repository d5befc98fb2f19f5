import DynamosProcess
public import DynamosStatusLines
import Foundation

/// Workers as local `dynamos worker` processes: status lines on standard output, logs to a file per service.
public struct ProcessSpawner: WorkerSpawner {
    /// The `dynamos` executable.
    public var executable: String
    /// Arguments for every worker after `worker <service> --party P`: data and config directories, log level.
    public var arguments: [String]
    public var environment: [String: String]
    /// Where each service's standard error is appended, as `<directory>/<service>.log`; nil discards it.
    public var logDirectory: String?

    public init(executable: String, arguments: [String], environment: [String: String], logDirectory: String?) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.logDirectory = logDirectory
    }

    public func spawn(
        _ request: SpawnRequest, onStatus: @escaping @Sendable (WorkerStatus) -> Void
    ) throws -> any WorkerHandle {
        var arguments = ["worker", request.service, "--party", request.party] + self.arguments
        if let queue = request.queue { arguments += ["--queue", queue] }
        if request.once { arguments.append("--once") }
        let process = try ChildProcess(
            executable, arguments, environment: SpawnClock.stamped(environment),
            output: .lines(stderr: logDirectory.map { "\($0)/\(request.service).log" }), keepingLines: 16,
            onLine: { line in
                guard let status = WorkerStatus(line: line) else { return }
                onStatus(status)
            })
        return ProcessWorker(process: process)
    }
}

/// A `ChildProcess` as a `WorkerHandle`.
struct ProcessWorker: WorkerHandle {
    let process: ChildProcess

    var pid: Int32 { process.pid }

    func drain() { process.send(SIGTERM) }

    func kill() { process.send(SIGKILL) }

    func exitStatus() async -> Int32 { await process.exitStatus() }

    func residentBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(process.pid)/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
