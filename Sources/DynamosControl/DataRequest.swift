/// `POST /agent/v1/sqlDataRequest/<party>`: the analyst's query and analysis for one job.
///
/// The thesis body: `{"type", "query", "algorithm", "algorithmColumns": {"Geslacht": "Salschal"}, "options":
/// {"graph", "anonymize", "aggregate"}, "user", "requestMetadata": {"jobId"}}`. `executionMode` (`persistent` or
/// `ephemeral`) is our addition; the agent's configuration decides when it is absent. `user` may be left out: the
/// access token names the user, and a body that names another one is refused.
public struct DataRequest: Sendable, Codable, Equatable {
    /// `requestMetadata` of the body: the job the request belongs to.
    public struct Metadata: Sendable, Codable, Equatable {
        public var jobId: String

        public init(jobId: String) {
            self.jobId = jobId
        }
    }

    public var type: String
    public var query: String
    public var algorithm: String
    public var algorithmColumns: [String: String]
    public var options: [String: Bool]
    public var user: AnalystUser
    public var requestMetadata: Metadata
    public var executionMode: String?

    public init(
        type: String = "sqlDataRequest", query: String, algorithm: String, algorithmColumns: [String: String] = [:],
        options: [String: Bool] = [:], user: AnalystUser, requestMetadata: Metadata, executionMode: String? = nil
    ) {
        self.type = type
        self.query = query
        self.algorithm = algorithm
        self.algorithmColumns = algorithmColumns
        self.options = options
        self.user = user
        self.requestMetadata = requestMetadata
        self.executionMode = executionMode
    }

    private enum CodingKeys: String, CodingKey {
        case type, query, algorithm, algorithmColumns, options, user, requestMetadata, executionMode
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decodeIfPresent(String.self, forKey: .type) ?? "sqlDataRequest"
        query = try container.decode(String.self, forKey: .query)
        algorithm = try container.decodeIfPresent(String.self, forKey: .algorithm) ?? ""
        algorithmColumns = try container.decodeIfPresent([String: String].self, forKey: .algorithmColumns) ?? [:]
        options = try container.decodeIfPresent([String: Bool].self, forKey: .options) ?? [:]
        user = try container.decodeIfPresent(AnalystUser.self, forKey: .user) ?? .unnamed
        requestMetadata = try container.decode(Metadata.self, forKey: .requestMetadata)
        executionMode = try container.decodeIfPresent(String.self, forKey: .executionMode)
    }

    /// The options switched on.
    public var enabledOptions: Set<String> { Set(options.filter(\.value).keys) }
}
