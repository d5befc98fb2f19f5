import DynamosClient
import DynamosControl

extension AnalystClient {
    /// Approval for `request` under `archetype`, asked again every half second for up to `limit` while the
    /// orchestrator picks another one.
    ///
    /// The orchestrator offloads a steward whose CPU is over its threshold (the load rule), and a benchmark's
    /// previous run leaves it busy for a moment; measuring the wrong archetype would be worse than waiting.
    /// - Throws: `BenchError` naming the archetype chosen and why, when it stays another one.
    func approval(
        _ request: ApprovalRequest, expecting archetype: String, within limit: Duration = .seconds(20)
    ) async throws -> ApprovalResponse {
        let deadline = ContinuousClock.now + limit
        while true {
            let job = try await requestApproval(request)
            if job.archetype == archetype { return job }
            guard ContinuousClock.now < deadline else {
                throw BenchError(
                    "asking for \(archetype) at \(request.dataProviders) kept giving \(job.archetype) for \(limit) "
                        + "(\(job.reasons.joined(separator: "; "))); check the agreements and the stewards' load "
                        + "thresholds in the config")
            }
            try await Task.sleep(for: .milliseconds(500))
        }
    }
}
