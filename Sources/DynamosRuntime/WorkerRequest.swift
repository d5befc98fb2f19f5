public import DynamosMessages
public import Logging

/// What a ``ServiceHandler`` gets for one message: the decoded table, the whole message, and a logger that
/// already carries the job and request ids.
public struct WorkerRequest: Sendable {
    /// The message as received, for the fields a service needs besides `data` (`request_type`, `metadata`,
    /// `original_request`, ...).
    public let message: Dynamos_MicroserviceCommunication
    /// The message's `data`, decoded.
    public let table: DataTable
    /// The party this worker runs for.
    public let party: String
    /// The queue the message was taken from.
    public let queue: String
    /// Logs with `job.id`, `request.id` and `correlation.id` metadata set.
    public let logger: Logger

    public init(
        message: Dynamos_MicroserviceCommunication, table: DataTable, party: String, queue: String, logger: Logger
    ) {
        self.message = message
        self.table = table
        self.party = party
        self.queue = queue
        self.logger = logger
    }

    public var jobID: String { message.requestMetadata.jobID }
    public var requestID: String { message.requestMetadata.requestID }
}
