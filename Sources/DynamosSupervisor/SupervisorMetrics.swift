public import Prometheus

/// The supervisor's Prometheus metrics, per party and service: messages handled and failed, time per message,
/// queue depth, workers by state, spawns, reaps, crashes and cold starts. `GET /metrics` emits the registry.
public final class SupervisorMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let party: String

    /// Message times from 1 ms to 30 s.
    static let messageBuckets: [Duration] = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 10_000, 30_000]
        .map { .milliseconds($0) }
    /// Cold starts from 10 ms to 10 s.
    static let coldStartBuckets: [Duration] = [10, 25, 50, 100, 150, 250, 500, 1000, 2500, 10_000].map { .milliseconds($0) }

    public init(party: String, registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.party = party
        self.registry = registry
    }

    func processed(_ service: String, count: Int, failed: Int) {
        if count > 0 { counter("dynamos_worker_messages_processed_total", "Messages handed on", service).increment(by: Int64(count)) }
        if failed > 0 { counter("dynamos_worker_messages_failed_total", "Messages whose handler failed", service).increment(by: Int64(failed)) }
    }

    func messageTook(_ service: String, _ duration: Duration) {
        registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                metricName: "dynamos_worker_message_seconds", helpText: "Time from taking a message to its ack"),
            labels: labels(service), buckets: Self.messageBuckets
        ).record(duration)
    }

    func spawned(_ service: String) { counter("dynamos_worker_spawns_total", "Workers started", service).increment() }

    func reaped(_ service: String) { counter("dynamos_worker_reaps_total", "Idle workers reaped", service).increment() }

    func crashed(_ service: String) { counter("dynamos_worker_crashes_total", "Workers that died unasked", service).increment() }

    func coldStart(_ service: String, _ duration: Duration) {
        counter("dynamos_worker_cold_starts_total", "Workers started for waiting work", service).increment()
        registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                metricName: "dynamos_worker_cold_start_seconds", helpText: "Spawn to ready of a worker started for waiting work"),
            labels: labels(service), buckets: Self.coldStartBuckets
        ).record(duration)
    }

    func queueDepth(_ service: String, _ depth: Int) {
        gauge("dynamos_queue_depth", "Messages ready in the pool's queue", labels(service)).set(to: Double(depth))
    }

    func workers(_ service: String, state: String, _ count: Int) {
        gauge("dynamos_workers", "Workers by state", labels(service) + [("state", state)]).set(to: Double(count))
    }

    /// The Prometheus text exposition of every metric.
    public func exposition() -> String { registry.emitToString() }

    private func labels(_ service: String) -> [(String, String)] { [("party", party), ("service", service)] }

    private func counter(_ name: String, _ help: String, _ service: String) -> Counter {
        registry.makeCounter(descriptor: MetricNameDescriptor(metricName: name, helpText: help), labels: labels(service))
    }

    private func gauge(_ name: String, _ help: String, _ labels: [(String, String)]) -> Gauge {
        registry.makeGauge(descriptor: MetricNameDescriptor(metricName: name, helpText: help), labels: labels)
    }
}
