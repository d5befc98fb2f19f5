import DynamosAlgorithmWorker
import DynamosMessages
public import DynamosRuntime

/// The `algorithm` service: grouped statistics, the wage gap or row inspection over the table, as the analyst's
/// `algorithm` and `algorithmColumns` ask.
///
/// When the next hop is an aggregate, it computes *partial* results (with the sums and counts an exact merge
/// needs) instead of final ones.
public struct AlgorithmService: ServiceHandler {
    public let service = "algorithm"
    private let engine = AlgorithmEngine()
    private let sentinels: [String: [CellValue]]

    /// - Parameter sentinels: per column, values meaning "unknown" that computations leave out (`Salschal` 99).
    public init(sentinels: [String: [Int64]]) {
        self.sentinels = sentinels.mapValues { $0.map(CellValue.integer) }
    }

    public func handle(_ request: WorkerRequest) async throws -> ServiceResult {
        let sql = try request.sqlDataRequest()
        let routing = request.message.routingData
        let partial = routing.count > 1 && routing[1].hasSuffix(".aggregate")
        do {
            let spec = try AlgorithmSpec(
                algorithm: sql.algorithm, algorithmColumns: sql.algorithmColumns, sentinels: sentinels,
                partial: partial)
            return ServiceResult(table: try engine.run(spec, on: request.table))
        } catch {
            throw WorkerError(WorkerError.Code(rawValue: error.code.rawValue), error.message)
        }
    }
}
