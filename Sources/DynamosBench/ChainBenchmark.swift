public import DynamosBus
import DynamosDatagen
import DynamosKnowledge
import DynamosMessages
public import Foundation
public import Logging

/// `dynamos bench chain`: the UNL request through real, persistent worker processes
/// (`query -> anonymize -> algorithm -> graph -> results`), warm, against a baseline of the same number of `relay`
/// workers carrying the same 30,000-row table without computing anything, all in this process tree.
///
/// Requests go one at a time (closed loop): each latency is publish-to-result at the results queue, so it contains
/// every hop's queueing, handling, publishing and confirm. Per-hop times come from the hop timings the workers
/// write into each message.
public struct ChainBenchmark: Sendable {
    /// What to run.
    public struct Options: Sendable {
        /// The `dynamos` binary that runs the workers.
        public var executable: String
        public var endpoint: BrokerEndpoint
        /// Measured requests per scenario, after `warmup` unmeasured ones.
        public var requests: Int
        public var warmup: Int
        /// Personen rows of the generated steward dataset (the thesis data has about 18,000).
        public var persons: Int
        /// The `LIMIT` of the large and the small request.
        public var largeLimit: Int
        public var smallLimit: Int
        /// Where data, configuration and worker logs go; removed afterwards unless `keep`.
        public var directory: URL
        public var keep: Bool

        public init(
            executable: String, endpoint: BrokerEndpoint, requests: Int = 30, warmup: Int = 3, persons: Int = 18_000,
            largeLimit: Int = 30_000, smallLimit: Int = 10, directory: URL, keep: Bool = false
        ) {
            self.executable = executable
            self.endpoint = endpoint
            self.requests = requests
            self.warmup = warmup
            self.persons = persons
            self.largeLimit = largeLimit
            self.smallLimit = smallLimit
            self.directory = directory
            self.keep = keep
        }
    }

    static let services = ["query", "anonymize", "algorithm", "graph"]

    public let options: Options
    private let logger: Logger

    public init(options: Options, logger: Logger) {
        self.options = options
        self.logger = logger
    }

    /// Generates the data, starts the workers, measures every scenario, stops the workers and cleans up.
    public func run() async throws -> ChainBenchReport {
        let setup = try ChainBenchSetup(options: options)
        let broker = try await RabbitMQBroker.connect(to: options.endpoint, name: "bench.chain", logger: logger)
        var workers: [BenchWorkerProcess] = []
        do {
            try await setup.declareQueues(on: broker)
            workers = try await setup.startWorkers(logger: logger)
            let driver = ChainDriver(broker: broker, setup: setup)
            var scenarios: [ChainBenchReport.Scenario] = []
            let sql = "SELECT * FROM Personen p JOIN Aanstellingen s LIMIT "
            for (name, limit) in [("large", options.largeLimit), ("small", options.smallLimit)] {
                let request = setup.request(query: sql + "\(limit)")
                let chain = try await driver.measure(
                    name: "persistent chain, LIMIT \(limit)", request: request, hops: setup.serviceHops,
                    count: options.requests, warmup: options.warmup)
                let table = setup.dataset.joined(limit: limit)
                let relay = try await driver.measure(
                    name: "relay baseline, \(table.rowCount) rows", request: request, hops: setup.relayHops,
                    table: table, count: options.requests, warmup: options.warmup)
                scenarios.append(.init(name: name, limit: limit, chain: chain, baseline: relay))
                logger.info("measured", metadata: ["scenario": "\(name)", "p50Ms": "\(chain.p50Ms)"])
            }
            try await Task.sleep(for: .seconds(2))
            let idle = workers.map { worker in
                ChainBenchReport.WorkerMemory(
                    service: worker.service, rssBytes: worker.memory("Rss"), pssBytes: worker.memory("Pss"),
                    anonymousBytes: worker.memory("Pss_Anon"))
            }
            for worker in workers { await worker.stop() }
            await setup.deleteQueues(on: broker)
            await broker.close()
            setup.cleanUp()
            return ChainBenchReport(
                scenarios: scenarios, idleWorkers: idle, persons: options.persons, requests: options.requests)
        } catch {
            for worker in workers { await worker.stop() }
            await setup.deleteQueues(on: broker)
            await broker.close()
            setup.cleanUp()
            throw error
        }
    }
}
