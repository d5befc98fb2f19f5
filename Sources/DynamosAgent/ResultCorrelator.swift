public import DynamosMessages
import DynamosWaiting

/// Matches results arriving at `dynamos.<party>.results` with the data requests waiting for them, by request id.
///
/// A result may arrive before its waiter registers (the chain can be faster than the HTTP handler), so unclaimed
/// results are kept for a while (bounded in number); a result nobody claims in time is dropped with a log line by
/// the caller, since the analyst already got a timeout.
public actor ResultCorrelator {
    private let waiters = WaitingRoom<String, Dynamos_MicroserviceCommunication>()
    private var unclaimed: [String: Dynamos_MicroserviceCommunication] = [:]
    private var unclaimedOrder: [String] = []
    private var expected: Set<String> = []
    public let maximumUnclaimed: Int

    public init(maximumUnclaimed: Int = 256) {
        self.maximumUnclaimed = maximumUnclaimed
    }

    /// Announces that a result for `requestId` will be awaited; call before publishing the request.
    public func expect(_ requestId: String) {
        expected.insert(requestId)
    }

    /// Hands a result to its waiter.
    /// - Returns: false when nobody expects this request id (a stray or late result).
    @discardableResult
    public func deliver(_ result: Dynamos_MicroserviceCommunication) -> Bool {
        let id = result.requestMetadata.requestID
        if waiters.resume(id, with: result) > 0 {
            expected.remove(id)
            return true
        }
        guard expected.contains(id) else { return false }
        unclaimed[id] = result
        unclaimedOrder.append(id)
        if unclaimedOrder.count > maximumUnclaimed {
            let oldest = unclaimedOrder.removeFirst()
            unclaimed[oldest] = nil
            expected.remove(oldest)
        }
        return true
    }

    /// The result for `requestId`, or nil when none arrived within `timeout`.
    public func wait(for requestId: String, timeout: Duration) async -> Dynamos_MicroserviceCommunication? {
        if let result = unclaimed.removeValue(forKey: requestId) {
            unclaimedOrder.removeAll { $0 == requestId }
            expected.remove(requestId)
            return result
        }
        // Registered before this actor suspends, so a `deliver` cannot slip in between.
        let result = await waiters.wait(for: requestId, timeout: timeout)
        expected.remove(requestId)
        return result
    }

    /// Stops expecting `requestId` (its request could not be sent).
    public func forget(_ requestId: String) {
        give(up: requestId)
        if unclaimed.removeValue(forKey: requestId) != nil { unclaimedOrder.removeAll { $0 == requestId } }
    }

    /// How many requests are waiting for their result.
    public var waiting: Int { waiters.count }

    private func give(up requestId: String) {
        expected.remove(requestId)
        waiters.cancel(requestId)
    }
}
