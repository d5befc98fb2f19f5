import DynamosMessages
public import DynamosQueryEngine
public import DynamosRuntime
import Logging

/// The `query` service: runs the analyst's SQL over this party's datasets and hands the result table on.
///
/// SQLite blocks, so the engine runs on a ``BlockingExecutor`` of its own, never on the cooperative pool the
/// worker's consumer and timers use. Datasets are reloaded only when a file's hash changed.
public struct QueryService: ServiceHandler {
    public let service = "query"
    private let engine: QueryEngine
    private let limits: QueryLimits
    private let executor: BlockingExecutor

    public init(engine: QueryEngine, limits: QueryLimits = QueryLimits()) {
        self.engine = engine
        self.limits = limits
        self.executor = BlockingExecutor(label: "dynamos.query.sqlite")
    }

    /// Loads the party's datasets now, so the first request does not pay for it (a warm start).
    public func preload(party: String) async throws(QueryWorkerError) {
        do {
            _ = try await withTaskExecutorPreference(executor) { try await engine.refresh(party: party) }
        } catch let error as QueryWorkerError {
            throw error
        } catch {
            throw QueryWorkerError(.databaseFailed, "loading the datasets failed", cause: error)
        }
    }

    public func handle(_ request: WorkerRequest) async throws -> ServiceResult {
        let sql = try request.sqlDataRequest().query
        guard !sql.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw WorkerError(.invalidInput, "the request has no query; put an SQL SELECT in `query`")
        }
        do {
            let table = try await withTaskExecutorPreference(executor) {
                try await engine.query(sql, party: request.party, limits: limits)
            }
            request.logger.debug("query done", metadata: ["rows": "\(table.rowCount)"])
            return ServiceResult(table: table)
        } catch let error as QueryWorkerError {
            throw WorkerError(WorkerError.Code(rawValue: error.code.rawValue), error.explanation)
        }
    }
}
