import DynamosClient
import DynamosControl
import DynamosQueryEngine
import Foundation
public import Logging

/// `dynamos bench latency`: the thesis experiment against an ensemble, over HTTP, persistent warm and cold
/// against ephemeral.
///
/// Every cell gets one approval per archetype, then `warmup` untimed and `repetitions` timed data requests, one
/// at a time, each timed at the client from sending to the full answer. A cold request first empties every pool
/// of the parties in the job (see `PoolControl`), waits until no worker is left, and then sends; the pools are
/// put back after the cell. Failed requests are counted, not fatal.
public struct LatencyBenchmark: Sendable {
    public let plan: LatencyPlan
    public let ensemble: BenchEnsemble
    private let client: AnalystClient
    private let pools: PoolControl
    private let logger: Logger

    public init(plan: LatencyPlan, ensemble: BenchEnsemble, logger: Logger) {
        self.plan = plan
        self.ensemble = ensemble
        self.logger = logger
        client = AnalystClient(
            orchestratorURL: ensemble.orchestrator, credential: ensemble.credentials.analyst.apiKey,
            http: TrustedHTTP.client(trusting: ensemble.certificateAuthority), timeout: .seconds(120))
        pools = PoolControl(ensemble: ensemble)
    }

    /// Runs every cell of the plan.
    /// - Parameter progress: advanced once per request sent.
    public func run(progress: ProgressBar) async throws -> LatencyReport {
        let sizes = MessageSizer(dataDirectory: ensemble.dataDirectory, steward: plan.steward, logger: logger)
        var cells: [LatencyCell] = []
        for archetype in plan.archetypes {
            let job = try await client.approval(plan.approval(for: archetype), expecting: archetype.rawValue)
            guard let endpoint = job.endpoints.values.sorted().first else {
                throw BenchError("the approval for \(archetype.rawValue) named no endpoint")
            }
            let parties = Set(job.assignments.keys).union(job.computeProvider.map { [$0] } ?? [])
            let agents = try parties.sorted().map { party throws(BenchError) in try ensemble.agent(party) }
            for rows in plan.rows {
                let bytes = await sizes.bytes(rows: rows)
                for mode in plan.modes {
                    var cell = try await measure(
                        job: job, endpoint: endpoint, agents: agents, rows: rows, mode: mode, progress: progress)
                    cell.bytes = bytes
                    cells.append(cell)
                }
            }
        }
        progress.finish()
        let summary = LatencyReport.PlanSummary(
            repetitions: plan.repetitions, warmup: plan.warmup, steward: plan.steward, providers: plan.providers,
            graph: plan.graph, query: LatencyPlan.query(rows: plan.rows.first ?? 0),
            algorithm: "average(Salschal) by Geslacht", privateEnsemble: ensemble.isPrivate)
        return LatencyReport(
            machine: .current(), plan: summary, cells: cells,
            reference: ThesisReference.published.filter { reference in
                plan.archetypes.contains(reference.archetype)
            })
    }

    /// One cell: warm-up, then the timed requests.
    private func measure(
        job: ApprovalResponse, endpoint: String, agents: [String], rows: Int, mode: LatencyMode, progress: ProgressBar
    ) async throws -> LatencyCell {
        let label = "\(job.archetype) \(rows) rows \(mode.rawValue)"
        let request = plan.request(job: job, rows: rows, mode: mode)
        var samples = CellSamples()
        if mode != .persistentCold {
            for _ in 0..<plan.warmup {
                _ = await send(request, to: endpoint, token: job.token)
                progress.advance(label + " (warm-up)")
            }
        }
        if mode == .persistentCold {
            try await pools.restoring(try await pools.snapshot(agents)) {
                for _ in 0..<plan.repetitions {
                    try await pools.empty(agents)
                    samples.record(await send(request, to: endpoint, token: job.token))
                    progress.advance(label)
                }
            }
        } else {
            for _ in 0..<plan.repetitions {
                samples.record(await send(request, to: endpoint, token: job.token))
                progress.advance(label)
            }
        }
        return samples.cell(archetype: LatencyArchetype(rawValue: job.archetype) ?? .computeToData, rows: rows, mode: mode)
    }

    /// One data request, timed at the client.
    private func send(_ request: DataRequest, to endpoint: String, token: String) async -> RequestOutcome {
        let started = ContinuousClock.now
        do {
            let (answer, _) = try await client.dataRequest(request, at: endpoint, token: token)
            return .answered(clientMs: (ContinuousClock.now - started).milliseconds, answer: answer)
        } catch {
            logger.warning("a benchmark request failed", metadata: ["error": "\(error)"])
            return .failed("\(error)")
        }
    }
}

/// What one request gave: an answer and its client-side time, or the error.
enum RequestOutcome: Sendable {
    case answered(clientMs: Double, answer: DataResponse)
    case failed(String)
}

/// The requests of one cell as they come in, summarised into a `LatencyCell`.
struct CellSamples {
    var latencies = LatencySamples()
    var agent = LatencySamples()
    var errors = 0
    var firstError: String?
    /// Per hop position (`party/service`, in chain order), its startup, processing and transfer samples.
    var hopOrder: [String] = []
    var hopSamples: [String: (startup: [Double], processing: [Double], transfer: [Double])] = [:]

    mutating func record(_ outcome: RequestOutcome) {
        switch outcome {
        case .failed(let message):
            errors += 1
            if firstError == nil { firstError = message }
        case .answered(let clientMs, let answer):
            latencies.record(.nanoseconds(Int64(clientMs * 1_000_000)))
            agent.record(.nanoseconds(Int64(answer.timings.totalMs * 1_000_000)))
            for hop in answer.timings.hops {
                let key = "\(hop.party)/\(hop.service)"
                if hopSamples[key] == nil {
                    hopOrder.append(key)
                    hopSamples[key] = ([], [], [])
                }
                let startup = hop.coldStartMs ?? 0
                hopSamples[key]!.startup.append(startup)
                hopSamples[key]!.processing.append(hop.processMs)
                hopSamples[key]!.transfer.append(max(0, hop.queuedMs - startup))
            }
        }
    }

    func cell(archetype: LatencyArchetype, rows: Int, mode: LatencyMode) -> LatencyCell {
        let hops = hopOrder.map { key in
            let samples = hopSamples[key]!
            let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
            return HopSplit(
                party: parts[0], service: parts.count > 1 ? parts[1] : "",
                startupMs: LatencySamples(samples.startup).median,
                processingMs: LatencySamples(samples.processing).median,
                transferMs: LatencySamples(samples.transfer).median)
        }
        let answered = latencies.count > 0
        return LatencyCell(
            archetype: archetype, rows: rows, mode: mode, p50Ms: answered ? latencies.median : 0,
            p95Ms: answered ? latencies.p95 : 0, minMs: answered ? latencies.min : 0,
            maxMs: answered ? latencies.max : 0, n: latencies.count, errors: errors,
            agentP50Ms: answered ? agent.median : 0, hops: hops, bytes: nil, firstError: firstError)
    }
}

/// The size of one steward's query result in the three encodings, computed once per row count by running the
/// query over the steward's CSV files in a private SQLite copy (the same engine the query worker uses).
struct MessageSizer: Sendable {
    let dataDirectory: String
    let steward: String
    let logger: Logger

    func bytes(rows: Int) async -> MessageBytes? {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "dynamos-bench-sizes-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: scratch) }
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            let engine = QueryEngine(
                datasetDirectory: URL(fileURLWithPath: dataDirectory), databaseDirectory: scratch,
                indexes: ["Aanstellingen": ["Unieknr"], "Personen": ["Unieknr"]])
            let table = try await engine.query(LatencyPlan.query(rows: rows), party: steward)
            let sizes = table.encodingSizes()
            return MessageBytes(
                table: sizes.columnar, json: sizes.rowObjectsJSON, struct: sizes.columnStringListsStruct,
                resultRows: table.rowCount)
        } catch {
            logger.warning(
                "message sizes unavailable", metadata: ["data": "\(dataDirectory)/\(steward)", "error": "\(error)"])
            return nil
        }
    }
}
