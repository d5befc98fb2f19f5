/// `GET /agent/v1/dead-letters` and `dynamos dead list --json`: a party's dead letters, oldest first, with why each
/// was set aside and where it came from.
public struct DeadLetterListing: Sendable, Codable, Equatable {
    public var party: String
    /// The dead-letter queue, `dynamos.<party>.dead`.
    public var queue: String
    /// Messages in the queue; `letters` holds at most the first `limit` of them.
    public var total: Int
    public var letters: [DeadLetterSummary]

    public init(party: String, queue: String, total: Int, letters: [DeadLetterSummary]) {
        self.party = party
        self.queue = queue
        self.total = total
        self.letters = letters
    }
}

/// One dead letter as an operator sees it: what it carried (ids and shape, never the steward's values), why it was
/// set aside, and whether it can be replayed.
public struct DeadLetterSummary: Sendable, Codable, Equatable {
    /// Stable while the letter waits: a digest of its body and dead-letter headers.
    public var id: String
    public var reason: String
    /// The queue it was taken from, where a replay puts it back; nil when nobody recorded one.
    public var sourceQueue: String?
    /// When it was dead-lettered (seconds since the Unix epoch), when known.
    public var deadLetteredAt: Int64?
    public var bytes: Int
    /// How often it was replayed already.
    public var replays: Int
    public var jobId: String?
    public var requestId: String?
    /// The hops its route still had to go.
    public var hops: [String]?
    /// When its signed route expires (seconds since the Unix epoch): a replay after that is refused by the workers.
    public var routeExpiresAt: Int64?
    /// Why a replay would not help, or nil when it can be replayed.
    public var notReplayable: String?

    public init(
        id: String, reason: String, sourceQueue: String?, deadLetteredAt: Int64?, bytes: Int, replays: Int,
        jobId: String?, requestId: String?, hops: [String]?, routeExpiresAt: Int64?, notReplayable: String?
    ) {
        self.id = id
        self.reason = reason
        self.sourceQueue = sourceQueue
        self.deadLetteredAt = deadLetteredAt
        self.bytes = bytes
        self.replays = replays
        self.jobId = jobId
        self.requestId = requestId
        self.hops = hops
        self.routeExpiresAt = routeExpiresAt
        self.notReplayable = notReplayable
    }
}

/// `GET /agent/v1/dead-letters/{id}`: one dead letter in full, its values aside.
public struct DeadLetterDetail: Sendable, Codable, Equatable {
    public var summary: DeadLetterSummary
    /// The AMQP headers, as text.
    public var headers: [String: String]
    public var sender: String?
    /// What the message carried: the services that ran, an error it carries, its table's shape and attachments.
    public var services: [String]
    public var error: String?
    public var rows: Int?
    public var columns: [String]
    public var attachments: [String]

    public init(
        summary: DeadLetterSummary, headers: [String: String], sender: String?, services: [String], error: String?,
        rows: Int?, columns: [String], attachments: [String]
    ) {
        self.summary = summary
        self.headers = headers
        self.sender = sender
        self.services = services
        self.error = error
        self.rows = rows
        self.columns = columns
        self.attachments = attachments
    }
}

/// The body of `POST /agent/v1/dead-letters/replay` and `.../purge`: the letters by id, or all of them.
public struct DeadLetterSelection: Sendable, Codable, Equatable {
    public var ids: [String]?
    public var all: Bool?

    public init(ids: [String]? = nil, all: Bool? = nil) {
        self.ids = ids
        self.all = all
    }
}

/// What a replay or purge did, letter by letter.
public struct DeadLetterOutcome: Sendable, Codable, Equatable {
    /// Replayed to their source queues, or purged.
    public var done: [String]
    /// Letters left where they are, with why.
    public var refused: [Refusal]
    /// Ids asked for that are not (or no longer) in the first letters of the queue.
    public var missing: [String]

    /// A letter that was not replayed.
    public struct Refusal: Sendable, Codable, Equatable {
        public var id: String
        public var reason: String

        public init(id: String, reason: String) {
            self.id = id
            self.reason = reason
        }
    }

    public init(done: [String] = [], refused: [Refusal] = [], missing: [String] = []) {
        self.done = done
        self.refused = refused
        self.missing = missing
    }
}
