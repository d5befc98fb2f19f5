import Foundation

/// The result of `dynamos bench bus`: the Swift chain beside the raw baseline, per payload size, with ratios.
///
/// Encodes to the JSON the issue fixes: `{"cells": [{"hops", "bytes", "p50Ms", "p95Ms", "rawP50Ms", "ratio"}],
/// "throughput": {"msgPerSec", "rawMsgPerSec"}}`, plus `n`, `rawP95Ms` and the run's settings.
public struct BusBenchReport: Sendable, Codable, Equatable {
    public struct Cell: Sendable, Codable, Equatable {
        public var hops: Int
        public var bytes: Int
        public var n: Int
        public var p50Ms: Double
        public var p95Ms: Double
        public var rawP50Ms: Double?
        public var rawP95Ms: Double?
        /// Swift p50 over raw p50; below 1 means the Swift chain was faster.
        public var ratio: Double?
    }

    public struct Throughput: Sendable, Codable, Equatable {
        public var msgPerSec: Double
        public var rawMsgPerSec: Double?
    }

    public var cells: [Cell]
    public var throughput: Throughput
    /// Durable quorum queues and persistent messages (true) or transient ones like the baseline (false).
    public var durable: Bool
    public var baselineNote: String?

    public init(
        hops: Int, measurement: BusBenchmark.Measurement, baseline: RawBaseline.Result?, durable: Bool,
        baselineNote: String?
    ) {
        cells = measurement.cells.map { cell in
            let raw = baseline?.cells.first { $0.bytes == cell.bytes && $0.hops == hops }
            let p50 = cell.samples.median
            return Cell(
                hops: hops, bytes: cell.bytes, n: cell.samples.count, p50Ms: p50, p95Ms: cell.samples.p95,
                rawP50Ms: raw?.p50Ms, rawP95Ms: raw?.p95Ms, ratio: raw.map { p50 / $0.p50Ms })
        }
        throughput = Throughput(msgPerSec: measurement.messagesPerSecond, rawMsgPerSec: baseline?.messagesPerSecond)
        self.durable = durable
        self.baselineNote = baselineNote
    }

    /// The terminal table.
    public var table: String {
        func number(_ value: Double?, _ digits: Int = 2) -> String {
            guard let value, value.isFinite else { return "-" }
            return String(format: "%.\(digits)f", value)
        }
        func size(_ bytes: Int) -> String {
            bytes >= 1 << 20 ? "\(bytes >> 20) MB" : bytes >= 1024 ? "\(bytes >> 10) KB" : "\(bytes) B"
        }
        let header = ["hops", "payload", "n", "p50 ms", "p95 ms", "raw p50", "raw p95", "swift/raw"]
        var rows = cells.map {
            [
                "\($0.hops)", size($0.bytes), "\($0.n)", number($0.p50Ms, 3), number($0.p95Ms, 3),
                number($0.rawP50Ms, 3), number($0.rawP95Ms, 3), number($0.ratio),
            ]
        }
        rows.insert(header, at: 0)
        let widths = header.indices.map { column in rows.map { $0[column].count }.max()! }
        var lines = rows.map { row in
            row.indices.map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
        }
        lines.append("")
        var throughputLine = "throughput (256 B, pipelined): swift \(number(throughput.msgPerSec, 0)) msg/s"
        if let raw = throughput.rawMsgPerSec {
            throughputLine += ", raw \(number(raw, 0)) msg/s, swift/raw \(number(throughput.msgPerSec / raw))"
        }
        lines.append(throughputLine)
        lines.append(durable ? "queues: durable quorum, persistent messages" : "queues: transient classic, like the raw baseline")
        if let baselineNote { lines.append("raw baseline: \(baselineNote)") }
        return lines.joined(separator: "\n")
    }
}
