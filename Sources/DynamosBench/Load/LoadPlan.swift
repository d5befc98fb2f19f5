public import DynamosControl

/// What `dynamos bench load` does: small requests at a fixed arrival rate (open loop) or from a fixed number of
/// clients (closed loop), for a duration, once per worker configuration.
///
/// The request is computeToData at one steward (query, then algorithm): `SELECT s.Salschal, '<tag>' AS tag FROM
/// Aanstellingen s LIMIT rows`, the average `Salschal` by `tag`. Every request carries its own tag, and its
/// result must come back with exactly that tag in its one row, so a result delivered twice, to the wrong
/// request, or not at all is seen.
public struct LoadPlan: Sendable, Equatable {
    /// How requests arrive.
    public enum Arrival: Sendable, Equatable {
        /// A request every 1/rate seconds whatever the answers do; latency counts from the planned send time,
        /// so a stall shows up in every request it delays (no coordinated omission).
        case open(perSecond: Double)
        /// `concurrency` clients, each sending its next request when the last one answered.
        case closed(concurrency: Int)
    }

    public var arrival: Arrival
    /// How long each run sends measured requests.
    public var duration: Duration
    /// How long each run sends unmeasured requests first (connections, workers and caches warm up).
    public var warmup: Duration
    /// The steward whose chain is loaded.
    public var steward: String
    /// The LIMIT of the query.
    public var rows: Int
    /// Worker counts to pin before each run (`["query": 2, "algorithm": 2]`); one run as the pools are when empty.
    public var workerCounts: [[String: Int]]
    /// How long the client waits for one answer before counting the request as lost.
    public var timeout: Duration
    public var user: AnalystUser

    public init(
        arrival: Arrival, duration: Duration = .seconds(10), warmup: Duration = .seconds(2), steward: String = "VU",
        rows: Int = 10, workerCounts: [[String: Int]] = [], timeout: Duration = .seconds(30),
        user: AnalystUser = AnalystUser(id: "12324", userName: "jorrit.stutterheim@cloudnation.nl")
    ) {
        self.arrival = arrival
        self.duration = duration
        self.warmup = warmup
        self.steward = steward
        self.rows = rows
        self.workerCounts = workerCounts
        self.timeout = timeout
        self.user = user
    }

    /// The SQL of the request tagged `tag`.
    public func query(tag: String) -> String {
        "SELECT s.Salschal, '\(tag)' AS tag FROM Aanstellingen s LIMIT \(rows)"
    }

    func approval() -> ApprovalRequest {
        ApprovalRequest(type: "sqlDataRequest", user: user, dataProviders: [steward], options: [:])
    }

    func request(job: String, tag: String) -> DataRequest {
        DataRequest(
            query: query(tag: tag), algorithm: "average", algorithmColumns: ["tag": "Salschal"], options: [:],
            user: user, requestMetadata: DataRequest.Metadata(jobId: job), executionMode: "persistent")
    }

    /// The number of worker configurations run (at least one).
    public var runCount: Int { max(workerCounts.count, 1) }
}
