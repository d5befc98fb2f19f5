/// The result of `dynamos bench chain`: per request size, the persistent chain beside its relay baseline, per-hop
/// medians, sizes, and the workers' resident memory once idle.
public struct ChainBenchReport: Sendable, Codable, Equatable {
    /// One series of requests.
    public struct Measurement: Sendable, Codable, Equatable {
        public var n: Int
        public var p50Ms: Double
        public var p95Ms: Double
        public var minMs: Double
        /// Median queueing and handling time per service, from the hop timings.
        public var hops: [Hop]
        /// Bytes of the first message and of the result message.
        public var requestBytes: Int
        public var resultBytes: Int
    }

    public struct Hop: Sendable, Codable, Equatable {
        public var service: String
        public var queuedMs: Double
        public var processMs: Double
    }

    /// One request size: the chain, the relay baseline carrying the joined table, and their ratio.
    public struct Scenario: Sendable, Codable, Equatable {
        public var name: String
        public var limit: Int
        public var chain: Measurement
        public var baseline: Measurement
        /// Chain p50 over baseline p50: what the services cost beyond carrying the data.
        public var ratio: Double

        public init(name: String, limit: Int, chain: Measurement, baseline: Measurement) {
            self.name = name
            self.limit = limit
            self.chain = chain
            self.baseline = baseline
            ratio = baseline.p50Ms > 0 ? chain.p50Ms / baseline.p50Ms : 0
        }
    }

    /// One worker's memory once idle: resident (shared library pages included), proportional and private.
    public struct WorkerMemory: Sendable, Codable, Equatable {
        public var service: String
        public var rssBytes: Int?
        public var pssBytes: Int?
        public var anonymousBytes: Int?

        public init(service: String, rssBytes: Int?, pssBytes: Int?, anonymousBytes: Int?) {
            self.service = service
            self.rssBytes = rssBytes
            self.pssBytes = pssBytes
            self.anonymousBytes = anonymousBytes
        }
    }

    public var scenarios: [Scenario]
    public var idleWorkers: [WorkerMemory]
    public var persons: Int
    public var requests: Int

    /// A table for people: one block per scenario, then memory.
    public var text: String {
        var lines: [String] = []
        for scenario in scenarios {
            let chain = scenario.chain
            lines.append(
                "\(scenario.name) (LIMIT \(scenario.limit), request \(chain.requestBytes) B, result "
                    + "\(chain.resultBytes) B): chain p50 \(Self.ms(chain.p50Ms)) p95 \(Self.ms(chain.p95Ms)), "
                    + "relay baseline p50 \(Self.ms(scenario.baseline.p50Ms)) "
                    + "(\(scenario.baseline.requestBytes) B), ratio \(String(format: "%.2f", scenario.ratio))")
            for hop in chain.hops {
                lines.append("  \(hop.service): queued \(Self.ms(hop.queuedMs)), handled \(Self.ms(hop.processMs))")
            }
        }
        lines.append("idle workers (RSS / PSS / private anonymous):")
        for worker in idleWorkers {
            let figures = [worker.rssBytes, worker.pssBytes, worker.anonymousBytes]
                .map { $0.map { String(format: "%.1f MB", Double($0) / 1_048_576) } ?? "?" }
            lines.append("  \(worker.service): " + figures.joined(separator: " / "))
        }
        return lines.joined(separator: "\n")
    }

    static func ms(_ value: Double) -> String { String(format: "%.2f ms", value) }
}
