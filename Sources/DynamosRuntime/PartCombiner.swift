/// The seam of services that turn several messages of one request into one: the `aggregate` worker.
///
/// The runtime gathers, per request, a *manifest* (a message whose route the worker's own party signed and which
/// goes on after this worker: it names the providers and carries the rest of the route) and one *part* per
/// provider (a message another party's route ends with at this worker, its provider proven by the route's
/// signature). Parts are held unacknowledged until all have arrived, so a crash loses none of them; then the
/// runtime calls ``combine(_:manifest:)`` once and hands the result on along the manifest's route.
public protocol PartCombiner: Sendable {
    /// The service name, as in `dynamos.<party>.<service>`.
    var service: String { get }

    /// Combines one request's parts, one per provider, in provider-name order.
    /// - Parameter manifest: the manifest message: the request's parameters and where the result goes.
    /// - Throws: any error; it becomes an error result sent to the manifest route's result recipient.
    func combine(_ parts: [GatheredPart], manifest: WorkerRequest) async throws -> ServiceResult
}

/// One provider's part of a request, as handed to a ``PartCombiner``.
public struct GatheredPart: Sendable {
    /// The party whose signed route brought the part here (its issuer).
    public let provider: String
    /// The part's message and decoded table.
    public let request: WorkerRequest

    public init(provider: String, request: WorkerRequest) {
        self.provider = provider
        self.request = request
    }
}
