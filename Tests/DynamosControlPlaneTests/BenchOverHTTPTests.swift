import DynamosBench
import DynamosClient
import DynamosCharts
import Foundation
import Logging
import Testing

extension EndToEndTests {
    /// `dynamos bench latency` and `bench load` against a real ensemble (orchestrator, agents, worker processes,
    /// broker), at sizes that keep the test short. Nested in the end-to-end suite, so its ensembles never run beside
    /// theirs on a small machine.
    @Suite("bench over HTTP")
    struct BenchOverHTTPTests {
        private static let logger = Logger(label: "test.bench")

        @Test("bench latency at tiny sizes: every cell answered, p50 <= p95, cold and ephemeral hops show start-up, the plot decodes")
        func latencyAtTinySizes() async throws {
            try await EnsembleFixture.with { fixture in
                let plan = LatencyPlan(rows: [100], repetitions: 2, warmup: 1)
                let benchmark = LatencyBenchmark(
                    plan: plan, ensemble: BenchEnsemble(ensemble: fixture.ensemble), logger: Self.logger)
                let report = try await benchmark.run(progress: ProgressBar(total: plan.requestCount, enabled: false))
                let file = fixture.root.appendingPathComponent("latency.json")
                let encoder = JSONEncoder()
                try encoder.encode(report).write(to: file)
                let json = try #require(
                    try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
                #expect(json["machine"] is [String: Any])
                #expect(json["reference"] is [Any])
                let cells = try #require(json["cells"] as? [[String: Any]])
                #expect(cells.count == 6)
                var seen = Set<String>()
                for cell in cells {
                    let n = try #require(cell["n"] as? Int)
                    let p50 = try #require(cell["p50Ms"] as? Double)
                    let p95 = try #require(cell["p95Ms"] as? Double)
                    #expect(n > 0, "cell \(cell["archetype"] ?? "?") \(cell["mode"] ?? "?") has no answers: \(cell["firstError"] ?? "")")
                    #expect(p50 > 0 && p50 <= p95)
                    #expect(cell["minMs"] is Double && cell["maxMs"] is Double && cell["hops"] is [Any])
                    let bytes = try #require(cell["bytes"] as? [String: Any])
                    #expect((bytes["table"] as? Int ?? 0) > 0 && bytes["json"] is Int && bytes["struct"] is Int)
                    seen.insert("\(cell["archetype"] ?? "")/\(cell["rows"] ?? "")/\(cell["mode"] ?? "")")
                }
                #expect(seen.count == 6 && seen.contains("dataThroughTtp/100/persistent-cold"))
                for cell in report.cells {
                    let startedAWorker = cell.hops.contains { $0.startupMs > 0 }
                    #expect(startedAWorker == (cell.mode != .persistentWarm), "\(cell.archetype) \(cell.mode): \(cell.hops)")
                }
                let ttp = try #require(report.cell(.dataThroughTtp, rows: 100, mode: .persistentWarm))
                #expect(Set(ttp.hops.map(\.party)) == ["UVA", "VU", "SURF"])
                let coldTtp = try #require(report.cell(.dataThroughTtp, rows: 100, mode: .persistentCold))
                let aggregate = try #require(coldTtp.hops.first { $0.party == "SURF" && $0.service == "aggregate" })
                #expect(aggregate.startupMs > 0, "the third party's pools were emptied too: \(coldTtp.hops)")
                let image = try PNGImage(decoding: try report.plot())
                #expect(image.width == 1200)
                let pools = try await fixture.operatorClient.send(.GET, fixture.ensemble.file.agents["UVA"]! + "/agent/v1/workers", to: "UVA")
                #expect(String(decoding: pools, as: UTF8.self).contains("\"min\""))
            }
        }

        @Test("bench load at a small rate, two worker configurations: nothing lost, nothing duplicated, every result its own")
        func loadAtSmallRate() async throws {
            try await EnsembleFixture.with { fixture in
                let workers = fixture.ensemble.file.agents["VU"]! + "/agent/v1/workers"
                let before = try JSONDecoder().decode(PoolsBody.self, from: try await fixture.operatorClient.send(.GET, workers, to: "VU"))
                let plan = LoadPlan(
                    arrival: .open(perSecond: 20), duration: .seconds(2), warmup: .milliseconds(500),
                    workerCounts: [["query": 1], ["query": 2, "algorithm": 2]])
                let report = try await LoadBenchmark(
                    plan: plan, ensemble: BenchEnsemble(ensemble: fixture.ensemble), logger: Self.logger
                ).run(progress: ProgressBar(total: 4, enabled: false))
                #expect(report.requests == 80)
                #expect(report.completed == 80)
                #expect(report.lost == 0 && report.duplicated == 0 && report.errors == 0 && report.unmatchedResults == 0)
                #expect(report.runs.map(\.label) == ["query=1", "algorithm=2,query=2"])
                #expect(report.p50Ms > 0 && report.p50Ms <= report.p99Ms && report.p99Ms <= report.maxMs)
                #expect(report.throughputPerSec > 10)
                let json = try #require(
                    try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any])
                for key in ["requests", "completed", "lost", "duplicated", "errors", "throughputPerSec", "p50Ms", "p90Ms",
                    "p99Ms", "p999Ms", "maxMs"]
                {
                    #expect(json[key] != nil, "\(key) is missing from the JSON")
                }
                let after = try JSONDecoder().decode(PoolsBody.self, from: try await fixture.operatorClient.send(.GET, workers, to: "VU"))
                #expect(after.limits == before.limits, "the pinned counts were not put back")
                _ = try report.latencyPlot()
                _ = try PNGImage(decoding: try report.throughputPlot())
            }
        }

        @Test("bench load closed loop: every client's requests come back exactly once")
        func loadClosedLoop() async throws {
            try await EnsembleFixture.with { fixture in
                let plan = LoadPlan(arrival: .closed(concurrency: 4), duration: .seconds(1), warmup: .zero)
                let report = try await LoadBenchmark(
                    plan: plan, ensemble: BenchEnsemble(ensemble: fixture.ensemble), logger: Self.logger
                ).run(progress: ProgressBar(total: 1, enabled: false))
                #expect(report.requests > 4)
                #expect(report.completed == report.requests && report.lost == 0 && report.duplicated == 0)
            }
        }

        private struct PoolsBody: Decodable {
            struct Pool: Decodable, Equatable {
                var service: String
                var min: Int
                var max: Int
            }

            var pools: [Pool]

            var limits: [Pool] { pools.sorted { $0.service < $1.service } }
        }
    }
}
