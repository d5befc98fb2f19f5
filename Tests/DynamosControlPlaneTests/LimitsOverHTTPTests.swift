import DynamosClient
import DynamosControl
import DynamosKnowledge
import Foundation
import Synchronization
import Testing

/// The limits that keep a party up, through the whole platform: a user's requests in flight at UVA (limit 1) and
/// VU's ephemeral runs (limit 1, no wait) answer 429 with `Retry-After`, and the request in flight still succeeds.
extension EndToEndTests {
    /// Sends `probe` again and again while `first` runs; the first 429 it got, or nil when `first` ended first.
    /// `first` is tried again when a probe took the place it needed (a 429 of its own).
    static func contended(
        _ first: @escaping @Sendable () async throws -> Void, probe: () async -> ControlError?
    ) async throws -> ControlError? {
        let done = Atomic<Bool>(false)
        let running = Task {
            defer { done.store(true, ordering: .relaxed) }
            while true {
                do {
                    return try await first()
                } catch let error as ControlError where error.code == .tooManyRequests {
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
        }
        var seen: ControlError?
        while seen == nil, !done.load(ordering: .relaxed) {
            if let error = await probe(), error.code == .tooManyRequests { seen = error }
        }
        try await running.value
        return seen
    }

    @Test("a user past their in-flight limit and requests past the ephemeral limit get 429 with Retry-After")
    func limits() async throws {
        try await EnsembleFixture.with(agentArguments: ["--ephemeral-wait", "0"], stewards: { stewards in
            for index in stewards.indices where stewards[index].name == "UVA" {
                stewards[index].maxRequestsPerUser = 1
            }
            for index in stewards.indices where stewards[index].name == "VU" {
                stewards[index].maxEphemeralRuns = 1
            }
        }) { fixture in
            let uva = try await fixture.approve(["UVA"])
            let slow = DataRequest(
                query: "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000) "
                    + "SELECT Geslacht, count(*) AS n FROM c, (SELECT Geslacht FROM Personen LIMIT 1) GROUP BY Geslacht",
                algorithm: "count", algorithmColumns: ["Geslacht": "n"], user: .unnamed,
                requestMetadata: .init(jobId: uva.jobId))
            let quick = fixture.scenario(job: uva.jobId, options: [:])
            let client = fixture.client
            let userLimit = try await Self.contended({
                _ = try await client.dataRequest(slow, at: uva.endpoints["UVA"]!, token: uva.token)
            }) {
                await fixture.refusal(quick, at: uva.endpoints["UVA"]!, token: uva.token)
            }
            #expect(userLimit?.reason == "userInFlightLimit", "\(String(describing: userLimit))")
            #expect(userLimit?.retryAfterSeconds == 1)
            _ = try await client.dataRequest(quick, at: uva.endpoints["UVA"]!, token: uva.token)

            let vu = try await fixture.approve(["VU"])
            var ephemeral = fixture.scenario(job: vu.jobId, options: [:])
            ephemeral.executionMode = "ephemeral"
            let request = ephemeral
            let runLimit = try await Self.contended({
                _ = try await client.dataRequest(request, at: vu.endpoints["VU"]!, token: vu.token)
            }) {
                await fixture.refusal(request, at: vu.endpoints["VU"]!, token: vu.token)
            }
            #expect(runLimit?.reason == "ephemeralLimit" && runLimit?.party == "VU", "\(String(describing: runLimit))")
            #expect(runLimit?.retryAfterSeconds == 2)
        }
    }
}
