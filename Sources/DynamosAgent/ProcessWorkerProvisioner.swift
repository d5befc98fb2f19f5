import DynamosProcess
import Foundation
public import Logging

/// Starts `dynamos worker <service> --party P` processes on demand, one per service, and stops them at shutdown.
///
/// A worker counts as running from its `ready` status line until it exits; a request for a service with no
/// running worker starts one and waits for `ready` (the cold path, timed). Concurrent requests for the same
/// service share one start. Pools, restarts with backoff, the reaper and scaling are the supervisor's.
public actor ProcessWorkerProvisioner: WorkerProvisioner {
    /// How workers are launched.
    public struct Launch: Sendable {
        /// The `dynamos` executable.
        public var binary: String
        public var party: String
        /// Extra arguments for every worker, e.g. `--data-dir`, `--config`, `--log-level`.
        public var arguments: [String]
        /// The workers' environment (route keys, broker URL).
        public var environment: [String: String]
        /// Where each worker's standard error goes, as `<directory>/<service>-<pid>.log`; nil discards it.
        public var logDirectory: String?
        public var readyTimeout: Duration
        /// How long a stopping worker may drain before it is killed.
        public var drainTimeout: Duration

        public init(
            binary: String, party: String, arguments: [String] = [], environment: [String: String],
            logDirectory: String? = nil, readyTimeout: Duration = .seconds(30), drainTimeout: Duration = .seconds(10)
        ) {
            self.binary = binary
            self.party = party
            self.arguments = arguments
            self.environment = environment
            self.logDirectory = logDirectory
            self.readyTimeout = readyTimeout
            self.drainTimeout = drainTimeout
        }
    }

    private let launch: Launch
    private let logger: Logger
    private var running: [String: ChildProcess] = [:]
    private var starting: [String: Task<Duration, any Error>] = [:]
    private var stopped = false

    public init(launch: Launch, logger: Logger) {
        self.launch = launch
        self.logger = logger
    }

    public func ensureRunning(_ services: [String]) async throws -> [String: Duration] {
        var cold: [String: Duration] = [:]
        for service in services where running[service] == nil {
            let start: Task<Duration, any Error>
            if let pending = starting[service] {
                start = pending
            } else {
                start = Task { try await self.spawn(service) }
                starting[service] = start
            }
            defer { if starting[service] == start { starting[service] = nil } }
            cold[service] = try await start.value
        }
        return cold
    }

    /// The pid of each running worker, by service.
    public func workers() -> [String: Int32] { running.mapValues(\.pid) }

    public func shutdown() async {
        stopped = true
        for start in starting.values { _ = try? await start.value }
        let processes = running
        running = [:]
        await withTaskGroup(of: Void.self) { group in
            for (service, process) in processes {
                group.addTask { [launch, logger] in
                    process.send(SIGTERM)
                    let exited = await withTaskGroup(of: Bool.self) { race in
                        race.addTask { _ = await process.exitStatus(); return true }
                        race.addTask { try? await Task.sleep(for: launch.drainTimeout); return false }
                        let first = await race.next() ?? false
                        race.cancelAll()
                        return first
                    }
                    if !exited {
                        logger.warning("worker did not drain in time; killing it", metadata: ["service": "\(service)"])
                        process.send(SIGKILL)
                        _ = await process.exitStatus()
                    }
                }
            }
        }
    }

    private func spawn(_ service: String) async throws -> Duration {
        guard !stopped else { throw ProvisionError("the agent is stopping; no new \(service) worker") }
        let started = ContinuousClock.now
        let stderr = launch.logDirectory.map { "\($0)/\(service).log" }
        let process = try ChildProcess(
            launch.binary, ["worker", service, "--party", launch.party] + launch.arguments,
            environment: launch.environment, output: .lines(stderr: stderr), keepingLines: 64)
        do {
            _ = try await process.waitForLine(within: launch.readyTimeout, "\(service) worker ready") {
                $0.contains(#""event":"ready""#)
            }
        } catch {
            process.send(SIGKILL)
            let status = await process.exitStatus()
            throw ProvisionError(
                "the \(service) worker at \(launch.party) did not become ready (exit status \(status)): \(error)"
                    + (stderr.map { "; see \($0)" } ?? ""))
        }
        let coldStart = started.duration(to: .now)
        guard !stopped else {
            process.send(SIGTERM)
            _ = await process.exitStatus()
            throw ProvisionError("the agent stopped while the \(service) worker started")
        }
        running[service] = process
        logger.info(
            "worker started", metadata: ["service": "\(service)", "pid": "\(process.pid)", "coldStart": "\(coldStart)"])
        Task { [weak self] in
            let status = await process.exitStatus()
            await self?.exited(service, process: process, status: status)
        }
        return coldStart
    }

    private func exited(_ service: String, process: ChildProcess, status: Int32) {
        guard running[service]?.pid == process.pid else { return }
        running[service] = nil
        if !stopped {
            logger.error(
                "worker exited; the next request starts a new one",
                metadata: ["service": "\(service)", "pid": "\(process.pid)", "status": "\(status)"])
        }
    }
}

/// A worker could not be started.
public struct ProvisionError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
