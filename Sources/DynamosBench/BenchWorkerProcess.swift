import Foundation
import Synchronization

/// A `dynamos worker` process the chain benchmark starts, as an operator would: its own binary, its own
/// connection, its status lines on standard output.
final class BenchWorkerProcess: Sendable {
    let service: String
    let queue: String
    private let process: Process
    private let ready = Mutex<ReadyState>(.waiting([]))

    private enum ReadyState {
        case waiting([CheckedContinuation<Bool, Never>])
        case ready
        case ended
    }

    /// Starts `executable worker <service> <arguments>` with `environment` added to this process's.
    init(
        executable: String, service: String, queue: String, arguments: [String], environment: [String: String],
        log: URL
    ) throws {
        self.service = service
        self.queue = queue
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["worker", service] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let output = Pipe()
        process.standardOutput = output
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: log)
        process.standardInput = FileHandle.nullDevice
        output.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self else { return }
            if data.isEmpty {
                handle.readabilityHandler = nil
                self.settle(ready: false)
            } else if String(decoding: data, as: UTF8.self).contains(#""event":"ready""#) {
                self.settle(ready: true)
            }
        }
        try process.run()
    }

    /// Waits until the worker reported `ready`; false when it exited first.
    func waitUntilReady() async -> Bool {
        await withCheckedContinuation { continuation in
            let answer: Bool? = ready.withLock { state in
                switch state {
                case .ready: return true
                case .ended: return false
                case .waiting(var waiters):
                    waiters.append(continuation)
                    state = .waiting(waiters)
                    return nil
                }
            }
            if let answer { continuation.resume(returning: answer) }
        }
    }

    /// Memory figures in bytes from `/proc/<pid>/smaps_rollup`: `Rss` (resident, shared library pages included),
    /// `Pss` (shared pages divided among the processes that map them) and `Anonymous` (this process's own heap
    /// and stacks); nil where they cannot be read.
    func memory(_ field: String) -> Int? {
        guard
            let rollup = try? String(
                contentsOfFile: "/proc/\(process.processIdentifier)/smaps_rollup", encoding: .utf8),
            let line = rollup.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") })
        else { return nil }
        return line.split(separator: " ").compactMap { Int($0) }.first.map { $0 * 1024 }
    }

    /// SIGTERM (drain), then waits for the exit.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    private func settle(ready isReady: Bool) {
        let waiters: [CheckedContinuation<Bool, Never>] = ready.withLock { state in
            guard case .waiting(let waiters) = state else { return [] }
            state = isReady ? .ready : .ended
            return waiters
        }
        for waiter in waiters { waiter.resume(returning: isReady) }
    }
}
