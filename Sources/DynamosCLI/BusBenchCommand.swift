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

    @Option(help: "Rounds of raw then Swift, alternating; the report takes the median over the rounds.")
    var rounds = 3

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

        guard rounds > 0 else { throw ValidationError("--rounds must be at least 1") }
        let benchmark = BusBenchmark(endpoint: endpoint, options: options, logger: logger)
        let baseline = prepareBaseline()
        var results: [(swift: BusBenchmark.Measurement, raw: RawBaseline.Result?)] = []
        var note = baseline.note
        for round in 1...rounds {
            var raw: RawBaseline.Result?
            if let binary = baseline.binary {
                progress("round \(round)/\(rounds): raw rabbitmq-c chain")
                do {
                    raw = try baseline.runner?.run(binary: binary, hops: hops, brokerURL: brokerURL)
                } catch {
                    note = "not measured: \(error)"
                }
            }
            let measurement = try await benchmark.run { step in progress("round \(round)/\(rounds): swift \(step)") }
            results.append((measurement, raw))
        }
        let report = BusBenchReport(hops: hops, rounds: results, durable: durable, baselineNote: note)
        print(report.table)
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(report).write(to: URL(fileURLWithPath: json))
        }
    }

    private var brokerURL: String {
        ProcessInfo.processInfo.environment[BrokerEndpoint.environmentVariable] ?? BrokerEndpoint.defaultURL
    }

    private func progress(_ step: String) {
        FileHandle.standardError.write(Data("bench bus: \(step)\n".utf8))
    }

    /// Builds the C baseline when a compiler and its source are there; says why not otherwise.
    private func prepareBaseline() -> (runner: RawBaseline?, binary: URL?, note: String?) {
        guard !noBaseline else { return (nil, nil, "skipped (--no-baseline)") }
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        guard let source = baselineSource.map({ URL(fileURLWithPath: $0) }) ?? RawBaseline.locateSource(from: here)
        else { return (nil, nil, "amqp_baseline.c not found (pass --baseline-source)") }
        let baseline = RawBaseline(source: source, buildDirectory: here.appendingPathComponent(".dynamos/bench"))
        do {
            progress("building \(source.path)")
            return (baseline, try baseline.build(), "rabbitmq-c, no confirms, transient queues")
        } catch {
            return (nil, nil, "not measured: \(error)")
        }
    }
}
