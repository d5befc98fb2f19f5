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
    /// Alternating raw and Swift rounds; every figure is the median over the rounds.
    public var rounds: Int
    public var baselineNote: String?

    /// Summarises alternating rounds: per cell, the median of the rounds' p50s and p95s, for both chains.
    public init(
        hops: Int, rounds: [(swift: BusBenchmark.Measurement, raw: RawBaseline.Result?)], durable: Bool,
        baselineNote: String?
    ) {
        let first = rounds.first?.swift.cells ?? []
        cells = first.indices.map { index in
            let bytes = first[index].bytes
            let swift = rounds.map { $0.swift.cells[index].samples }
            let raw = rounds.compactMap { $0.raw?.cells.first { $0.bytes == bytes && $0.hops == hops } }
            let p50 = Self.median(swift.map(\.median))
            let rawP50 = raw.isEmpty ? nil : Self.median(raw.map(\.p50Ms))
            return Cell(
                hops: hops, bytes: bytes, n: swift.map(\.count).reduce(0, +), p50Ms: p50,
                p95Ms: Self.median(swift.map(\.p95)), rawP50Ms: rawP50,
                rawP95Ms: raw.isEmpty ? nil : Self.median(raw.map(\.p95Ms)), ratio: rawP50.map { p50 / $0 })
        }
        let rawThroughput = rounds.compactMap { $0.raw?.messagesPerSecond }
        throughput = Throughput(
            msgPerSec: Self.median(rounds.map(\.swift.messagesPerSecond)),
            rawMsgPerSec: rawThroughput.isEmpty ? nil : Self.median(rawThroughput))
        self.durable = durable
        self.rounds = rounds.count
        self.baselineNote = baselineNote
    }

    static func median(_ values: [Double]) -> Double {
        LatencySamples(values).median
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
        lines.append("rounds: \(rounds) (raw and Swift alternating; each figure is the median over the rounds)")
        if let baselineNote { lines.append("raw baseline: \(baselineNote)") }
        return lines.joined(separator: "\n")
    }
}
