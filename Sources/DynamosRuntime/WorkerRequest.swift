public import DynamosMessages
import SwiftProtobuf
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

    /// The analyst's request this message serves, unpacked from `original_request`.
    /// - Throws: ``WorkerError`` `.invalidInput` when the message carries none or something else.
    public func sqlDataRequest() throws(WorkerError) -> Dynamos_SqlDataRequest {
        guard message.hasOriginalRequest else {
            throw WorkerError(
                .invalidInput, "the message carries no original_request; the agent must attach the SqlDataRequest")
        }
        do {
            return try Dynamos_SqlDataRequest(unpackingAny: message.originalRequest)
        } catch {
            throw WorkerError(
                .invalidInput,
                "original_request holds '\(message.originalRequest.typeURL)', not a dynamos.SqlDataRequest: \(error)")
        }
    }
}
