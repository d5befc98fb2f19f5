public import DynamosControl

/// How a request runs in the latency benchmark: on warm persistent workers, on persistent workers started from
/// zero for it, or on per-request processes.
public enum LatencyMode: String, Sendable, Codable, CaseIterable {
    /// Persistent workers that are already running (after warm-up requests).
    case persistentWarm = "persistent-warm"
    /// The first request after every pool of the chain's parties was emptied: the workers start for it.
    case persistentCold = "persistent-cold"
    /// Per-request queues and one `--once` worker per service (the thesis's only mode).
    case ephemeral

    /// The `executionMode` the data request asks for.
    var executionMode: String { self == .ephemeral ? "ephemeral" : "persistent" }
}

/// The archetypes the latency benchmark compares, with the providers and options that select each.
public enum LatencyArchetype: String, Sendable, Codable, CaseIterable {
    /// The whole chain at one steward.
    case computeToData
    /// Two stewards query (and anonymize); the trusted third party aggregates and computes.
    case dataThroughTtp
}

/// What `dynamos bench latency` measures: archetypes x row counts x modes, each cell `repetitions` timed
/// requests after `warmup` untimed ones.
///
/// The request is the thesis's: `SELECT * FROM Personen p JOIN Aanstellingen s ON p.Unieknr = s.Unieknr LIMIT
/// rows` at every steward, the average `Salschal` by `Geslacht`, optionally drawn.
public struct LatencyPlan: Sendable, Equatable {
    public var archetypes: [LatencyArchetype]
    public var rows: [Int]
    public var modes: [LatencyMode]
    /// Timed requests per cell.
    public var repetitions: Int
    /// Untimed requests before a warm or ephemeral cell (a cold cell needs none: each of its requests starts
    /// from empty pools).
    public var warmup: Int
    /// The steward of computeToData.
    public var steward: String
    /// The stewards of dataThroughTtp.
    public var providers: [String]
    /// Whether the chain ends with the graph service.
    public var graph: Bool
    public var user: AnalystUser

    public init(
        archetypes: [LatencyArchetype] = LatencyArchetype.allCases, rows: [Int] = [10_000, 20_000, 30_000],
        modes: [LatencyMode] = LatencyMode.allCases, repetitions: Int = 10, warmup: Int = 2, steward: String = "UVA",
        providers: [String] = ["UVA", "VU"], graph: Bool = false,
        user: AnalystUser = AnalystUser(id: "12324", userName: "jorrit.stutterheim@cloudnation.nl")
    ) {
        self.archetypes = archetypes
        self.rows = rows
        self.modes = modes
        self.repetitions = repetitions
        self.warmup = warmup
        self.steward = steward
        self.providers = providers
        self.graph = graph
        self.user = user
    }

    /// The SQL every steward runs for a cell of `rows` rows.
    public static func query(rows: Int) -> String {
        "SELECT * FROM Personen p JOIN Aanstellingen s ON p.Unieknr = s.Unieknr LIMIT \(rows)"
    }

    /// Requests the whole plan sends, warm-up included (for the progress bar).
    public var requestCount: Int {
        archetypes.count * rows.count
            * modes.reduce(0) { $0 + repetitions + ($1 == .persistentCold ? 0 : warmup) }
    }

    /// The approval that selects `archetype`.
    func approval(for archetype: LatencyArchetype) -> ApprovalRequest {
        switch archetype {
        case .computeToData:
            ApprovalRequest(type: "sqlDataRequest", user: user, dataProviders: [steward], options: ["graph": graph])
        case .dataThroughTtp:
            ApprovalRequest(
                type: "sqlDataRequest", user: user, dataProviders: providers,
                options: ["graph": graph, "aggregate": true])
        }
    }

    /// The data request of one cell.
    func request(job: ApprovalResponse, rows: Int, mode: LatencyMode) -> DataRequest {
        DataRequest(
            query: Self.query(rows: rows), algorithm: "average", algorithmColumns: ["Geslacht": "Salschal"],
            options: job.archetype == LatencyArchetype.dataThroughTtp.rawValue
                ? ["graph": graph, "aggregate": true] : ["graph": graph],
            user: user, requestMetadata: DataRequest.Metadata(jobId: job.jobId), executionMode: mode.executionMode)
    }
}
