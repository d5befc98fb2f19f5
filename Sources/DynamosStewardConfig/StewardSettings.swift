/// Per-party operational settings: the services it enforces, when it counts as overloaded, how it runs workers.
///
/// Every party of the platform has an entry, stewards and third parties alike (`kind`); the router uses the
/// entries as the list of known parties.
public struct StewardSettings: Sendable, Codable, Equatable {
    /// Whether the party holds data or is a trusted third party that computes.
    public enum Kind: String, Sendable, Codable {
        case steward
        case thirdParty
    }

    /// How the party's workers run.
    public enum ExecutionMode: String, Sendable, Codable {
        case persistent
        case ephemeral
    }

    /// Load fractions (0...1) above which the party prefers to offload computation.
    public struct LoadThresholds: Sendable, Codable, Equatable {
        public var cpu: Double
        public var memory: Double

        public init(cpu: Double = 0.8, memory: Double = 0.8) {
            self.cpu = cpu
            self.memory = memory
        }
    }

    public var name: String
    public var kind: Kind
    /// Request type to the services this party adds to every such request, asked for or not.
    public var enforcedServices: [String: [String]]
    public var loadThresholds: LoadThresholds
    /// The mode requests run in when neither the request nor its request type says.
    public var executionMode: ExecutionMode
    /// Modes this party refuses to run, whatever a request asks (a steward may forbid spawning per request).
    public var forbiddenExecutionModes: [ExecutionMode]
    public var idleTimeoutSeconds: Int
    /// The most workers any one of the party's pools may have, whoever asks (operators included): what keeps a
    /// scaling request from taking the party's host down.
    public var maxWorkersPerPool: Int
    /// The budget of the analysts' SQL at this party's query workers; nil keeps the safe defaults.
    public var queryBudget: QueryBudget?
    /// k: the fewest persons (rows) a result group may be built from before it leaves this party's computation;
    /// smaller groups are suppressed and counted. nil (or 1) suppresses nothing.
    public var minimumGroupSize: Int?
    /// Ephemeral runs (each a set of worker processes) the party's agent runs at once; nil keeps the default.
    public var maxEphemeralRuns: Int?
    /// Requests one user may have in flight at the party's agent; nil keeps the default.
    public var maxRequestsPerUser: Int?

    /// The pool cap when the settings name none.
    public static let defaultMaxWorkersPerPool = 8
    /// The largest pool cap a party may set.
    public static let maximumWorkersPerPool = 256
    /// Ephemeral runs at once when the settings name no limit.
    public static let defaultMaxEphemeralRuns = 4
    /// Requests in flight per user when the settings name no limit.
    public static let defaultMaxRequestsPerUser = 32
    /// The largest k a party may set.
    public static let maximumGroupSizeLimit = 1_000_000

    public init(
        name: String, kind: Kind = .steward, enforcedServices: [String: [String]] = [:],
        loadThresholds: LoadThresholds = LoadThresholds(), executionMode: ExecutionMode = .persistent,
        forbiddenExecutionModes: [ExecutionMode] = [], idleTimeoutSeconds: Int = 600,
        maxWorkersPerPool: Int = Self.defaultMaxWorkersPerPool, queryBudget: QueryBudget? = nil,
        minimumGroupSize: Int? = nil, maxEphemeralRuns: Int? = nil, maxRequestsPerUser: Int? = nil
    ) {
        self.maxEphemeralRuns = maxEphemeralRuns
        self.maxRequestsPerUser = maxRequestsPerUser
        self.minimumGroupSize = minimumGroupSize
        self.maxWorkersPerPool = maxWorkersPerPool
        self.queryBudget = queryBudget
        self.forbiddenExecutionModes = forbiddenExecutionModes
        self.name = name
        self.kind = kind
        self.enforcedServices = enforcedServices
        self.loadThresholds = loadThresholds
        self.executionMode = executionMode
        self.idleTimeoutSeconds = idleTimeoutSeconds
    }

    private enum CodingKeys: String, CodingKey {
        case name, kind, enforcedServices, loadThresholds, executionMode, forbiddenExecutionModes, idleTimeoutSeconds
        case maxWorkersPerPool, queryBudget, minimumGroupSize, maxEphemeralRuns, maxRequestsPerUser
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        kind = try container.decodeIfPresent(Kind.self, forKey: .kind) ?? .steward
        enforcedServices = try container.decodeIfPresent([String: [String]].self, forKey: .enforcedServices) ?? [:]
        loadThresholds = try container.decodeIfPresent(LoadThresholds.self, forKey: .loadThresholds) ?? .init()
        executionMode = try container.decodeIfPresent(ExecutionMode.self, forKey: .executionMode) ?? .persistent
        forbiddenExecutionModes =
            try container.decodeIfPresent([ExecutionMode].self, forKey: .forbiddenExecutionModes) ?? []
        idleTimeoutSeconds = try container.decodeIfPresent(Int.self, forKey: .idleTimeoutSeconds) ?? 600
        maxWorkersPerPool =
            try container.decodeIfPresent(Int.self, forKey: .maxWorkersPerPool) ?? Self.defaultMaxWorkersPerPool
        queryBudget = try container.decodeIfPresent(QueryBudget.self, forKey: .queryBudget)
        minimumGroupSize = try container.decodeIfPresent(Int.self, forKey: .minimumGroupSize)
        maxEphemeralRuns = try container.decodeIfPresent(Int.self, forKey: .maxEphemeralRuns)
        maxRequestsPerUser = try container.decodeIfPresent(Int.self, forKey: .maxRequestsPerUser)
    }
}
