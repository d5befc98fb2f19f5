import DynamosMessages

/// The `relay` service: hands the table on unchanged.
///
/// Not a data service of its own; it exists so a chain can be measured without any computation in it (bus
/// benchmarks, the demo) and so the runtime can be exercised end to end before the real services are written.
public struct RelayHandler: ServiceHandler {
    public let service: String

    public init(service: String = "relay") {
        self.service = service
    }

    public func handle(_ request: WorkerRequest) async throws -> ServiceResult {
        ServiceResult(table: request.table)
    }
}
