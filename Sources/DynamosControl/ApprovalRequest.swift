/// `POST /api/v1/requestApproval`: who asks, for what request type, from which stewards, with which options.
///
/// The thesis body: `{"type": "sqlDataRequest", "user": {"id", "userName"}, "dataProviders": ["UVA"],
/// "options": {"aggregate": false}}`. The user is the authenticated caller: `user` may be left out, and a body
/// that names another user is refused.
public struct ApprovalRequest: Sendable, Codable, Equatable {
    public var type: String
    public var user: AnalystUser
    public var dataProviders: [String]
    public var options: [String: Bool]

    public init(type: String, user: AnalystUser, dataProviders: [String], options: [String: Bool] = [:]) {
        self.type = type
        self.user = user
        self.dataProviders = dataProviders
        self.options = options
    }

    private enum CodingKeys: String, CodingKey { case type, user, dataProviders, options }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(String.self, forKey: .type)
        user = try container.decodeIfPresent(AnalystUser.self, forKey: .user) ?? .unnamed
        dataProviders = try container.decode([String].self, forKey: .dataProviders)
        options = try container.decodeIfPresent([String: Bool].self, forKey: .options) ?? [:]
    }

    /// The options switched on.
    public var enabledOptions: Set<String> { Set(options.filter(\.value).keys) }
}

/// The orchestrator's answer to an approved request: the job, how it runs, where to send data requests, the token.
///
/// `endpoints` maps each party the analyst calls to its agent's data-request URL: every steward under
/// `computeToData`, the compute provider under `dataThroughTtp`.
public struct ApprovalResponse: Sendable, Codable, Equatable {
    public var jobId: String
    public var archetype: String
    public var computeProvider: String?
    /// The archetype each steward runs under (they differ when the load rule offloads one steward).
    public var assignments: [String: String]
    public var endpoints: [String: String]
    public var token: String
    /// Seconds since the Unix epoch when the token expires.
    public var expiresAt: Int
    public var reasons: [String]

    public init(
        jobId: String, archetype: String, computeProvider: String?, assignments: [String: String],
        endpoints: [String: String], token: String, expiresAt: Int, reasons: [String]
    ) {
        self.jobId = jobId
        self.archetype = archetype
        self.computeProvider = computeProvider
        self.assignments = assignments
        self.endpoints = endpoints
        self.token = token
        self.expiresAt = expiresAt
        self.reasons = reasons
    }
}
