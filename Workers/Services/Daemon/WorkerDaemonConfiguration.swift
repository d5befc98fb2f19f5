public import DynamosRouteSigning

/// What a worker process is started with: the parsed command line of `dynamos worker`.
public struct WorkerDaemonConfiguration: Sendable {
    /// The service to run (``ServiceCatalog/names``).
    public var service: String
    public var party: String
    /// The queue to consume instead of `dynamos.<party>.<service>` (ephemeral queues).
    public var queue: String?
    /// Handle one message (aggregate: one request), then exit.
    public var once = false
    /// Messages taken at once; nil takes the service's default.
    public var prefetch: UInt16?
    /// Datasets as `<dir>/<party>/<table>.csv`.
    public var dataDirectory = ".dynamos/data"
    /// The parties' public route keys (a JSON Web Key Set).
    public var keyringPath: String
    /// The configuration directory holding `datasets.json` and `stewards.json`.
    public var configDirectory = "Deploy/config"
    /// Where the query service keeps its SQLite copies; nil makes a temporary directory, removed at exit.
    public var databaseDirectory: String?
    /// Where the query service keeps imported databases between worker starts.
    public var databaseCache: String?
    /// How long the aggregate waits, from a request's first message, for the missing parts.
    public var gatheringTimeout: Duration = .seconds(30)
    /// Bytes of parts the aggregate holds at most, over all requests.
    public var gatheringByteBudget = 256 << 20
    /// The broker's `max_message_size`: a larger result becomes an error result.
    public var maxMessageBytes = 128 << 20
    /// This party's secret for route tags, when it has one.
    public var partySecret: PartySecret?
    /// The process environment (spawn time, dataset variables).
    public var environment: [String: String] = [:]
    /// When the process started, for the cold start it reports when no spawn time was passed.
    public var launched: ContinuousClock.Instant

    public init(service: String, party: String, keyringPath: String, launched: ContinuousClock.Instant) {
        self.service = service
        self.party = party
        self.keyringPath = keyringPath
        self.launched = launched
    }
}
