public import DynamosAnonymizeWorker
public import DynamosRuntime

/// The `anonymize` service: applies the steward's per-column rules (generalize, mask, perturb) to the table.
///
/// Perturbation is seeded with the request id, so a redelivered message gives byte-identical output.
public struct AnonymizeService: ServiceHandler {
    public let service = "anonymize"
    private let anonymizer: Anonymizer

    public init(anonymizer: Anonymizer) {
        self.anonymizer = anonymizer
    }

    public func handle(_ request: WorkerRequest) async throws -> ServiceResult {
        do {
            return ServiceResult(table: try anonymizer.anonymize(request.table, seed: request.requestID))
        } catch {
            throw WorkerError(WorkerError.Code(rawValue: error.code.rawValue), error.message)
        }
    }
}
