/// What a worker tells its supervisor: whether it is alive, how much it did, and when it last did something.
///
/// The one definition of the worker status protocol: the runtime writes these (``line``) and the supervisor reads
/// them back (``init(line:)``), so the events are one enum on both sides. The supervisor (the agent) reaps idle
/// workers and restarts dead ones from these reports; the fields are stable JSON keys, one object per line.
public struct WorkerStatus: Sendable, Codable, Equatable {
    /// Why the report was made.
    public enum Event: String, Sendable, Codable {
        /// Consuming: the worker takes messages from now on.
        case ready
        /// A message was taken and is being worked on (`inFlight` says how many are); the supervisor counts the
        /// worker busy until it is handed on.
        case taken
        /// A message was handed on (result or error result) and acknowledged.
        case processed
        /// A message was moved to the dead-letter queue.
        case deadLettered
        /// A message could not be settled (broker trouble); the broker will deliver it again.
        case returned
        /// A message was taken as one part of a request being gathered; it stays unacknowledged until the request
        /// is settled, and counts as processed then.
        case held
        /// Intake stopped on request; in-flight messages are being finished.
        case draining
        /// The worker stopped; nothing is in flight.
        case stopped
    }

    public var event: Event
    public var service: String
    public var party: String
    public var queue: String
    public var worker: String
    /// Messages handed on so far, error results included.
    public var processed: Int
    /// Of those, the ones whose handler failed.
    public var failed: Int
    public var deadLettered: Int
    /// Messages being worked on right now.
    public var inFlight: Int
    /// Microseconds since the Unix epoch of the last message taken or finished, or of the start.
    public var lastActivity: Int64
    /// How long the last finished message took, from taking it to acknowledging it (microseconds).
    public var lastMessageMicros: Int64

    public init(
        event: Event, service: String, party: String, queue: String, worker: String, processed: Int = 0,
        failed: Int = 0, deadLettered: Int = 0, inFlight: Int = 0, lastActivity: Int64, lastMessageMicros: Int64 = 0
    ) {
        self.lastMessageMicros = lastMessageMicros
        self.event = event
        self.service = service
        self.party = party
        self.queue = queue
        self.worker = worker
        self.processed = processed
        self.failed = failed
        self.deadLettered = deadLettered
        self.inFlight = inFlight
        self.lastActivity = lastActivity
    }

    private enum CodingKeys: String, CodingKey {
        case event, service, party, queue, worker, processed, failed, deadLettered, inFlight, lastActivity,
            lastMessageMicros
    }

    /// Reads a report; counters and names a line leaves out are 0 and empty (older workers wrote fewer fields).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func text(_ key: CodingKeys) throws -> String { try container.decodeIfPresent(String.self, forKey: key) ?? "" }
        func count(_ key: CodingKeys) throws -> Int64 { try container.decodeIfPresent(Int64.self, forKey: key) ?? 0 }
        self.init(
            event: try container.decode(Event.self, forKey: .event), service: try text(.service),
            party: try text(.party), queue: try text(.queue), worker: try text(.worker),
            processed: Int(try count(.processed)), failed: Int(try count(.failed)),
            deadLettered: Int(try count(.deadLettered)), inFlight: Int(try count(.inFlight)),
            lastActivity: try count(.lastActivity), lastMessageMicros: try count(.lastMessageMicros))
    }
}
