import DynamosBus
import DynamosKnowledge
import DynamosMessages
import DynamosRouteSigning
import Foundation

/// Sends the benchmark's requests one at a time and collects latencies and per-hop times.
struct ChainDriver {
    let broker: RabbitMQBroker
    let setup: ChainBenchSetup

    /// `warmup` unmeasured then `count` measured requests along `hops`, each carrying `table` as data when given.
    func measure(
        name: String, request: Dynamos_SqlDataRequest, hops: [String], table: DataTable? = nil, count: Int,
        warmup: Int
    ) async throws -> ChainBenchReport.Measurement {
        let client = try await ChainClient(
            broker: broker, signer: RouteSigner(key: setup.signingKey, keyring: setup.keyring), hops: hops)
        var latencies = LatencySamples()
        var hopSamples: [String: (queued: [Double], process: [Double])] = [:]
        var last: ChainClient.Exchange?
        let data = table?.proto
        for index in 0..<(warmup + count) {
            let exchange = try await client.send(request, data: data)
            guard !exchange.result.hasError else {
                let error = exchange.result.error
                throw BenchError("\(name) failed: \(error.party)/\(error.service) \(error.code): \(error.message)")
            }
            guard index >= warmup else { continue }
            latencies.record(exchange.latency)
            last = exchange
            for timing in exchange.result.hopTimings {
                let queued = timing.queuedUnixMicros == 0 ? exchange.publishedUnixMicros : timing.queuedUnixMicros
                hopSamples[timing.service, default: ([], [])].queued.append(
                    Double(max(0, timing.startedUnixMicros - queued)) / 1000)
                hopSamples[timing.service, default: ([], [])].process.append(
                    Double(timing.finishedUnixMicros - timing.startedUnixMicros) / 1000)
            }
        }
        try await client.close()
        let order = hops.dropLast().map { String($0.split(separator: ".").last ?? "") }
        let hopsReport = hopSamples.map { service, samples in
            ChainBenchReport.Hop(
                service: service, queuedMs: LatencySamples(samples.queued).median,
                processMs: LatencySamples(samples.process).median)
        }.sorted { (order.firstIndex(of: $0.service) ?? 99) < (order.firstIndex(of: $1.service) ?? 99) }
        return ChainBenchReport.Measurement(
            n: latencies.count, p50Ms: latencies.median, p95Ms: latencies.p95,
            minMs: latencies.values.min() ?? 0, hops: hopsReport, requestBytes: last?.requestBytes ?? 0,
            resultBytes: last?.resultBytes ?? 0)
    }
}
