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
        var continuation: CheckedContinuation<Set<String>, Never>?
    }

    private var waiters: [Key: Waiter] = [:]

    public init() {}

    /// Starts expecting receipts for `jobId` at `revision` from `parties`; call before sending the compositions.
    public func expect(jobId: String, revision: Int, from parties: Set<String>) {
        waiters[Key(jobId: jobId, revision: revision)] = Waiter(missing: parties, continuation: nil)
    }

    /// Records a receipt; a receipt nobody waits for is ignored.
    public func receive(_ receipt: CompositionReceipt) {
        let key = Key(jobId: receipt.jobId, revision: receipt.revision)
        guard var waiter = waiters[key] else { return }
        waiter.missing.remove(receipt.party)
        if waiter.missing.isEmpty, let continuation = waiter.continuation {
            waiters[key] = nil
            continuation.resume(returning: [])
        } else {
            waiters[key] = waiter
        }
    }

    /// Waits up to `timeout` for every expected receipt.
    /// - Returns: the parties that did not confirm in time (empty when all did).
    public func wait(jobId: String, revision: Int, timeout: Duration) async -> Set<String> {
        let key = Key(jobId: jobId, revision: revision)
        guard let waiter = waiters[key] else { return [] }
        if waiter.missing.isEmpty {
            waiters[key] = nil
            return []
        }
        let deadline = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.expire(key)
        }
        defer { deadline.cancel() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                waiters[key]?.continuation = continuation
            }
        } onCancel: {
            Task { await self.expire(key) }
        }
    }

    /// Stops expecting receipts for `jobId` at `revision` (its compositions could not be sent).
    public func forget(jobId: String, revision: Int) {
        expire(Key(jobId: jobId, revision: revision))
    }

    private func expire(_ key: Key) {
        guard let waiter = waiters.removeValue(forKey: key) else { return }
        waiter.continuation?.resume(returning: waiter.missing)
    }
}
