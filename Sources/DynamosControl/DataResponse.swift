/// An agent's answer to a data request: the result table, the chart, and where the time went.
///
/// `{"jobId", "requestId", "archetype", "mode", "result": {"columns", "rows"}, "graph": {"png", "svg"},
/// "timings": {"totalMs", "hops": [{"party", "service", "queuedMs", "processMs"}]}}`; `png` is base64.
public struct DataResponse: Sendable, Codable, Equatable {
    /// The result table: column names and rows of JSON scalars (numbers, strings, null).
    public struct Result: Sendable, Codable, Equatable {
        public var columns: [String]
        public var rows: [[JSONScalar]]

        public init(columns: [String], rows: [[JSONScalar]]) {
            self.columns = columns
            self.rows = rows
        }
    }

    /// The chart when the request asked for one: a base64 PNG and the SVG text.
    public struct Graph: Sendable, Codable, Equatable {
        public var png: String?
        public var svg: String?

        public init(png: String?, svg: String?) {
            self.png = png
            self.svg = svg
        }
    }

    /// One hop's share of the time: waiting in its queue, then being handled.
    public struct Hop: Sendable, Codable, Equatable {
        public var party: String
        public var service: String
        public var queuedMs: Double
        public var processMs: Double
        /// Spawn-to-ready time of a worker started for this hop (the cold path), when there was one.
        public var coldStartMs: Double?

        public init(party: String, service: String, queuedMs: Double, processMs: Double, coldStartMs: Double? = nil) {
            self.party = party
            self.service = service
            self.queuedMs = queuedMs
            self.processMs = processMs
            self.coldStartMs = coldStartMs
        }
    }

    /// Groups a party's minimum group size (k) kept out of the result: where, how many and why.
    public struct Suppression: Sendable, Codable, Equatable {
        public var party: String
        public var service: String
        public var groups: Int
        public var minimumGroupSize: Int
        /// The reason in words, e.g. "2 groups of fewer than 10 persons left out at UVA (algorithm)".
        public var reason: String

        public init(party: String, service: String, groups: Int, minimumGroupSize: Int) {
            self.party = party
            self.service = service
            self.groups = groups
            self.minimumGroupSize = minimumGroupSize
            reason = "\(groups) group\(groups == 1 ? "" : "s") of fewer than \(minimumGroupSize) persons left out at "
                + "\(party) (\(service)): the minimum group size of a steward whose data it holds"
        }
    }

    /// End-to-end time at the agent and the hops in the order they ran.
    public struct Timings: Sendable, Codable, Equatable {
        public var totalMs: Double
        public var hops: [Hop]

        public init(totalMs: Double, hops: [Hop]) {
            self.totalMs = totalMs
            self.hops = hops
        }
    }

    public var jobId: String
    public var requestId: String
    public var archetype: String
    public var mode: String
    public var result: Result
    public var graph: Graph?
    /// What k suppressed, hop by hop; absent when nothing was.
    public var suppressed: [Suppression]?
    public var timings: Timings

    public init(
        jobId: String, requestId: String, archetype: String, mode: String, result: Result, graph: Graph?,
        suppressed: [Suppression]? = nil, timings: Timings
    ) {
        self.suppressed = suppressed
        self.jobId = jobId
        self.requestId = requestId
        self.archetype = archetype
        self.mode = mode
        self.result = result
        self.graph = graph
        self.timings = timings
    }
}
