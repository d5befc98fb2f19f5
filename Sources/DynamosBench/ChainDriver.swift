import DynamosBus
import DynamosMessages
import DynamosRouting
import Foundation

/// Sends the benchmark's requests one at a time and times each from publish to its result at the results queue.
struct ChainDriver {
    let broker: RabbitMQBroker
    let setup: ChainBenchSetup
    private let consumer: MessageConsumer
    private let signer: RouteSigner

    init(broker: RabbitMQBroker, setup: ChainBenchSetup) async throws {
        self.broker = broker
        self.setup = setup
        consumer = try await broker.consume(queue: setup.results, prefetch: 8)
        signer = RouteSigner(party: setup.party, keyring: setup.keyring)
    }

    /// `warmup` unmeasured then `count` measured requests along `hops`, each carrying `table` as data when given.
    func measure(
        name: String, request: Dynamos_SqlDataRequest, hops: [String], table: DataTable? = nil, count: Int,
        warmup: Int
    ) async throws -> ChainBenchReport.Measurement {
        var latencies = LatencySamples()
        var hopSamples: [String: (queued: [Double], process: [Double])] = [:]
        var resultBytes = 0
        var firstHopBytes = 0
        let data = table?.proto
        var iterator = consumer.makeAsyncIterator()
        for index in 0..<(warmup + count) {
            let id = "\(name)-\(index)-\(UUID().uuidString.prefix(8))"
            let route = try signer.sign(jobID: "bench", requestID: id, correlationID: id, hops: hops)
            var message = try RequestMessage(request: request, route: route).message()
            if let data { message.data = data }
            let body: [UInt8] = try message.serializedBytes()
            let started = ContinuousClock.now
            let publishedMicros = Int64(Date().timeIntervalSince1970 * 1_000_000)
            try await broker.publish(
                OutgoingMessage(exchange: DynamosTopology.exchangeName, routingKey: hops[0], body: body))
            let result = try await next(id, from: &iterator)
            let elapsed = started.duration(to: .now)
            guard !result.message.hasError else {
                throw BenchError("\(name) failed: \(result.message.error.code): \(result.message.error.message)")
            }
            guard index >= warmup else { continue }
            latencies.record(elapsed)
            resultBytes = result.bytes
            firstHopBytes = body.count
            for timing in result.message.hopTimings {
                let key = timing.service
                let queued = timing.queuedUnixMicros == 0 ? publishedMicros : timing.queuedUnixMicros
                hopSamples[key, default: ([], [])].queued.append(
                    Double(max(0, timing.startedUnixMicros - queued)) / 1000)
                hopSamples[key, default: ([], [])].process.append(
                    Double(timing.finishedUnixMicros - timing.startedUnixMicros) / 1000)
            }
        }
        let order = hops.dropLast().map { String($0.split(separator: ".").last ?? "") }
        let hopsReport = hopSamples.map { service, samples in
            ChainBenchReport.Hop(
                service: service, queuedMs: LatencySamples(samples.queued).median,
                processMs: LatencySamples(samples.process).median)
        }.sorted { (order.firstIndex(of: $0.service) ?? 99) < (order.firstIndex(of: $1.service) ?? 99) }
        return ChainBenchReport.Measurement(
            n: latencies.count, p50Ms: latencies.median, p95Ms: latencies.p95,
            minMs: latencies.values.min() ?? 0, hops: hopsReport, requestBytes: firstHopBytes,
            resultBytes: resultBytes)
    }

    private func next(
        _ id: String, from iterator: inout MessageConsumer.AsyncIterator
    ) async throws -> (message: Dynamos_MicroserviceCommunication, bytes: Int) {
        while let delivery = try await iterator.next() {
            try await delivery.ack()
            let message = try Dynamos_MicroserviceCommunication(serializedBytes: delivery.body)
            if message.requestMetadata.requestID == id { return (message, delivery.body.count) }
        }
        throw BenchError("the results queue \(setup.results) was closed")
    }

    func close() async throws {
        try await consumer.cancel()
    }
}
