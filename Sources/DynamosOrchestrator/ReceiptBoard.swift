public import DynamosControl
import DynamosWaiting

/// Waits for agents' composition receipts, so an approval is answered only once every agent knows the job and the
/// analyst's first data request cannot outrun its composition.
public actor ReceiptBoard {
    private struct Key: Hashable, Sendable {
        var jobId: String
        var revision: Int
    }

    /// What one job revision still waits for.
    private struct Expectation {
        var missing: Set<String>
        var refusals: [String: String] = [:]

        /// Whether the wait is over: everyone answered, or someone refused.
        var settled: Bool { missing.isEmpty || !refusals.isEmpty }

        /// Every party that did not accept, with why.
        func failures(_ silence: String) -> [String: String] {
            refusals.merging(missing.map { ($0, silence) }) { refusal, _ in refusal }
        }
    }

    private var expectations: [Key: Expectation] = [:]
    private let waiters = WaitingRoom<Key, [String: String]>()

    public init() {}

    /// Starts expecting receipts for `jobId` at `revision` from `parties`; call before sending the compositions.
    public func expect(jobId: String, revision: Int, from parties: Set<String>) {
        expectations[Key(jobId: jobId, revision: revision)] = Expectation(missing: parties)
    }

    /// Records a receipt; a receipt nobody waits for is ignored. A refusal ends the wait at once.
    public func receive(_ receipt: CompositionReceipt) {
        let key = Key(jobId: receipt.jobId, revision: receipt.revision)
        guard var expectation = expectations[key] else { return }
        expectation.missing.remove(receipt.party)
        if let refusal = receipt.refusal { expectation.refusals[receipt.party] = refusal }
        // Settled with nobody waiting yet: kept, and the wait that comes answers at once.
        if expectation.settled, waiters.resume(key, with: expectation.failures("no answer")) > 0 {
            expectations[key] = nil
        } else {
            expectations[key] = expectation
        }
    }

    /// Waits up to `timeout` for every expected receipt.
    /// - Returns: each party that did not accept, with why: its refusal, or that it did not answer in time
    ///   (empty when all accepted).
    public func wait(jobId: String, revision: Int, timeout: Duration) async -> [String: String] {
        let key = Key(jobId: jobId, revision: revision)
        guard let expectation = expectations[key] else { return [:] }
        if expectation.settled {
            expectations[key] = nil
            return expectation.failures("no answer")
        }
        // Registered before this actor suspends, so a receipt cannot slip in between.
        if let failures = await waiters.wait(for: key, timeout: timeout) { return failures }
        let silence = Task.isCancelled ? "no answer" : "no answer within \(timeout)"
        return expectations.removeValue(forKey: key)?.failures(silence) ?? [:]
    }

    /// Stops expecting receipts for `jobId` at `revision` (its compositions could not be sent).
    public func forget(jobId: String, revision: Int) {
        let key = Key(jobId: jobId, revision: revision)
        guard let expectation = expectations.removeValue(forKey: key) else { return }
        waiters.resume(key, with: expectation.failures("no answer"))
    }
}
