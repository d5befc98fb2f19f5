import Foundation
import Synchronization

/// The machine's load as the thesis's selection rule reads it: CPU busy time since the previous reading and memory
/// in use, each a fraction of the whole, from `/proc/stat` and `/proc/meminfo`.
final class LoadProbe: Sendable {
    struct Reading: Sendable {
        var cpu: Double
        var memory: Double
    }

    private struct CPUTimes {
        var busy: UInt64
        var total: UInt64
    }

    private let previous = Mutex<CPUTimes?>(nil)

    func read() -> Reading {
        Reading(cpu: cpu(), memory: memory())
    }

    /// The busy fraction of all cores since the last call (0 on the first).
    private func cpu() -> Double {
        guard let now = Self.cpuTimes() else { return 0 }
        let before = previous.withLock { value in
            defer { value = now }
            return value
        }
        guard let before, now.total > before.total else { return 0 }
        return min(1, Double(now.busy - min(now.busy, before.busy)) / Double(now.total - before.total))
    }

    private static func cpuTimes() -> CPUTimes? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let line = text.split(separator: "\n").first, line.hasPrefix("cpu ")
        else { return nil }
        let fields = line.split(separator: " ").dropFirst().compactMap { UInt64($0) }
        guard fields.count >= 4 else { return nil }
        let total = fields.reduce(0, +)
        let idle = fields[3] + (fields.count > 4 ? fields[4] : 0)
        return CPUTimes(busy: total - idle, total: total)
    }

    private func memory() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return 0 }
        var total: Double?
        var available: Double?
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, let value = Double(fields[1]) else { continue }
            if fields[0] == "MemTotal:" { total = value }
            if fields[0] == "MemAvailable:" { available = value }
        }
        guard let total, let available, total > 0 else { return 0 }
        return max(0, min(1, 1 - available / total))
    }
}
