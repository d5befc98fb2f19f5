import DynamosCharts
import DynamosMessages
import Foundation

extension LoadReport {
    /// The terminal report: one line per run, then the totals and the exactly-once verdict.
    public func text() -> String {
        let load = ratePerSec.map { String(format: "open loop at %.0f req/s", $0) }
            ?? "closed loop with \(concurrency ?? 0) clients"
        var out = [
            "Dynamos load, \(load), \(Int(durationSeconds)) s per run: computeToData at \(steward) (query, algorithm), "
                + "LIMIT \(rows); \(machine.cores) cores, bench binary \(machine.build) build."
        ]
        var table = TextTable([
            "workers", "requests", "completed", "lost", "dup", "errors", "req/s", "p50 ms", "p90 ms", "p99 ms",
            "p99.9 ms", "max ms",
        ])
        for run in runs {
            table.append([
                run.label, String(run.requests), String(run.completed), String(run.lost), String(run.duplicated),
                String(run.errors), String(format: "%.0f", run.throughputPerSec), Self.ms(run.p50Ms), Self.ms(run.p90Ms),
                Self.ms(run.p99Ms), Self.ms(run.p999Ms), Self.ms(run.maxMs),
            ])
        }
        out.append(table.render())
        out.append(
            lost == 0 && duplicated == 0 && errors == 0
                ? "every one of the \(requests) requests got exactly one result, its own"
                : "NOT exactly once: \(lost) lost, \(duplicated) duplicated, \(errors) errors")
        if unmatchedResults > 0 {
            out.append("the agent dropped \(unmatchedResults) results nobody waited for (late after a timeout, or repeated)")
        }
        for run in runs {
            if let error = run.firstError { out.append("\(run.label): first problem: \(error)") }
        }
        return out.joined(separator: "\n")
    }

    private static func ms(_ value: Double) -> String { String(format: "%.2f", value) }

    /// `--plot`: latency over time (p50 and p99 per second of every run) as a line chart.
    public func latencyPlot(width: Int = 1100, height: Int = 560) throws -> [UInt8] {
        let seconds = Array(Set(runs.flatMap { $0.timeline.map(\.second) })).sorted()
        var columns = [DataColumn.integer("second", seconds.map { Int64($0) })]
        for run in runs {
            let points = Dictionary(uniqueKeysWithValues: run.timeline.map { ($0.second, $0) })
            columns.append(.real("\(run.label) p50(ms)", seconds.map { points[$0]?.p50Ms }))
            columns.append(.real("\(run.label) p99(ms)", seconds.map { points[$0]?.p99Ms }))
        }
        let renderer = ChartRenderer(
            options: ChartOptions(
                width: width, height: height, valueColumns: columns.dropFirst().map(\.name), kind: .line,
                valueAxisTitle: "latency, ms"))
        return try renderer.render(try DataTable(columns: columns), title: "Latency over time (\(loadLabel))").png
    }

    /// `--plot`'s second chart: throughput and p99 by worker configuration, as bars.
    public func throughputPlot(width: Int = 900, height: Int = 520) throws -> [UInt8] {
        let columns = [
            DataColumn.text("workers", runs.map(\.label)),
            .real("throughput(req/s)", runs.map(\.throughputPerSec)),
        ]
        let renderer = ChartRenderer(
            options: ChartOptions(
                width: width, height: height, valueColumns: ["throughput(req/s)"], kind: .bar,
                valueAxisTitle: "completed requests per second"))
        return try renderer.render(try DataTable(columns: columns), title: "Throughput by workers (\(loadLabel))").png
    }

    private var loadLabel: String {
        ratePerSec.map { String(format: "open loop, %.0f req/s", $0) } ?? "closed loop, \(concurrency ?? 0) clients"
    }
}
