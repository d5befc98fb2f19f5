import DynamosAlgorithmWorker
import DynamosMessages
public import DynamosRuntime

/// The `algorithm` service: grouped statistics, the wage gap or row inspection over the table, as the analyst's
/// `algorithm` and `algorithmColumns` ask.
///
/// When the next hop is an aggregate, it computes *partial* results (with the sums and counts an exact merge
/// needs) instead of final ones. Groups built from fewer rows than the k of the stewards whose data the table
/// holds are left out either way (see ``GroupSizePolicy``), and the result says how many.
public struct AlgorithmService: ServiceHandler {
    public let service = "algorithm"
    private let engine = AlgorithmEngine()
    private let sentinels: [String: [CellValue]]
    private let groupSizes: GroupSizePolicy
    private let holdsOwnData: Bool

    /// - Parameters:
    ///   - sentinels: per column, values meaning "unknown" that computations leave out (`Salschal` 99).
    ///   - groupSizes: the parties' k.
    ///   - holdsOwnData: whether this party is a steward computing over its own tables; a third party that cannot
    ///     tell whose data it holds applies the strictest k.
    public init(sentinels: [String: [Int64]], groupSizes: GroupSizePolicy, holdsOwnData: Bool) {
        self.sentinels = sentinels.mapValues { $0.map(CellValue.integer) }
        self.groupSizes = groupSizes
        self.holdsOwnData = holdsOwnData
    }

    public func handle(_ request: WorkerRequest) async throws -> ServiceResult {
        let sql = try request.sqlDataRequest()
        let routing = request.message.routingData
        let partial = routing.count > 1 && routing[1].hasSuffix(".aggregate")
        do {
            var spec = try AlgorithmSpec(
                algorithm: sql.algorithm, algorithmColumns: sql.algorithmColumns, sentinels: sentinels,
                partial: partial)
            spec.minimumGroupSize = minimumGroupSize(for: request.message)
            let (table, suppressed) = try engine.evaluate(spec, on: request.table)
            return ServiceResult(
                table: table,
                suppressed: .init(groups: suppressed, minimumGroupSize: spec.minimumGroupSize))
        } catch {
            throw WorkerError(WorkerError.Code(rawValue: error.code.rawValue), error.explanation)
        }
    }

    /// The k for this message's table: the largest of the parties whose query hops it passed (a part's hops come
    /// with it through an aggregate, and a sender can add hops but not remove another provider's), or, when it
    /// names none, this steward's own or the strictest of all.
    private func minimumGroupSize(for message: Dynamos_MicroserviceCommunication) -> Int {
        let sources = Set(message.hopTimings.filter { $0.service == "query" }.map(\.party))
        if sources.isEmpty { return holdsOwnData ? groupSizes.own : groupSizes.strictest }
        return groupSizes.minimumGroupSize(providers: sources)
    }
}
