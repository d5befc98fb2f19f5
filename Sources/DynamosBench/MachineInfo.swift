public import Foundation

/// The machine a benchmark ran on, written into every report so a number never travels without its context.
public struct MachineInfo: Sendable, Codable, Equatable {
    public var cpu: String
    public var cores: Int
    public var memoryGiB: Double
    public var os: String
    public var kernel: String
    /// `release` or `debug`: the build of the benchmark (and, from `dynamos up`, of the daemons).
    public var build: String
    /// When the report was made, ISO 8601.
    public var date: String

    public init(cpu: String, cores: Int, memoryGiB: Double, os: String, kernel: String, build: String, date: String) {
        self.cpu = cpu
        self.cores = cores
        self.memoryGiB = memoryGiB
        self.os = os
        self.kernel = kernel
        self.build = build
        self.date = date
    }

    /// This machine, now.
    public static func current(now: Date = Date()) -> MachineInfo {
        #if DEBUG
        let build = "debug"
        #else
        let build = "release"
        #endif
        var name = utsname()
        uname(&name)
        let release = withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return MachineInfo(
            cpu: field("model name", in: "/proc/cpuinfo", separator: ":") ?? "unknown",
            cores: ProcessInfo.processInfo.activeProcessorCount,
            memoryGiB: (Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824 * 10).rounded() / 10,
            os: field("PRETTY_NAME", in: "/etc/os-release", separator: "=")?.trimmingCharacters(in: ["\""])
                ?? "unknown",
            kernel: release, build: build, date: ISO8601DateFormatter().string(from: now))
    }

    /// The value of the first `key<separator>value` line of a text file.
    private static func field(_ key: String, in path: String, separator: Character) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(key) {
            guard let index = line.firstIndex(of: separator) else { continue }
            return line[line.index(after: index)...].trimmingCharacters(in: .whitespaces)
        }
        return nil
    }
}
