import DynamosControl
import DynamosCharts
import Foundation
import Testing

@testable import DynamosBench

@Suite("bench latency and load, the parts without an ensemble")
struct HTTPBenchLogicTests {
    private func answer(hops: [DataResponse.Hop], total: Double = 50) -> DataResponse {
        DataResponse(
            jobId: "j", requestId: UUID().uuidString, archetype: "computeToData", mode: "persistent",
            result: .init(columns: [], rows: []), graph: nil, timings: .init(totalMs: total, hops: hops))
    }

    @Test("a hop's queued time splits into its worker's start-up and the transfer; failures are counted")
    func hopSplit() {
        var samples = CellSamples()
        samples.record(.answered(clientMs: 120, answer: answer(hops: [
            DataResponse.Hop(party: "UVA", service: "query", queuedMs: 100, processMs: 10, coldStartMs: 70),
            DataResponse.Hop(party: "UVA", service: "algorithm", queuedMs: 2, processMs: 1),
        ])))
        samples.record(.answered(clientMs: 140, answer: answer(hops: [
            DataResponse.Hop(party: "UVA", service: "query", queuedMs: 90, processMs: 12, coldStartMs: 80),
            DataResponse.Hop(party: "UVA", service: "algorithm", queuedMs: 4, processMs: 3),
        ])))
        samples.record(.failed("504 timeout"))
        let cell = samples.cell(archetype: .computeToData, rows: 10, mode: .persistentCold)
        #expect(cell.n == 2 && cell.errors == 1 && cell.firstError == "504 timeout")
        #expect(cell.minMs == 120 && cell.maxMs == 140 && cell.p50Ms <= cell.p95Ms)
        #expect(cell.hops.map(\.service) == ["query", "algorithm"])
        #expect(cell.hops[0].startupMs == 80 && cell.hops[0].transferMs == 30 && cell.hops[0].processingMs == 12)
        #expect(cell.hops[1].startupMs == 0 && cell.hops[1].transferMs == 4)
    }

    @Test("a cell whose requests all failed has n 0 and no made-up latency")
    func allFailed() {
        var samples = CellSamples()
        samples.record(.failed("refused"))
        let cell = samples.cell(archetype: .dataThroughTtp, rows: 10, mode: .ephemeral)
        #expect(cell.n == 0 && cell.p50Ms == 0 && cell.errors == 1)
    }

    @Test("the ledger sees a lost, a duplicated and a misrouted result")
    func ledger() {
        let ledger = LoadLedger()
        for _ in 0..<5 { ledger.sent() }
        ledger.record(.answered(requestId: "1", tag: "a"), tag: "a", latency: .milliseconds(5), at: .milliseconds(10))
        ledger.record(.answered(requestId: "2", tag: "b"), tag: "b", latency: .milliseconds(7), at: .milliseconds(1_200))
        ledger.record(.answered(requestId: "2", tag: "b"), tag: "b", latency: .milliseconds(7), at: .milliseconds(1_300))
        ledger.record(.answered(requestId: "3", tag: "a"), tag: "c", latency: .milliseconds(7), at: .milliseconds(1_300))
        ledger.record(.lost("504"), tag: "d", latency: .seconds(30), at: .seconds(30))
        let (run, histogram, window) = ledger.run(workers: ["query": 2], unmatched: 1)
        #expect(run.requests == 5 && run.completed == 2 && run.lost == 1)
        #expect(run.duplicated == 1 && run.unmatchedResults == 1)
        #expect(run.errors == 1 && run.misrouted == 1)
        #expect(run.firstError?.contains("result of a") == true)
        #expect(histogram.totalCount == 2)
        #expect(run.p50Ms >= 4.99 && run.p50Ms <= 5.01 && run.maxMs >= 6.99 && run.maxMs <= 7.01)
        #expect(window == .milliseconds(1_200))
        #expect(abs(run.throughputPerSec - 2 / 1.2) < 1e-9, "completions over the window to the last completion")
        #expect(run.timeline.map(\.second) == [0, 1])
        #expect(run.label == "query=2")
    }

    @Test("the latency plot draws the thesis's figures as a reference series, and the CSV has a line per hop")
    func latencyOutputs() throws {
        let hops = [HopSplit(party: "UVA", service: "query", startupMs: 0, processingMs: 40, transferMs: 2)]
        let cells = [LatencyMode.persistentWarm, .ephemeral].map { mode in
            LatencyCell(
                archetype: .computeToData, rows: 30_000, mode: mode, p50Ms: mode == .ephemeral ? 180 : 76, p95Ms: 99,
                minMs: 60, maxMs: 120, n: 10, errors: 0, agentP50Ms: 70, hops: hops,
                bytes: MessageBytes(table: 1_140_000, json: 3_500_000, struct: 4_000_000, resultRows: 30_000),
                firstError: nil)
        }
        let report = LatencyReport(
            machine: .current(),
            plan: .init(
                repetitions: 10, warmup: 2, steward: "UVA", providers: ["UVA", "VU"], graph: false, query: "q",
                algorithm: "a", privateEnsemble: true),
            cells: cells, reference: ThesisReference.published)
        let image = try PNGImage(decoding: try report.plot())
        #expect(image.width == 1200 && image.height == 640)
        let text = report.text()
        #expect(text.contains("ephemeral/warm 2.4x"))
        #expect(text.contains("thesis 5600-6500 ms = 79.6x our warm p50"))
        #expect(text.contains("1.14 MB / 3.50 MB / 4.00 MB"))
        let csv = report.csv().split(separator: "\n")
        #expect(csv.count == 1 + 2 * 2)
        #expect(csv[1].hasPrefix("computeToData,30000,persistent-warm,,10,0,76.000"))
        #expect(csv[2].hasPrefix("computeToData,30000,persistent-warm,UVA/query,"))
    }

    @Test("the progress bar counts without a terminal and the text table aligns numbers right")
    func tableAndProgress() {
        var table = TextTable(["name", "ms"])
        table.append(["warm", "7.3"])
        table.append(["ephemeral", "132.0"])
        #expect(table.render().split(separator: "\n") == ["name       ms", "---------  -----", "warm         7.3", "ephemeral  132.0"])
        let progress = ProgressBar(total: 2, enabled: false)
        progress.advance("a")
        progress.finish()
    }
}

@Suite("bench trust", .timeLimit(.minutes(2)))
struct TrustBenchTests {
    @Test("signing once and verifying per hop are measured on a real query result, and each check passes")
    func measures() async throws {
        let report = try await TrustBenchmark(options: .init(rows: 200, hops: 3, reps: 5)).run()
        #expect(report.rows == 200)
        #expect(report.messageBytes > 5_000)
        #expect(report.signMicros > 0 && report.verifyMicros > 0 && report.ownVerifyMicros > 0 && report.decodeMicros > 0)
        #expect(report.perRequestMicros == report.signMicros + 3 * report.ownVerifyMicros)
    }
}
