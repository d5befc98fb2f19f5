import Synchronization

/// Counters about a connection's life, readable from any thread (for logs, metrics and tests).
public final class ConnectionStatistics: Sendable {
    private let connects = Atomic<Int>(0)
    private let losses = Atomic<Int>(0)

    /// How many times the connection was opened, the first time included.
    public var connectCount: Int { connects.load(ordering: .relaxed) }
    /// How many times an open connection was lost.
    public var lossCount: Int { losses.load(ordering: .relaxed) }
    /// How many times the connection came back after a loss.
    public var recoveryCount: Int { max(0, connectCount - 1) }

    /// Records a successful connect; true when it was a recovery.
    func recordConnect() -> Bool {
        connects.wrappingAdd(1, ordering: .relaxed).newValue > 1
    }

    func recordLoss() {
        losses.wrappingAdd(1, ordering: .relaxed)
    }
}
