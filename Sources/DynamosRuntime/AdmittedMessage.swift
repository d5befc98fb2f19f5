import DynamosBus
import DynamosMessages
import DynamosRouteSigning
import Logging

/// A delivery that passed admission: decoded, its route verified and addressed to this worker.
struct AdmittedMessage: Sendable {
    let delivery: Delivery
    let message: Dynamos_MicroserviceCommunication
    /// The route as received; its first hop is this worker's queue.
    let route: SignedRoute
    /// The route after this worker: what the next hop receives.
    let rest: SignedRoute
    /// Carries `job.id`, `request.id` and `correlation.id`.
    let logger: Logger
    /// When this worker took the delivery, in microseconds since the Unix epoch.
    let started: Int64

    /// The request a handler sees.
    func request(party: String, queue: String) throws(WorkerError) -> WorkerRequest {
        let table: DataTable
        do {
            table = try DataTable(proto: message.data)
        } catch {
            throw WorkerError(.invalidInput, "the message's data is not a valid table (the sender is faulty)", cause: error)
        }
        return WorkerRequest(message: message, table: table, party: party, queue: queue, logger: logger)
    }
}
