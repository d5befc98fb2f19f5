import DynamosMessages

/// The `relay` service: hands the table on unchanged.
///
/// Not a data service of its own; it exists so a chain can be measured without any computation in it (bus
/// benchmarks, the demo) and so the runtime can be exercised end to end before the real services are written.
/// A `delay` models handler cost (a slow service, for the autoscaler's tests and benchmarks).
public struct RelayHandler: ServiceHandler {
    public let service: String
    public let delay: Duration

    public init(service: String = "relay", delay: Duration = .zero) {
        self.service = service
        self.delay = delay
    }

    public func handle(_ request: WorkerRequest) async throws -> ServiceResult {
        if delay > .zero { try await Task.sleep(for: delay) }
        return ServiceResult(table: request.table)
    }
}
