public import Foundation

/// The raw rabbitmq-c pass-through chain (`shared/bench/amqp_baseline.c`), built and run as a child process so
/// the Swift bus is compared with it in the same run, on the same broker.
public struct RawBaseline: Sendable {
    /// One `cell` line of the baseline's output.
    public struct Cell: Sendable, Equatable {
        public var hops: Int
        public var bytes: Int
        public var p50Ms: Double
        public var p95Ms: Double
        public var n: Int

        public init(hops: Int, bytes: Int, p50Ms: Double, p95Ms: Double, n: Int) {
            self.hops = hops
            self.bytes = bytes
            self.p50Ms = p50Ms
            self.p95Ms = p95Ms
            self.n = n
        }
    }

    /// What one run printed.
    public struct Result: Sendable, Equatable {
        public var cells: [Cell]
        public var messagesPerSecond: Double?

        public init(cells: [Cell], messagesPerSecond: Double?) {
            self.cells = cells
            self.messagesPerSecond = messagesPerSecond
        }
    }

    /// Why the baseline could not be measured.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public var source: URL
    public var buildDirectory: URL

    public init(source: URL, buildDirectory: URL) {
        self.source = source
        self.buildDirectory = buildDirectory
    }

    /// Finds `shared/bench/amqp_baseline.c` beside the repository (or in it), starting from `directory`.
    public static func locateSource(from directory: URL) -> URL? {
        var current = directory.standardizedFileURL
        for _ in 0..<6 {
            for candidate in ["shared/bench/amqp_baseline.c", "../shared/bench/amqp_baseline.c"] {
                let url = current.appendingPathComponent(candidate).standardizedFileURL
                if FileManager.default.fileExists(atPath: url.path) { return url }
            }
            current.deleteLastPathComponent()
        }
        return nil
    }

    /// Compiles the baseline with the system C compiler (once; rebuilt when the source is newer).
    public func build() throws -> URL {
        try FileManager.default.createDirectory(at: buildDirectory, withIntermediateDirectories: true)
        let binary = buildDirectory.appendingPathComponent("amqp_baseline")
        let sourceDate = try source.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate
        let binaryDate = try? binary.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate
        if let sourceDate, let binaryDate, binaryDate > sourceDate { return binary }
        let (status, output) = try Self.run(
            "/usr/bin/env", ["cc", "-O2", "-o", binary.path, source.path, "-lrabbitmq", "-lpthread"], environment: nil)
        guard status == 0 else { throw Failure(description: "cc failed to build the baseline: \(output)") }
        return binary
    }

    /// Runs the built baseline against the broker at `url` with `hops` hops.
    public func run(binary: URL, hops: Int, brokerURL: String) throws -> Result {
        var environment = ProcessInfo.processInfo.environment
        environment["DYNAMOS_AMQP_URL"] = brokerURL
        let (status, output) = try Self.run(binary.path, [String(hops)], environment: environment)
        guard status == 0 else { throw Failure(description: "the baseline exited with \(status): \(output)") }
        return Self.parse(output)
    }

    /// Reads the baseline's `key=value` lines.
    public static func parse(_ output: String) -> Result {
        var result = Result(cells: [], messagesPerSecond: nil)
        for line in output.split(separator: "\n") {
            let words = line.split(separator: " ")
            guard let kind = words.first else { continue }
            var fields: [String: String] = [:]
            for word in words.dropFirst() {
                let pair = word.split(separator: "=", maxSplits: 1)
                if pair.count == 2 { fields[String(pair[0])] = String(pair[1]) }
            }
            switch kind {
            case "cell":
                if let hops = fields["hops"].flatMap(Int.init), let bytes = fields["bytes"].flatMap(Int.init),
                    let p50 = fields["p50_ms"].flatMap(Double.init), let p95 = fields["p95_ms"].flatMap(Double.init),
                    let n = fields["n"].flatMap(Int.init)
                {
                    result.cells.append(Cell(hops: hops, bytes: bytes, p50Ms: p50, p95Ms: p95, n: n))
                }
            case "throughput":
                result.messagesPerSecond = fields["msg_per_sec"].flatMap(Double.init)
            default:
                continue
            }
        }
        return result
    }

    private static func run(_ executable: String, _ arguments: [String], environment: [String: String]?) throws -> (
        Int32, String
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
