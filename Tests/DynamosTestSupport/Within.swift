/// Runs `body`, failing with a clear message if it takes longer than `limit`: every wait in the tests is bounded.
public func within<T: Sendable>(
    _ limit: Duration, _ what: String, _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        guard let first = try await group.next(), let value = first else {
            group.cancelAll()
            throw TimedOut(what: what, limit: limit)
        }
        group.cancelAll()
        return value
    }
}

/// A bounded wait in a test ran out, or what it waited for can no longer come.
public struct TimedOut: Error, CustomStringConvertible {
    public let what: String
    public let limit: Duration?

    public init(what: String, limit: Duration? = nil) {
        self.what = what
        self.limit = limit
    }

    public var description: String { limit.map { "timed out after \($0): \(what)" } ?? "gave up: \(what)" }
}
