public import DynamosBus
public import Logging
import Foundation

/// `dynamos bench bus`: a pass-through chain through the Swift bus layer, one connection and consumer per hop,
/// publisher confirms on, measured beside the raw rabbitmq-c baseline in the same run.
public struct BusBenchmark: Sendable {
    /// What to measure.
    public struct Options: Sendable {
        public var hops = 4
        /// Payload sizes and how many timed round trips each (after `warmup` untimed ones).
        public var cells: [(bytes: Int, repetitions: Int)] = [(1024, 200), (1 << 20, 30), (4 << 20, 15)]
        public var warmup = 3
        public var throughputMessages = 20_000
        public var throughputBytes = 256
        /// Messages in flight per hop in the throughput run.
        public var throughputPrefetch: UInt16 = 256
        /// Durable quorum queues and persistent messages instead of transient ones (the raw baseline is transient).
        public var durable = false

        public init() {}
    }

    public let endpoint: BrokerEndpoint
    public let options: Options
    public let logger: Logger

    public init(endpoint: BrokerEndpoint, options: Options, logger: Logger) {
        self.endpoint = endpoint
        self.options = options
        self.logger = logger
    }

    /// Results of the Swift chain.
    public struct Measurement: Sendable {
        public var cells: [(bytes: Int, samples: LatencySamples)] = []
        public var messagesPerSecond: Double = 0
    }

    /// Builds the chain, runs every cell and the throughput pass, and tears the chain down again.
    public func run(progress: @Sendable (String) -> Void = { _ in }) async throws -> Measurement {
        let run = "bench.bus.\(UUID().uuidString.prefix(8).lowercased())"
        let queues = (0...options.hops).map { "\(run).q\($0)" }
        let admin = try await RabbitMQBroker.connect(to: endpoint, name: "\(run).admin", logger: logger)
        var hopBrokers: [RabbitMQBroker] = []
        do {
            for queue in queues { try await admin.declare(declaration(queue)) }
            for index in 0..<options.hops {
                hopBrokers.append(try await RabbitMQBroker.connect(to: endpoint, name: "\(run).hop\(index)", logger: logger))
            }
            var measurement = Measurement()
            for cell in options.cells {
                progress("latency \(cell.bytes) B x \(cell.repetitions)")
                let samples = try await withChain(queues, hopBrokers: hopBrokers, prefetch: 1) { feed, sink in
                    try await latency(bytes: cell.bytes, repetitions: cell.repetitions, feed: feed, sink: sink, into: queues[0])
                }
                measurement.cells.append((cell.bytes, samples))
            }
            progress("throughput \(options.throughputMessages) x \(options.throughputBytes) B")
            measurement.messagesPerSecond = try await withChain(
                queues, hopBrokers: hopBrokers, prefetch: options.throughputPrefetch
            ) { feed, sink in
                try await throughput(feed: feed, sink: sink, into: queues[0])
            }
            for queue in queues { try await admin.deleteQueue(queue) }
            await closeAll(hopBrokers + [admin])
            return measurement
        } catch {
            for queue in queues { _ = try? await admin.deleteQueue(queue) }
            await closeAll(hopBrokers + [admin])
            throw error
        }
    }

    private func declaration(_ queue: String) -> QueueDeclaration {
        options.durable
            ? QueueDeclaration(name: queue, kind: .quorum, durable: true, expires: .seconds(600))
            : QueueDeclaration(name: queue, durable: false, expires: .seconds(600))
    }

    /// Starts one forwarding hop per connection and a feed and sink, runs `body`, then stops the hops.
    private func withChain<T: Sendable>(
        _ queues: [String], hopBrokers: [RabbitMQBroker], prefetch: UInt16,
        _ body: @Sendable (RabbitMQBroker, MessageConsumer) async throws -> T
    ) async throws -> T {
        let feed = try await RabbitMQBroker.connect(to: endpoint, name: "bench.feed", logger: logger)
        let sink = try await RabbitMQBroker.connect(to: endpoint, name: "bench.sink", logger: logger)
        do {
            let result = try await runChain(queues, hopBrokers: hopBrokers, prefetch: prefetch, feed: feed, sink: sink, body)
            await closeAll([feed, sink])
            return result
        } catch {
            await closeAll([feed, sink])
            throw error
        }
    }

    private func runChain<T: Sendable>(
        _ queues: [String], hopBrokers: [RabbitMQBroker], prefetch: UInt16, feed: RabbitMQBroker,
        sink: RabbitMQBroker, _ body: @Sendable (RabbitMQBroker, MessageConsumer) async throws -> T
    ) async throws -> T {
        var consumers: [MessageConsumer] = []
        for (index, broker) in hopBrokers.enumerated() {
            consumers.append(try await broker.consume(queue: queues[index], prefetch: prefetch))
        }
        let output = try await sink.consume(queue: queues[queues.count - 1], prefetch: max(prefetch, 100))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, consumer) in consumers.enumerated() {
                let hop = PassThroughHop(
                    input: queues[index], output: queues[index + 1], broker: hopBrokers[index], prefetch: prefetch,
                    persistent: options.durable)
                group.addTask { try await hop.run(consumer: consumer) }
            }
            let result = try await body(feed, output)
            for consumer in consumers { try await consumer.cancel() }
            try await output.cancel()
            try await group.waitForAll()
            return result
        }
    }

    private func latency(
        bytes: Int, repetitions: Int, feed: RabbitMQBroker, sink: MessageConsumer, into queue: String
    ) async throws -> LatencySamples {
        let body = [UInt8](repeating: UInt8(ascii: "x"), count: bytes)
        var samples = LatencySamples()
        var iterator = sink.makeAsyncIterator()
        let clock = ContinuousClock()
        for round in -options.warmup..<repetitions {
            let start = clock.now
            // The feed's confirm comes back long before the message has crossed every hop, and a delivery that
            // arrives meanwhile waits in the consumer's buffer: awaiting the confirm first costs the timing nothing.
            try await feed.publish(
                OutgoingMessage(routingKey: queue, body: body, properties: .init(persistent: options.durable)))
            guard let delivery = try await iterator.next() else { throw BenchmarkFailure("the sink stopped") }
            let elapsed = clock.now - start
            try await delivery.ack()
            if round >= 0 { samples.record(elapsed) }
        }
        return samples
    }

    private func throughput(feed: RabbitMQBroker, sink: MessageConsumer, into queue: String) async throws -> Double {
        let total = options.throughputMessages
        let body = [UInt8](repeating: UInt8(ascii: "y"), count: options.throughputBytes)
        let clock = ContinuousClock()
        let start = clock.now
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await withThrowingDiscardingTaskGroup { publishes in
                    for _ in 0..<total {
                        publishes.addTask {
                            try await feed.publish(
                                OutgoingMessage(
                                    routingKey: queue, body: body, properties: .init(persistent: options.durable)))
                        }
                    }
                }
            }
            var received = 0
            for try await delivery in sink {
                try await delivery.ack()
                received += 1
                if received == total { break }
            }
            try await group.waitForAll()
            return Double(total) / (clock.now - start).milliseconds * 1000
        }
    }

    private func closeAll(_ brokers: [RabbitMQBroker]) async {
        for broker in brokers { await broker.close() }
    }
}

/// A benchmark run that could not complete, and why.
public struct BenchmarkFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
