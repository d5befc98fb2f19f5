/// What `dynamos bench latency` measured, in the shape `--json` writes:
/// `{"machine", "plan", "cells": [...], "reference": [...]}`.
public struct LatencyReport: Sendable, Codable, Equatable {
    public var machine: MachineInfo
    public var plan: PlanSummary
    public var cells: [LatencyCell]
    /// The thesis's published figures, for comparison only (other hardware, Kubernetes jobs).
    public var reference: [ThesisReference]

    public init(machine: MachineInfo, plan: PlanSummary, cells: [LatencyCell], reference: [ThesisReference]) {
        self.machine = machine
        self.plan = plan
        self.cells = cells
        self.reference = reference
    }

    /// The plan a report was made with, so a JSON file says what it measured.
    public struct PlanSummary: Sendable, Codable, Equatable {
        public var repetitions: Int
        public var warmup: Int
        public var steward: String
        public var providers: [String]
        public var graph: Bool
        public var query: String
        public var algorithm: String
        /// Whether the benchmark brought the ensemble up itself.
        public var privateEnsemble: Bool
    }

    /// The cell of `archetype`, `rows` and `mode`.
    public func cell(_ archetype: LatencyArchetype, rows: Int, mode: LatencyMode) -> LatencyCell? {
        cells.first { $0.archetype == archetype && $0.rows == rows && $0.mode == mode }
    }
}

/// One cell: `repetitions` requests of one archetype, row count and mode, timed at the client over HTTP.
public struct LatencyCell: Sendable, Codable, Equatable {
    public var archetype: LatencyArchetype
    public var rows: Int
    public var mode: LatencyMode
    public var p50Ms: Double
    public var p95Ms: Double
    public var minMs: Double
    public var maxMs: Double
    /// Requests that answered (failed ones are counted in `errors`).
    public var n: Int
    public var errors: Int
    /// The median of the agent's own end-to-end time (`timings.totalMs`), without HTTP and the token check.
    public var agentP50Ms: Double
    /// Where the time went, hop by hop in chain order: medians over the cell's requests.
    public var hops: [HopSplit]
    /// One steward's query result of `rows` rows in three encodings; nil when the data could not be read.
    public var bytes: MessageBytes?
    /// The first error a failed request gave, so a cell with errors says why.
    public var firstError: String?
}

/// One hop's time split the way the thesis's tables 5.4-5.9 split it: starting the service, handling the
/// message, and moving it (queue, broker and the wait for a busy worker).
public struct HopSplit: Sendable, Codable, Equatable {
    public var party: String
    public var service: String
    /// Launch-to-ready of a worker started for this message (0 when a worker was running).
    public var startupMs: Double
    /// From taking the message to handing the result on.
    public var processingMs: Double
    /// The rest of the time between the previous hop's hand-off (or the publish) and this hop taking it.
    public var transferMs: Double

    public init(party: String, service: String, startupMs: Double, processingMs: Double, transferMs: Double) {
        self.party = party
        self.service = service
        self.startupMs = startupMs
        self.processingMs = processingMs
        self.transferMs = transferMs
    }
}

/// A query result's size in our columnar table encoding, as JSON row objects, and as the protobuf `Struct` of
/// string lists DYNAMOS's query service sent (the thesis's 4,036,759 B at 30,000 rows).
public struct MessageBytes: Sendable, Codable, Equatable {
    public var table: Int
    public var json: Int
    public var `struct`: Int
    /// The rows the result actually had (a steward may hold fewer than asked).
    public var resultRows: Int
}

/// A published DYNAMOS figure, drawn beside ours as a reference series.
public struct ThesisReference: Sendable, Codable, Equatable {
    public var archetype: LatencyArchetype
    public var rows: Int
    /// DYNAMOS ran every request as Kubernetes jobs, so its figures compare with `ephemeral`.
    public var mode: LatencyMode
    public var lowMs: Double
    public var highMs: Double
    public var source: String

    /// The middle of the published range.
    public var midMs: Double { (lowMs + highMs) / 2 }

    /// The thesis's end-to-end figures (MacBook i7, Docker Desktop Kubernetes; DESIGN.md section 1).
    public static let published: [ThesisReference] = [
        ThesisReference(
            archetype: .computeToData, rows: 10_000, mode: .ephemeral, lowMs: 3_300, highMs: 4_100, source: source),
        ThesisReference(
            archetype: .computeToData, rows: 30_000, mode: .ephemeral, lowMs: 5_600, highMs: 6_500, source: source),
        ThesisReference(
            archetype: .dataThroughTtp, rows: 30_000, mode: .ephemeral, lowMs: 7_800, highMs: 8_200, source: source),
    ]

    static let source = "DYNAMOS thesis, MacBook i7 with Docker Desktop Kubernetes (other hardware; for reference only)"
}
