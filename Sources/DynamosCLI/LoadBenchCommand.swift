import ArgumentParser
import DynamosBench
import Foundation
import Logging

/// `dynamos bench load`: open- or closed-loop load of small requests over HTTP, per worker configuration.
struct LoadBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Open-loop (--rate) or closed-loop (--concurrency) load of small requests, with percentiles and an exactly-once check.",
        discussion: """
            Uses the ensemble in <state-dir>/ensemble.json when it runs, else brings one up and stops it at the end. \
            Each request is computeToData at --steward (query, algorithm) over `LIMIT <rows>` rows with its own tag, \
            which its result must carry back. Every --workers configuration (e.g. --workers query=1 --workers \
            query=2,algorithm=2) is pinned in turn, warmed up, then loaded for --duration seconds. Latency is from \
            the planned send time in open loop. --plot FILE.png draws latency over time and FILE-throughput.png.
            """)

    @OptionGroup var ensemble: BenchEnsembleOptions

    @Option(help: "Open loop: requests per second.")
    var rate: Double?

    @Option(help: "Closed loop: clients sending one request after another.")
    var concurrency: Int?

    @Option(help: "Seconds of measured load per run.")
    var duration = 10.0

    @Option(help: "Seconds of unmeasured load before each run.")
    var warmup = 2.0

    @Option(help: "The steward whose chain is loaded.")
    var steward = "VU"

    @Option(help: "The LIMIT of each request's query.")
    var rows = 10

    @Option(help: "Worker counts for a run, e.g. query=2,algorithm=2; repeat for several runs.")
    var workers: [String] = []

    @Option(help: "Write the report as JSON.")
    var json: String?

    @Option(help: "Draw latency over time to this PNG (and throughput by workers beside it).")
    var plot: String?

    @Flag(help: "No progress bar.")
    var quiet = false

    func validate() throws {
        _ = try plan()
    }

    func plan() throws -> LoadPlan {
        let arrival: LoadPlan.Arrival
        switch (rate, concurrency) {
        case (let rate?, nil) where rate > 0: arrival = .open(perSecond: rate)
        case (nil, let clients?) where clients > 0: arrival = .closed(concurrency: clients)
        case (nil, nil): arrival = .open(perSecond: 100)
        default: throw ValidationError("give either --rate (> 0) or --concurrency (> 0), not both")
        }
        guard duration > 0, warmup >= 0, rows > 0 else {
            throw ValidationError("--duration and --rows must be positive, --warmup not negative")
        }
        let counts = try workers.map { text in
            try Dictionary(
                text.split(separator: ",").map { item -> (String, Int) in
                    let parts = item.split(separator: "=", maxSplits: 1)
                    guard parts.count == 2, let count = Int(parts[1]), count >= 1 else {
                        throw ValidationError("--workers: '\(item)' is not service=N with N >= 1")
                    }
                    return (String(parts[0]), count)
                }, uniquingKeysWith: { _, last in last })
        }
        return LoadPlan(
            arrival: arrival, duration: .milliseconds(Int64(duration * 1000)),
            warmup: .milliseconds(Int64(warmup * 1000)), steward: steward, rows: rows, workerCounts: counts)
    }

    func run() async throws {
        let plan = try plan()
        let progress = ProgressBar(total: plan.runCount * Int(duration.rounded(.up)), enabled: !quiet)
        let report = try await ensemble.with(label: "dynamos.bench.load") { target, logger in
            try await LoadBenchmark(plan: plan, ensemble: target, logger: logger).run(progress: progress)
        }
        print(report.text())
        if let json { try ReportFile.json(report, to: json) }
        if let plot {
            try ReportFile.write(try report.latencyPlot(), to: plot, what: "latency plot")
            let throughput = plot.hasSuffix(".png") ? String(plot.dropLast(4)) + "-throughput.png" : plot + "-throughput.png"
            try ReportFile.write(try report.throughputPlot(), to: throughput, what: "throughput plot")
        }
        if report.lost + report.duplicated + report.errors > 0 { throw ExitCode.failure }
    }
}
