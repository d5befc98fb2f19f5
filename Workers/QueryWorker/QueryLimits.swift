/// How much work one query may do, so a careless or hostile query cannot occupy the worker.
///
/// A query that runs past `maxSteps` SQLite VM instructions or past `timeout` is interrupted with
/// `QueryWorkerError.Code.budgetExceeded`. A query that yields more than `maxRows` rows fails with
/// `QueryWorkerError.Code.rowCapExceeded`; results are never silently truncated.
public struct QueryLimits: Sendable, Equatable {
    /// The most SQLite virtual-machine instructions a query may execute (checked every 1,000).
    public var maxSteps: Int
    /// The most wall-clock time a query may take (checked every 1,000 instructions).
    public var timeout: Duration
    /// The most rows a result may have.
    public var maxRows: Int

    /// Limits with the given budget; the defaults suit the UNL tables on a small machine.
    public init(maxSteps: Int = 2_000_000_000, timeout: Duration = .seconds(30), maxRows: Int = 1_000_000) {
        self.maxSteps = maxSteps
        self.timeout = timeout
        self.maxRows = maxRows
    }
}
