import DynamosBench
import DynamosBus
import Foundation
import Logging
import Testing

@Suite("bench bus")
struct BusBenchTests {
    @Test("reads the raw baseline's key=value lines")
    func parsesBaselineOutput() {
        let output = """
            cell hops=4 bytes=1024 p50_ms=0.58 p95_ms=0.93 n=200
            cell hops=4 bytes=1048576 p50_ms=7.6 p95_ms=8.3 n=30
            noise that is not a result
            throughput hops=4 bytes=256 msg_per_sec=3372
            """
        let result = RawBaseline.parse(output)
        #expect(result.cells.count == 2)
        #expect(result.cells[0] == RawBaseline.Cell(hops: 4, bytes: 1024, p50Ms: 0.58, p95Ms: 0.93, n: 200))
        #expect(result.messagesPerSecond == 3372)
    }

    @Test("percentiles use the nearest rank on sorted samples, like the baseline")
    func percentiles() {
        let samples = LatencySamples((1...100).reversed().map(Double.init))
        #expect(samples.median == 51)
        #expect(samples.p95 == 96)
        #expect(LatencySamples().median.isNaN)
    }

    @Test("a small run against the broker fills every cell and writes the documented JSON keys")
    func smallRun() async throws {
        var options = BusBenchmark.Options()
        options.hops = 2
        options.cells = [(1024, 5), (64 * 1024, 3)]
        options.warmup = 1
        options.throughputMessages = 200
        var logger = Logger(label: "dynamos.tests")
        logger.logLevel = .warning
        let benchmark = BusBenchmark(endpoint: try BrokerEndpoint.fromEnvironment(), options: options, logger: logger)
        let measurement = try await benchmark.run()
        let baseline = RawBaseline.Result(
            cells: [RawBaseline.Cell(hops: 2, bytes: 1024, p50Ms: 0.5, p95Ms: 0.9, n: 5)], messagesPerSecond: 1000)
        let report = BusBenchReport(
            hops: 2, rounds: [(measurement, baseline), (measurement, nil)], durable: false, baselineNote: nil)

        #expect(report.cells.map(\.n) == [10, 6])
        #expect(report.rounds == 2)
        #expect(report.cells.allSatisfy { $0.p50Ms > 0 && $0.p50Ms <= $0.p95Ms })
        #expect(report.cells[0].ratio == report.cells[0].p50Ms / 0.5)
        #expect(report.cells[1].ratio == nil)
        #expect(report.throughput.msgPerSec > 0)

        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any]
        let cells = try #require(json?["cells"] as? [[String: Any]])
        for key in ["hops", "bytes", "p50Ms", "p95Ms", "rawP50Ms", "ratio"] {
            #expect(cells[0][key] != nil, "cell key \(key)")
        }
        let throughput = try #require(json?["throughput"] as? [String: Any])
        #expect(throughput["msgPerSec"] != nil && throughput["rawMsgPerSec"] != nil)
        #expect(report.table.contains("swift/raw"))
    }
}
