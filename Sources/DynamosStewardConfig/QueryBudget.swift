/// A steward's budget for the analysts' SQL at its query workers; what it leaves out keeps the safe default.
///
/// In `stewards.json`: `"queryBudget": {"maxSteps": 500000000, "timeoutSeconds": 10, "maxRows": 200000,
/// "maxResultBytes": 33554432, "maxValueBytes": 65536, "maxMemoryMB": 256}`.
public struct QueryBudget: Sendable, Codable, Equatable {
    /// SQLite VM instructions one query may execute.
    public var maxSteps: Int?
    public var timeoutSeconds: Double?
    public var maxRows: Int?
    /// Bytes a result may hold.
    public var maxResultBytes: Int?
    /// Bytes one string or blob may have.
    public var maxValueBytes: Int?
    /// SQLite heap of the query process, in MiB.
    public var maxMemoryMB: Int?

    public init(
        maxSteps: Int? = nil, timeoutSeconds: Double? = nil, maxRows: Int? = nil, maxResultBytes: Int? = nil,
        maxValueBytes: Int? = nil, maxMemoryMB: Int? = nil
    ) {
        self.maxSteps = maxSteps
        self.timeoutSeconds = timeoutSeconds
        self.maxRows = maxRows
        self.maxResultBytes = maxResultBytes
        self.maxValueBytes = maxValueBytes
        self.maxMemoryMB = maxMemoryMB
    }

    /// Why the budget is out of range, or nil when every part is within it.
    public var problem: String? {
        func outside<T: Comparable>(_ value: T?, _ range: ClosedRange<T>, _ name: String) -> String? {
            guard let value, !range.contains(value) else { return nil }
            return "queryBudget.\(name) must be in \(range.lowerBound)...\(range.upperBound)"
        }
        if let timeout = timeoutSeconds, !timeout.isFinite { return "queryBudget.timeoutSeconds must be a number" }
        return outside(maxSteps, 1_000...1_000_000_000_000, "maxSteps")
            ?? outside(timeoutSeconds, 0.1...3_600, "timeoutSeconds")
            ?? outside(maxRows, 1...100_000_000, "maxRows")
            ?? outside(maxResultBytes, 1_024...(1 << 30), "maxResultBytes")
            ?? outside(maxValueBytes, 1_024...(1 << 30), "maxValueBytes")
            ?? outside(maxMemoryMB, 16...65_536, "maxMemoryMB")
    }
}
