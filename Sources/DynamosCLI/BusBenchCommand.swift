import ArgumentParser
import DynamosBench
import DynamosBus
import Foundation
import Logging

/// `dynamos bench bus`: the Swift bus pass-through chain against raw rabbitmq-c, in one run.
struct BusBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bus",
        abstract: "Pass-through chain through the Swift bus (confirms on) beside the raw rabbitmq-c baseline.")

    @Option(help: "Hops in the chain.")
    var hops = 4

    @Option(help: "Timed round trips per payload size, as 1KB,1MB,4MB counts.")
    var reps = "200,30,15"

    @Option(help: "Messages in the pipelined throughput pass.")
    var messages = 20_000

    @Flag(help: "Durable quorum queues and persistent messages (the raw baseline stays transient).")
    var durable = false

    @Option(help: "Path of amqp_baseline.c (default: shared/bench beside the repository).")
    var baselineSource: String?

    @Flag(help: "Skip the raw rabbitmq-c baseline.")
    var noBaseline = false

    @Option(help: "Write the report as JSON to this file.")
    var json: String?

    func run() async throws {
        let logger = Logger(label: "dynamos.bench")
        let endpoint = try BrokerEndpoint.fromEnvironment()
        let counts = reps.split(separator: ",").compactMap { Int($0) }
        guard counts.count == 3, counts.allSatisfy({ $0 > 0 }) else {
            throw ValidationError("--reps takes three positive counts, for 1 KB, 1 MB and 4 MB")
        }
        var options = BusBenchmark.Options()
        options.hops = hops
        options.cells = zip([1024, 1 << 20, 4 << 20], counts).map { ($0, $1) }
        options.throughputMessages = messages
        options.durable = durable

        let (baseline, note) = measureBaseline()
        let benchmark = BusBenchmark(endpoint: endpoint, options: options, logger: logger)
        let measurement = try await benchmark.run { step in
            FileHandle.standardError.write(Data("swift bus: \(step)\n".utf8))
        }
        let report = BusBenchReport(
            hops: hops, measurement: measurement, baseline: baseline, durable: durable, baselineNote: note)
        print(report.table)
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(report).write(to: URL(fileURLWithPath: json))
        }
    }

    /// Builds and runs the C baseline when a compiler and its source are there; says why not otherwise.
    private func measureBaseline() -> (RawBaseline.Result?, String?) {
        guard !noBaseline else { return (nil, "skipped (--no-baseline)") }
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        guard let source = baselineSource.map({ URL(fileURLWithPath: $0) }) ?? RawBaseline.locateSource(from: here)
        else { return (nil, "amqp_baseline.c not found (pass --baseline-source)") }
        let baseline = RawBaseline(source: source, buildDirectory: here.appendingPathComponent(".dynamos/bench"))
        do {
            FileHandle.standardError.write(Data("raw baseline: building and running \(source.path)\n".utf8))
            let binary = try baseline.build()
            let url = ProcessInfo.processInfo.environment[BrokerEndpoint.environmentVariable] ?? BrokerEndpoint.defaultURL
            return (try baseline.run(binary: binary, hops: hops, brokerURL: url), "rabbitmq-c, no confirms, transient")
        } catch {
            return (nil, "not measured: \(error)")
        }
    }
}
