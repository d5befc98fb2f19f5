import DynamosClient
import DynamosControl
import DynamosProcess
import Foundation
import Synchronization
import Testing

/// The hang seen once in CI (issue 7's note): an agent stopped answering `GET /agent/v1/workers` for minutes
/// while a pool worker it should have drained stayed idle. This drives that path hard: pools scaled up and down to
/// zero again and again, with requests and listings in between, and every listing must come within seconds. When
/// one does not, the agent's threads are written to the test's record (gdb) before the test fails.
extension EndToEndTests {
    @Test("an agent answers its listing within seconds while its pools are scaled up and down to zero, again and again")
    func agentStaysResponsive() async throws {
        try await EnsembleFixture.with { fixture in
            let uva = try #require(fixture.ensemble.file.agents["UVA"])
            let quick = OperatorClient(
                orchestratorURL: fixture.ensemble.file.orchestrator,
                credential: fixture.ensemble.credentials.operator.apiKey, http: fixture.ensemble.file.http,
                timeout: .seconds(5))
            let approval = try await fixture.approve(["UVA"])
            let request = fixture.scenario(job: approval.jobId, options: [:])
            func listing(_ when: String) async throws -> WorkersSnapshot {
                do {
                    return try JSONDecoder().decode(
                        WorkersSnapshot.self, from: try await quick.send(.GET, uva + "/agent/v1/workers", to: "UVA"))
                } catch {
                    let threads = await Self.threads(of: fixture.ensemble.agentProcess("UVA")?.pid)
                    Issue.record("UVA's agent did not list its workers within 5 s \(when): \(error)\n\(threads)")
                    throw error
                }
            }
            // A second caller lists all the time, as an operator's console would (stopped by a flag, not by
            // cancellation, which would end a listing in flight as if the agent had not answered).
            let stop = Atomic<Bool>(false)
            let polling = Task {
                var answered = 0
                while !stop.load(ordering: .relaxed) {
                    _ = try await listing("while another caller scales")
                    answered += 1
                    try await Task.sleep(for: .milliseconds(20))
                }
                return answered
            }
            for round in 1...20 {
                for service in ["query", "algorithm"] {
                    _ = try await quick.send(
                        .PUT, uva + "/agent/v1/workers/\(service)", to: "UVA",
                        json: PoolChange(min: 0, max: 3, desired: round % 3 + 1))
                }
                _ = try await fixture.client.dataRequest(request, at: approval.endpoints["UVA"]!, token: approval.token)
                for service in ["query", "algorithm"] {
                    _ = try await quick.send(
                        .PUT, uva + "/agent/v1/workers/\(service)", to: "UVA", json: PoolChange(min: 0, max: 3, desired: 0))
                }
                try await waitUntil("UVA's pools drain to zero in round \(round)", within: .seconds(40)) {
                    let pools = try await listing("while its pools drain in round \(round)").pools
                    return pools.filter { ["query", "algorithm"].contains($0.service) }.allSatisfy(\.workers.isEmpty)
                }
                // From zero: the waiting request makes the pools start a worker each, which the reaper stops later.
                _ = try await fixture.client.dataRequest(request, at: approval.endpoints["UVA"]!, token: approval.token)
            }
            stop.store(true, ordering: .relaxed)
            let answered = try await polling.value
            #expect(answered > 20, "the second caller got \(answered) listings")
        }
    }

    /// Every thread's backtrace of `pid` (gdb in batch mode), or why there is none.
    static func threads(of pid: Int32?) async -> String {
        guard let pid else { return "(no agent process)" }
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("threads-\(pid).txt").path
        guard let gdb = ["/usr/bin/gdb", "/usr/local/bin/gdb"].first(where: FileManager.default.isExecutableFile),
            let process = try? ChildProcess(
                "/usr/bin/timeout", ["60", gdb, "-p", "\(pid)", "-batch", "-ex", "thread apply all bt 30"],
                output: .file(log))
        else { return "(gdb is not installed)" }
        _ = await process.exitStatus()
        return (try? String(contentsOfFile: log, encoding: .utf8)) ?? "(gdb wrote nothing)"
    }
}
