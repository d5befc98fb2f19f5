import ArgumentParser
import DynamosBench
import DynamosBus
import Foundation
import Logging

/// `dynamos bench chain`: the UNL request through persistent worker processes, beside a relay baseline.
struct ChainBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chain",
        abstract: "query -> anonymize -> algorithm -> graph through persistent workers, warm, beside relay workers.",
        discussion: """
            Starts its own worker processes from this binary on a private party with generated data, sends \
            `SELECT * FROM Personen p JOIN Aanstellingen s LIMIT <n>` (average Salschal by Geslacht, anonymized, \
            with a graph) one request at a time, and reports medians, per-hop times, sizes and idle worker memory.
            """)

    @Option(help: "Measured requests per scenario.")
    var requests = 30

    @Option(help: "Unmeasured requests before each scenario.")
    var warmup = 3

    @Option(help: "Personen rows of the generated dataset.")
    var persons = 18_000

    @Option(help: "LIMIT of the large request.")
    var large = 30_000

    @Option(help: "LIMIT of the small request.")
    var small = 10

    @Flag(help: "Keep the generated data, configuration and worker logs.")
    var keep = false

    @Option(help: "Write the report as JSON to this file.")
    var json: String?

    func run() async throws {
        guard requests > 0, warmup >= 0, persons > 0, large > 0, small > 0 else {
            throw ValidationError("--requests, --persons, --large and --small must be positive")
        }
        var logger = Logger(label: "dynamos.bench.chain")
        logger.logLevel = .warning
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "dynamos-bench-chain-\(ProcessInfo.processInfo.processIdentifier)", isDirectory: true)
        let options = ChainBenchmark.Options(
            executable: Self.executable, endpoint: try BrokerEndpoint.fromEnvironment(), requests: requests,
            warmup: warmup, persons: persons, largeLimit: large, smallLimit: small, directory: directory, keep: keep)
        let report = try await ChainBenchmark(options: options, logger: logger).run()
        print(report.text)
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(report).write(to: URL(fileURLWithPath: json))
            print("report: \(json)")
        }
        if keep { print("kept: \(directory.path)") }
    }

    /// This binary, which also runs the workers.
    static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
