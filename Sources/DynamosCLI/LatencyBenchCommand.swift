import ArgumentParser
import DynamosBench
import Foundation
import Logging

/// `dynamos bench latency`: the thesis experiment, persistent warm and cold against ephemeral, over HTTP.
struct LatencyBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "latency",
        abstract: "Persistent (warm, cold) vs ephemeral request latency per archetype and row count, as the thesis measured it.",
        discussion: """
            Uses the ensemble in <state-dir>/ensemble.json when it runs, else brings one up and stops it at the end. \
            Each cell sends --reps timed requests one at a time after --warmup untimed ones: `SELECT * FROM Personen \
            p JOIN Aanstellingen s ON p.Unieknr = s.Unieknr LIMIT <rows>`, average Salschal by Geslacht. A cold \
            request follows emptying every pool of the job's parties. Prints p50/p95/min/max, the per-hop split \
            (startup, processing, transfer), message sizes and ratios; --json, --csv and --plot write files.
            """)

    @OptionGroup var ensemble: BenchEnsembleOptions

    @Option(help: "Archetypes, comma-separated: computeToData, dataThroughTtp.")
    var archetypes = "computeToData,dataThroughTtp"

    @Option(help: "Row counts (the LIMIT), comma-separated.")
    var rows = "10000,20000,30000"

    @Option(help: "Modes, comma-separated: persistent-warm, persistent-cold, ephemeral.")
    var modes = "persistent-warm,persistent-cold,ephemeral"

    @Option(help: "Timed requests per cell.")
    var reps = 10

    @Option(help: "Untimed requests before each warm or ephemeral cell.")
    var warmup = 2

    @Option(help: "The steward of computeToData.")
    var steward = "UVA"

    @Option(help: "The stewards of dataThroughTtp, comma-separated.")
    var providers = "UVA,VU"

    @Flag(help: "End the chain with the graph service.")
    var graph = false

    @Option(help: "Write the report as JSON.")
    var json: String?

    @Option(help: "Write the cells and hops as CSV.")
    var csv: String?

    @Option(help: "Draw the p50s with the thesis's figures as a PNG.")
    var plot: String?

    @Flag(help: "No progress bar.")
    var quiet = false

    @Option(help: "Print, plot and export a report saved with --json instead of measuring.")
    var from: String?

    func validate() throws {
        _ = try plan()
    }

    func plan() throws -> LatencyPlan {
        let archetypes = try Self.list(archetypes, "--archetypes") { LatencyArchetype(rawValue: $0) }
        let modes = try Self.list(modes, "--modes") { LatencyMode(rawValue: $0) }
        let rows = try Self.list(rows, "--rows") { Int($0).flatMap { $0 > 0 ? $0 : nil } }
        guard reps > 0, warmup >= 0 else { throw ValidationError("--reps must be positive and --warmup not negative") }
        return LatencyPlan(
            archetypes: archetypes, rows: rows, modes: modes, repetitions: reps, warmup: warmup, steward: steward,
            providers: providers.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }, graph: graph)
    }

    func run() async throws {
        let report: LatencyReport
        if let from {
            report = try JSONDecoder().decode(LatencyReport.self, from: Data(contentsOf: URL(fileURLWithPath: from)))
        } else {
            let plan = try plan()
            let progress = ProgressBar(total: plan.requestCount, enabled: !quiet)
            report = try await ensemble.with(label: "dynamos.bench.latency") { target, logger in
                try await LatencyBenchmark(plan: plan, ensemble: target, logger: logger).run(progress: progress)
            }
        }
        print(report.text())
        if let json { try ReportFile.json(report, to: json) }
        if let csv { try ReportFile.write(Data(report.csv().utf8), to: csv, what: "CSV") }
        if let plot { try ReportFile.write(try report.plot(), to: plot, what: "plot") }
    }

    /// A comma-separated option parsed item by item.
    static func list<T>(_ text: String, _ option: String, _ parse: (String) -> T?) throws -> [T] {
        let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !items.isEmpty else { throw ValidationError("\(option) is empty") }
        return try items.map { item in
            guard let value = parse(item) else { throw ValidationError("\(option): '\(item)' is not valid") }
            return value
        }
    }
}
