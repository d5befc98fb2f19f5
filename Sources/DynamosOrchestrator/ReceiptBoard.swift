public import DynamosControl

/// Waits for agents' composition receipts, so an approval is answered only once every agent knows the job and the
/// analyst's first data request cannot outrun its composition.
public actor ReceiptBoard {
    private struct Key: Hashable {
        var jobId: String
        var revision: Int
    }

    private struct Waiter {
        var missing: Set<String>
        var refusals: [String: String] = [:]
        var continuation: CheckedContinuation<[String: String], Never>?

        /// Every party that did not accept, with why.
        func failures(_ silence: String) -> [String: String] {
            refusals.merging(missing.map { ($0, silence) }) { refusal, _ in refusal }
        }
    }

    private var waiters: [Key: Waiter] = [:]

    public init() {}

    /// Starts expecting receipts for `jobId` at `revision` from `parties`; call before sending the compositions.
    public func expect(jobId: String, revision: Int, from parties: Set<String>) {
        waiters[Key(jobId: jobId, revision: revision)] = Waiter(missing: parties, continuation: nil)
    }

    /// Records a receipt; a receipt nobody waits for is ignored. A refusal ends the wait at once.
    public func receive(_ receipt: CompositionReceipt) {
        let key = Key(jobId: receipt.jobId, revision: receipt.revision)
        guard var waiter = waiters[key] else { return }
        waiter.missing.remove(receipt.party)
        if let refusal = receipt.refusal { waiter.refusals[receipt.party] = refusal }
        if let continuation = waiter.continuation, waiter.missing.isEmpty || !waiter.refusals.isEmpty {
            waiters[key] = nil
            continuation.resume(returning: waiter.failures("no answer"))
        } else {
            waiters[key] = waiter
        }
    }

    /// Waits up to `timeout` for every expected receipt.
    /// - Returns: each party that did not accept, with why: its refusal, or that it did not answer in time
    ///   (empty when all accepted).
    public func wait(jobId: String, revision: Int, timeout: Duration) async -> [String: String] {
        let key = Key(jobId: jobId, revision: revision)
        guard let waiter = waiters[key] else { return [:] }
        if waiter.missing.isEmpty || !waiter.refusals.isEmpty {
            waiters[key] = nil
            return waiter.failures("no answer")
        }
        let deadline = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.expire(key, after: timeout)
        }
        defer { deadline.cancel() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                waiters[key]?.continuation = continuation
            }
        } onCancel: {
            Task { await self.expire(key, after: nil) }
        }
    }

    /// Stops expecting receipts for `jobId` at `revision` (its compositions could not be sent).
    public func forget(jobId: String, revision: Int) {
        expire(Key(jobId: jobId, revision: revision), after: nil)
    }

    private func expire(_ key: Key, after timeout: Duration?) {
        guard let waiter = waiters.removeValue(forKey: key) else { return }
        waiter.continuation?.resume(returning: waiter.failures(timeout.map { "no answer within \($0)" } ?? "no answer"))
    }
}
