public import DynamosKnowledge
public import DynamosRouteSigning

/// Everything the control plane says over the bus, as JSON `{"kind": ..., "body": {...}}`.
///
/// The orchestrator sends compositions, config pushes and revocations, each `signed` with its key, to
/// `dynamos.<party>.agent`; agents send
/// heartbeats and composition receipts to `dynamos.orchestrator`; a third party's agent forwards data requests to
/// the stewards' agents. Data messages stay protobuf (`MicroserviceCommunication`); control messages are small and
/// rare, so JSON keeps them readable in the broker's management UI.
public enum ControlMessage: Sendable, Codable, Equatable {
    case composition(JobComposition)
    case compositionAccepted(CompositionReceipt)
    case configChanged(ConfigPush)
    case jobRevoked(JobRevocation)
    case heartbeat(AgentHeartbeat)
    case forwardedRequest(ForwardedRequest)
    /// Another control message signed by the orchestrator, as a compact JWS (`SignedControl`).
    case signed(String)

    private enum CodingKeys: String, CodingKey { case kind, body }

    /// The `kind` field naming each case.
    public enum Kind: String, Codable, Sendable {
        case composition, compositionAccepted, configChanged, jobRevoked, heartbeat, forwardedRequest, signed
    }

    public var kind: Kind {
        switch self {
        case .composition: .composition
        case .compositionAccepted: .compositionAccepted
        case .configChanged: .configChanged
        case .jobRevoked: .jobRevoked
        case .heartbeat: .heartbeat
        case .forwardedRequest: .forwardedRequest
        case .signed: .signed
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(Kind.self, forKey: .kind) {
        case .composition: self = .composition(try container.decode(JobComposition.self, forKey: .body))
        case .compositionAccepted:
            self = .compositionAccepted(try container.decode(CompositionReceipt.self, forKey: .body))
        case .configChanged: self = .configChanged(try container.decode(ConfigPush.self, forKey: .body))
        case .jobRevoked: self = .jobRevoked(try container.decode(JobRevocation.self, forKey: .body))
        case .heartbeat: self = .heartbeat(try container.decode(AgentHeartbeat.self, forKey: .body))
        case .forwardedRequest: self = .forwardedRequest(try container.decode(ForwardedRequest.self, forKey: .body))
        case .signed: self = .signed(try container.decode(String.self, forKey: .body))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        switch self {
        case .composition(let body): try container.encode(body, forKey: .body)
        case .compositionAccepted(let body): try container.encode(body, forKey: .body)
        case .configChanged(let body): try container.encode(body, forKey: .body)
        case .jobRevoked(let body): try container.encode(body, forKey: .body)
        case .heartbeat(let body): try container.encode(body, forKey: .body)
        case .forwardedRequest(let body): try container.encode(body, forKey: .body)
        case .signed(let body): try container.encode(body, forKey: .body)
        }
    }
}

/// The orchestrator's instruction to one party's agent: this job exists, and this is your part in it.
///
/// Sent again with a higher `revision` when a changed agreement re-plans the job (the archetype or roles moved).
public struct JobComposition: Sendable, Codable, Equatable {
    public var jobId: String
    public var revision: Int
    public var user: AnalystUser
    public var requestType: String
    /// The archetype of the job as a whole (the lowest-weight one allowed). Archetypes are named by the knowledge
    /// base, not by the code, so the name stays a string.
    public var archetype: String
    /// Each steward's archetype; they differ when the load rule offloads one steward to the compute provider.
    public var assignments: [String: String]
    public var computeProvider: String?
    /// The stewards whose data the job reads.
    public var providers: [String]
    public var options: [String]
    /// The receiving party's role; an unknown one fails decoding.
    public var role: PartyRole
    /// The receiving party.
    public var party: String
    /// Why the orchestrator chose this plan.
    public var reasons: [String]

    public init(
        jobId: String, revision: Int, user: AnalystUser, requestType: String, archetype: String,
        assignments: [String: String], computeProvider: String?, providers: [String], options: [String],
        role: PartyRole, party: String, reasons: [String]
    ) {
        self.jobId = jobId
        self.revision = revision
        self.user = user
        self.requestType = requestType
        self.archetype = archetype
        self.assignments = assignments
        self.computeProvider = computeProvider
        self.providers = providers
        self.options = options
        self.role = role
        self.party = party
        self.reasons = reasons
    }
}

/// An agent's answer to a composition: stored, or refused with the reason; the orchestrator answers the approval
/// once every party accepted, and at once when one refused.
public struct CompositionReceipt: Sendable, Codable, Equatable {
    public var jobId: String
    public var party: String
    public var revision: Int
    /// Why the agent did not take the composition; nil when it did.
    public var refusal: String?

    public init(jobId: String, party: String, revision: Int, refusal: String? = nil) {
        self.jobId = jobId
        self.party = party
        self.revision = revision
        self.refusal = refusal
    }
}

/// A new knowledge base for agents, pushed on every accepted config change and when an agent announces itself.
public struct ConfigPush: Sendable, Codable, Equatable {
    public var version: Int
    public var knowledgeBase: KnowledgeBase

    public init(version: Int, knowledgeBase: KnowledgeBase) {
        self.version = version
        self.knowledgeBase = knowledgeBase
    }
}

/// The end of a job at an agent: its tokens stop working there at once.
///
/// A `final` revocation (the user lost permission) can never be undone; a re-plan that moves a job away from a
/// party is not final, so a later re-plan can hand the job back with a higher revision.
public struct JobRevocation: Sendable, Codable, Equatable {
    public var jobId: String
    public var user: String
    public var reason: String
    public var final: Bool

    public init(jobId: String, user: String, reason: String, final: Bool = true) {
        self.jobId = jobId
        self.user = user
        self.reason = reason
        self.final = final
    }
}

/// An agent's sign of life, every heartbeat interval: who it is, where it listens and how loaded its party is.
public struct AgentHeartbeat: Sendable, Codable, Equatable {
    public var party: String
    /// The agent's inbox queue, `dynamos.<party>.agent`.
    public var inbox: String
    /// The base URL of the agent's HTTP server, e.g. `http://127.0.0.1:8081`.
    public var endpoint: String
    /// CPU load as a fraction of the machine (0...1).
    public var cpu: Double
    /// Memory in use as a fraction of the machine (0...1).
    public var memory: Double
    public var activeJobs: Int
    public var requestsInFlight: Int
    /// The config version the agent runs on.
    public var configVersion: Int
    /// Microseconds since the Unix epoch when it was sent.
    public var sentUnixMicros: Int64
    /// Set on the last heartbeat of an agent that is shutting down.
    public var stopping: Bool

    public init(
        party: String, inbox: String, endpoint: String, cpu: Double, memory: Double, activeJobs: Int,
        requestsInFlight: Int, configVersion: Int, sentUnixMicros: Int64, stopping: Bool = false
    ) {
        self.party = party
        self.inbox = inbox
        self.endpoint = endpoint
        self.cpu = cpu
        self.memory = memory
        self.activeJobs = activeJobs
        self.requestsInFlight = requestsInFlight
        self.configVersion = configVersion
        self.sentUnixMicros = sentUnixMicros
        self.stopping = stopping
    }
}

/// A data request a compute provider's agent hands to a steward's agent under `dataThroughTtp`, with the ticket
/// that lets the steward's route end at the compute provider's aggregate queue, and the analyst's access token, which
/// the steward verifies itself: no party can make a steward run a query the orchestrator did not approve.
public struct ForwardedRequest: Sendable, Codable, Equatable {
    public var jobId: String
    public var requestId: String
    /// The compute provider that forwards it.
    public var from: String
    public var request: DataRequest
    public var ticket: RouteTicket
    /// The analyst's access token for the job.
    public var token: String

    public init(
        jobId: String, requestId: String, from: String, request: DataRequest, ticket: RouteTicket, token: String
    ) {
        self.jobId = jobId
        self.requestId = requestId
        self.from = from
        self.request = request
        self.ticket = ticket
        self.token = token
    }
}
