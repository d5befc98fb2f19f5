import AsyncHTTPClient
import DynamosClient
import DynamosControl
import Foundation
import NIOSSL
import Histogram
public import Logging

/// `dynamos bench load`: small requests through HTTP at a fixed rate or concurrency, once per worker
/// configuration, with HdrHistogram percentiles and an exactly-one-result check for every request.
public struct LoadBenchmark: Sendable {
    public let plan: LoadPlan
    public let ensemble: BenchEnsemble
    private let pools: PoolControl
    private let logger: Logger

    public init(plan: LoadPlan, ensemble: BenchEnsemble, logger: Logger) {
        self.plan = plan
        self.ensemble = ensemble
        self.logger = logger
        pools = PoolControl(ensemble: ensemble)
    }

    /// Runs every worker configuration of the plan.
    /// - Parameter progress: advanced once per second of measured load.
    public func run(progress: ProgressBar) async throws -> LoadReport {
        let agent = try ensemble.agent(plan.steward)
        let connections: Int
        switch plan.arrival {
        case .open(let rate): connections = min(1024, max(32, Int(rate / 4)))
        case .closed(let concurrency): connections = concurrency
        }
        var configuration = HTTPClient.Configuration()
        if let authority = ensemble.certificateAuthority {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .file(authority)
            configuration.tlsConfiguration = tls
        }
        configuration.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let client = AnalystClient(
            orchestratorURL: ensemble.orchestrator, credential: ensemble.credentials.analyst.apiKey, http: http,
            timeout: plan.timeout)
        var runs: [LoadRun] = []
        var total = Histogram<UInt64>(highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: .three)
        var measured = Duration.zero
        do {
            let job = try await client.approval(plan.approval(), expecting: "computeToData")
            guard let endpoint = job.endpoints[plan.steward] else {
                throw BenchError("the approval for \(plan.steward) named no endpoint for it: \(job.endpoints)")
            }
            let saved = plan.workerCounts.isEmpty ? [:] : try await pools.snapshot([agent])
            try await pools.restoring(saved) {
                for (index, counts) in (plan.workerCounts.isEmpty ? [nil] : plan.workerCounts.map(Optional.some))
                    .enumerated()
                {
                    if let counts { try await pools.pin(counts, at: agent) }
                    let driver = LoadDriver(
                        plan: plan, client: client, endpoint: endpoint, job: job, run: index, logger: logger)
                    await driver.drive(for: plan.warmup, ledger: LoadLedger(), progress: nil)
                    let before = try await unmatchedResults(at: agent, client: client)
                    let ledger = LoadLedger()
                    await driver.drive(for: plan.duration, ledger: ledger, progress: progress)
                    let unmatched = try await unmatchedResults(at: agent, client: client) - before
                    let (run, histogram, window) = ledger.run(workers: counts, unmatched: unmatched)
                    runs.append(run)
                    total.add(histogram)
                    measured += window
                }
            }
        } catch {
            try? await http.shutdown()
            throw error
        }
        try? await http.shutdown()
        progress.finish()
        return report(runs: runs, total: total, measured: measured)
    }

    private func report(runs: [LoadRun], total: Histogram<UInt64>, measured: Duration) -> LoadReport {
        func ms(_ percentile: Double) -> Double {
            total.totalCount == 0 ? 0 : Double(total.valueAtPercentile(percentile)) / 1000
        }
        let completed = runs.reduce(0) { $0 + $1.completed }
        var rate: Double?
        var concurrency: Int?
        switch plan.arrival {
        case .open(let perSecond): rate = perSecond
        case .closed(let clients): concurrency = clients
        }
        return LoadReport(
            machine: .current(), arrival: rate == nil ? "closed" : "open", ratePerSec: rate, concurrency: concurrency,
            durationSeconds: plan.duration.milliseconds / 1000, steward: plan.steward, rows: plan.rows,
            requests: runs.reduce(0) { $0 + $1.requests }, completed: completed,
            lost: runs.reduce(0) { $0 + $1.lost }, duplicated: runs.reduce(0) { $0 + $1.duplicated },
            errors: runs.reduce(0) { $0 + $1.errors }, unmatchedResults: runs.reduce(0) { $0 + $1.unmatchedResults },
            throughputPerSec: measured > .zero ? Double(completed) / (measured.milliseconds / 1000) : 0,
            p50Ms: ms(50), p90Ms: ms(90), p99Ms: ms(99), p999Ms: ms(99.9),
            maxMs: total.totalCount == 0 ? 0 : Double(total.max) / 1000, runs: runs)
    }

    /// The agent's `dynamos_results_unmatched_total`.
    private func unmatchedResults(at agent: String, client: AnalystClient) async throws -> Int {
        let (_, body) = try await client.send(.GET, agent + "/metrics")
        for line in String(decoding: body, as: UTF8.self).split(separator: "\n")
        where line.hasPrefix("dynamos_results_unmatched_total") {
            return Int(line.split(separator: " ").last ?? "") ?? 0
        }
        throw BenchError("\(agent)/metrics has no dynamos_results_unmatched_total; is the agent this version?")
    }
}

/// Sends one run's requests, open or closed loop, and books every outcome.
struct LoadDriver: Sendable {
    let plan: LoadPlan
    let client: AnalystClient
    let endpoint: String
    let job: ApprovalResponse
    let run: Int
    let logger: Logger

    /// Sends load for `duration` and waits for every answer (or its timeout).
    func drive(for duration: Duration, ledger: LoadLedger, progress: ProgressBar?) async {
        let start = ContinuousClock.now
        let prefix = "r\(run)-\(UInt32.random(in: 0...UInt32.max))-"
        await withDiscardingTaskGroup { group in
            if let progress {
                group.addTask {
                    var second = 1
                    while second <= Int((duration.milliseconds / 1000).rounded(.up)) {
                        try? await Task.sleep(until: start + .seconds(second))
                        progress.advance("second \(second)")
                        second += 1
                    }
                }
            }
            switch plan.arrival {
            case .open(let rate):
                let interval = Duration.nanoseconds(Int64(1e9 / rate))
                let count = Int((duration.milliseconds / 1000 * rate).rounded())
                for index in 0..<count {
                    let due = start + interval * index
                    if due > ContinuousClock.now { try? await Task.sleep(until: due, tolerance: .microseconds(50)) }
                    group.addTask { await one(tag: prefix + String(index), due: due, start: start, ledger: ledger) }
                }
            case .closed(let concurrency):
                let deadline = start + duration
                for client in 0..<concurrency {
                    group.addTask {
                        var sequence = 0
                        while ContinuousClock.now < deadline {
                            let tag = "\(prefix)\(client)-\(sequence)"
                            sequence += 1
                            await one(tag: tag, due: ContinuousClock.now, start: start, ledger: ledger)
                        }
                    }
                }
            }
        }
    }

    /// One request: sent, answered (or not), booked.
    private func one(tag: String, due: ContinuousClock.Instant, start: ContinuousClock.Instant, ledger: LoadLedger) async {
        ledger.sent()
        let outcome: LoadLedger.Outcome
        do {
            let (answer, _) = try await client.dataRequest(plan.request(job: job.jobId, tag: tag), at: endpoint, token: job.token)
            let column = answer.result.columns.firstIndex(of: "tag")
            let tags = answer.result.rows.compactMap { row -> String? in
                guard let column, row.indices.contains(column), case .string(let value) = row[column] else { return nil }
                return value
            }
            outcome = .answered(requestId: answer.requestId, tag: tags.count == 1 ? tags[0] : tags.joined(separator: "+"))
        } catch {
            if error.code == .timeout {
                outcome = .lost("\(error)")
            } else {
                outcome = .failed("\(error)")
            }
        }
        let now = ContinuousClock.now
        ledger.record(outcome, tag: tag, latency: now - due, at: now - start)
    }
}
