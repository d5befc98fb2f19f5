public import DynamosQueryEngine
public import DynamosStewardConfig

extension QueryLimits {
    /// The limits a steward's budget sets; what it leaves out keeps the default.
    public init(budget: QueryBudget?) {
        let defaults = QueryLimits()
        self.init(
            maxSteps: budget?.maxSteps ?? defaults.maxSteps,
            timeout: budget?.timeoutSeconds.map { .milliseconds(Int64($0 * 1000)) } ?? defaults.timeout,
            maxRows: budget?.maxRows ?? defaults.maxRows,
            maxValueBytes: budget?.maxValueBytes ?? defaults.maxValueBytes,
            maxResultBytes: budget?.maxResultBytes ?? defaults.maxResultBytes,
            maxMemoryBytes: budget?.maxMemoryMB.map { $0 << 20 } ?? defaults.maxMemoryBytes)
    }
}
