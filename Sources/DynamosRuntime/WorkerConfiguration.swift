import DynamosBus
import DynamosQueues
public import DynamosRouteSigning

/// How one worker daemon runs: which party and queue, how much at once, and whether it stops after one message.
public struct WorkerConfiguration: Sendable {
    /// The party this worker runs for; its dead letters go to `dynamos.<party>.dead`.
    public var party: String
    /// The service name recorded in hop timings and error results.
    public var service: String
    /// The queue consumed: `dynamos.<party>.<service>` unless set otherwise (ephemeral queues add a request id).
    public var queue: String
    /// Messages handled at once (the consumer's prefetch), at least 1. In `once` mode a handler takes exactly one
    /// (the runtime consumes with prefetch 1); a combiner keeps this prefetch, since one request is a manifest and
    /// its parts, all held at once.
    public var prefetch: UInt16
    /// Consume exactly one message, then return (ephemeral mode).
    public var once: Bool
    /// Names this process in hop timings, for example `query-UVA-4711`.
    public var workerID: String
    /// Microseconds from process start until the worker was ready; recorded in the first hop timing it writes.
    public var coldStartMicros: Int64
    /// The tickets that let routes of a job end at another party's queue; none by default, so such routes are
    /// rejected until the agent supplies them.
    public var tickets: @Sendable (_ jobID: String) async -> [RouteTicket]
    /// How long a combining service waits, from a request's first message, for the rest of its parts.
    public var gatheringTimeout: Duration = .seconds(30)
    /// How many message bytes a combining service holds at most, over all requests it gathers: a part that would
    /// go past it is dead-lettered (replayable) and its request fails with a `budgetExceeded` error result.
    public var gatheringByteBudget: Int = 256 << 20
    /// The largest message the broker takes (RabbitMQ's `max_message_size`, 128 MiB by default): a result that
    /// would be larger is sent on as a `budgetExceeded` error result instead, since the broker would refuse it on
    /// every redelivery.
    public var maxMessageBytes: Int = 128 << 20
    /// How long a worker must be idle before it returns its free heap memory to the kernel.
    public var idleMemoryRelease: Duration = .seconds(1)

    public init(
        party: String, service: String, queue: String? = nil, prefetch: UInt16 = 1, once: Bool = false,
        workerID: String? = nil, coldStartMicros: Int64 = 0,
        tickets: @escaping @Sendable (_ jobID: String) async -> [RouteTicket] = { _ in [] }
    ) {
        self.party = party
        self.service = service
        self.queue = queue ?? QueueNames.worker(party: party, service: service)
        self.prefetch = max(1, prefetch)
        self.once = once
        self.workerID = workerID ?? "\(service)-\(party)"
        self.coldStartMicros = coldStartMicros
        self.tickets = tickets
    }

    /// `dynamos.<party>.dead`.
    public var deadLetterQueue: String { QueueNames.dead(party: party) }
}
