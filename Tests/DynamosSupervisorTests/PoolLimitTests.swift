import DynamosSupervisor
import Testing

/// The ranges every scaling request is held to, whoever sends it.
@Suite("Pool limits and autoscale ranges")
struct PoolLimitTests {
    @Test("autoscale targets and windows outside their ranges are refused with what is allowed")
    func autoscaleRanges() throws {
        try AutoscalePolicy(targetPerWorker: 4, stableWindowSeconds: 60).validate()
        try AutoscalePolicy(targetPerWorker: 1, stableWindowSeconds: 0).validate()
        for policy in [
            AutoscalePolicy(targetPerWorker: 0), AutoscalePolicy(targetPerWorker: 1_000_000),
            AutoscalePolicy(targetPerWorker: 2, stableWindowSeconds: 1e300),
            AutoscalePolicy(targetPerWorker: 2, stableWindowSeconds: .infinity),
            AutoscalePolicy(targetPerWorker: 2, stableWindowSeconds: .nan),
            AutoscalePolicy(targetPerWorker: 2, stableWindowSeconds: -1),
        ] {
            let error = #expect(throws: SupervisorError.self) { try policy.validate() }
            #expect(error?.description.contains("0...86400") == true)
        }
    }

    @Test("limits need 0 <= min <= max, max >= 1")
    func limits() throws {
        try PoolLimits(min: 0, max: 1).validate()
        for limits in [PoolLimits(min: -1, max: 2), PoolLimits(min: 3, max: 2), PoolLimits(min: 0, max: 0)] {
            #expect(throws: SupervisorError.self) { try limits.validate() }
        }
    }
}
