/// How much work one query may do, so a careless or hostile query cannot occupy or exhaust the worker.
///
/// A query that runs past `maxSteps` SQLite VM instructions or past `timeout` is interrupted with
/// `QueryWorkerError.Code.budgetExceeded`. A query that yields more than `maxRows` rows fails with
/// `QueryWorkerError.Code.rowCapExceeded`; results are never silently truncated. The other budgets are SQLite's own
/// limits (`sqlite3_limit`) on the connection, a byte budget on the result and a heap limit on the process; each
/// breach is a `budgetExceeded` naming the budget.
public struct QueryLimits: Sendable, Equatable {
    /// The most SQLite virtual-machine instructions a query may execute (checked every 1,000).
    public var maxSteps: Int
    /// The most wall-clock time a query may take (checked every 1,000 instructions).
    public var timeout: Duration
    /// The most rows a result may have.
    public var maxRows: Int
    /// The most bytes one string or blob may have, in the data or made by the query (`SQLITE_LIMIT_LENGTH`).
    public var maxValueBytes: Int
    /// The most bytes of SQL text (`SQLITE_LIMIT_SQL_LENGTH`).
    public var maxSQLBytes: Int
    /// The most columns of a result, and of anything a statement builds (`SQLITE_LIMIT_COLUMN`).
    public var maxColumns: Int
    /// The deepest expression tree (`SQLITE_LIMIT_EXPR_DEPTH`).
    public var maxExpressionDepth: Int
    /// The most terms of a compound SELECT (`UNION`, ...; `SQLITE_LIMIT_COMPOUND_SELECT`).
    public var maxCompoundSelects: Int
    /// The most bytes a result may hold: what a message to the next hop may carry.
    public var maxResultBytes: Int
    /// The most heap SQLite may use in the query process (`sqlite3_hard_heap_limit64`; the process is the worker's
    /// own, so this bounds what any query can allocate).
    public var maxMemoryBytes: Int

    /// Limits with the given budget; the defaults suit the UNL tables on a small machine.
    public init(
        maxSteps: Int = 2_000_000_000, timeout: Duration = .seconds(30), maxRows: Int = 1_000_000,
        maxValueBytes: Int = 1 << 20, maxSQLBytes: Int = 100_000, maxColumns: Int = 200, maxExpressionDepth: Int = 100,
        maxCompoundSelects: Int = 16, maxResultBytes: Int = 64 << 20, maxMemoryBytes: Int = 512 << 20
    ) {
        self.maxSteps = maxSteps
        self.timeout = timeout
        self.maxRows = maxRows
        self.maxValueBytes = maxValueBytes
        self.maxSQLBytes = maxSQLBytes
        self.maxColumns = maxColumns
        self.maxExpressionDepth = maxExpressionDepth
        self.maxCompoundSelects = maxCompoundSelects
        self.maxResultBytes = maxResultBytes
        self.maxMemoryBytes = maxMemoryBytes
    }
}
