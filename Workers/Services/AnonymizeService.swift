public import DynamosAnonymizeWorker
public import DynamosRuntime

/// The `anonymize` service: applies the steward's per-column rules (generalize, mask, perturb) to the table.
///
/// Perturbation is seeded with the request id, so a redelivered message gives byte-identical output. A steward that
/// enforces anonymization applies its rules at the source instead (the query only ever sees anonymized tables, so
/// no expression escapes them); its hop then passes the table on, since applying the same rules again would
/// generalize what is already general.
public struct AnonymizeService: ServiceHandler {
    public let service = "anonymize"
    private let anonymizer: Anonymizer
    private let appliedAtSource: Bool

    public init(anonymizer: Anonymizer, appliedAtSource: Bool = false) {
        self.anonymizer = anonymizer
        self.appliedAtSource = appliedAtSource
    }

    public func handle(_ request: WorkerRequest) async throws -> ServiceResult {
        if appliedAtSource { return ServiceResult(table: request.table) }
        do {
            return ServiceResult(table: try anonymizer.anonymize(request.table, seed: request.requestID))
        } catch {
            throw WorkerError(WorkerError.Code(rawValue: error.code.rawValue), error.explanation)
        }
    }
}
