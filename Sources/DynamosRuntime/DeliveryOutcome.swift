/// How a worker settled one delivery; the runtime counts these in its ``WorkerStatus``.
enum DeliveryOutcome: Sendable {
    /// The result went to the next hop and the delivery was acknowledged.
    case forwarded
    /// The service failed; an error result went to the result recipient and the delivery was acknowledged.
    case failed
    /// The delivery was copied to the dead-letter queue with a reason and acknowledged.
    case deadLettered
    /// The delivery could not be settled (broker trouble) and was given back for redelivery.
    case returned
    /// The delivery is one part of a request still being gathered; it stays unacknowledged until the request
    /// completes, times out or the worker stops.
    case held
}
