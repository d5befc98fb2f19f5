import DynamosAggregateWorker
import DynamosAlgorithmWorker
import DynamosMessages
public import DynamosRuntime

/// The `aggregate` service: combines one request's parts from several data providers into one table.
///
/// The runtime gathers the parts (held unacknowledged, deduplicated per provider, with a timeout naming missing
/// providers); this only merges: rows concatenated with a `provider` column, partial aggregates merged exactly.
/// Merged groups built from fewer rows than the largest k of the providers are left out, and counted.
///
/// Whether parts are rows or partial results is read from where they come from, not guessed from column names:
/// a part whose last hop was an `algorithm` worker is a partial result.
public struct AggregateService: PartCombiner {
    public let service = "aggregate"
    private let groupSizes: GroupSizePolicy

    public init(groupSizes: GroupSizePolicy) {
        self.groupSizes = groupSizes
    }

    public func combine(_ parts: [GatheredPart], manifest: WorkerRequest) async throws -> ServiceResult {
        let partials = parts.map { $0.request.message.hopTimings.last?.service == "algorithm" }
        guard Set(partials).count <= 1 else {
            throw WorkerError(
                .invalidInput,
                "some providers sent partial results and others rows; every provider's route must end the same way")
        }
        let merger = PartMerger(mode: partials.first == true ? .partialResults : .rows)
        do {
            let merged = try merger.merge(parts.map { AggregatePart(provider: $0.provider, table: $0.request.table) })
            manifest.logger.debug("merged parts", metadata: ["parts": "\(parts.count)", "rows": "\(merged.rowCount)"])
            guard partials.first == true else { return ServiceResult(table: merged) }
            let k = groupSizes.minimumGroupSize(providers: parts.map(\.provider))
            let (table, suppressed) = GroupSuppressor(minimumGroupSize: k).apply(to: merged)
            return ServiceResult(table: table, suppressed: .init(groups: suppressed, minimumGroupSize: k))
        } catch {
            throw WorkerError(WorkerError.Code(rawValue: error.code.rawValue), error.explanation)
        }
    }
}
