import DynamosClient
import Foundation
import Testing

/// A worker does not outlive its agent: killed with SIGKILL (as the OOM killer would), the agent leaves workers
/// that notice they were re-parented and drain, instead of consuming the party's queues beside the next agent's.
extension EndToEndTests {
    @Test("when an agent is killed, its workers drain and exit; the restarted agent serves")
    func workersDoNotOutliveTheirAgent() async throws {
        try await EnsembleFixture.with { fixture in
            let root = fixture.root.path
            let workers = Self.processes(mentioning: "--party\u{0}UVA\u{0}").filter { pid in
                let line = (FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")).map {
                    String(decoding: $0, as: UTF8.self)
                } ?? ""
                return line.contains("worker\u{0}") && line.contains(root)
            }
            #expect(workers.count >= 2, "UVA's prestarted workers are found: \(workers)")
            let agent = try #require(fixture.ensemble.agentProcess("UVA"))
            agent.send(SIGKILL)
            _ = await agent.exitStatus()
            try await waitUntil("UVA's orphaned workers exit", within: .seconds(30)) {
                workers.allSatisfy { !Self.isRunning($0) }
            }
            let url = try await fixture.ensemble.restartAgent("UVA")
            let approval = try await fixture.approve(["UVA"])
            let (answer, _) = try await fixture.client.dataRequest(
                fixture.scenario(job: approval.jobId, options: [:]), at: url + "/agent/v1/sqlDataRequest/UVA", token: approval.token)
            #expect(!answer.result.rows.isEmpty)
        }
    }

    /// Whether `pid` runs (a zombie nobody reaped counts as gone).
    static func isRunning(_ pid: String) -> Bool {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return false }
        return !status.split(separator: "\n").contains { $0.hasPrefix("State:") && $0.contains("Z") }
    }
}
