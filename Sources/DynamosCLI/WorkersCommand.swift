import ArgumentParser
import DynamosClient
import DynamosControl
import Foundation

/// `dynamos workers`: every worker of the ensemble's agents (or one party's), with pool counts and queue depths.
struct WorkersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workers",
        abstract: "Show every worker: pid, service, state, processed, idle time, memory, and the pools' counts.")

    @Option(help: "Only this party's workers.")
    var party: String?

    @Option(help: "Where ensemble.json is looked for.")
    var stateDir = ".dynamos"

    @Flag(help: "Print {\"pools\": [...]} as JSON.")
    var json = false

    @OptionGroup var credentials: CredentialOptions

    func run() async throws {
        let agents = try AgentAddresses.find(stateDir: stateDir, party: party)
        let client = try AgentAddresses.operatorClient(stateDir: stateDir, credentials: credentials)
        var pools: [PoolSnapshot] = []
        for (party, url) in agents.sorted(by: { $0.key < $1.key }) {
            let body = try await client.send(.GET, url + "/agent/v1/workers", to: party)
            pools += try JSONDecoder().decode(WorkersSnapshot.self, from: body).pools
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(WorkersSnapshot(pools: pools)), as: UTF8.self))
            return
        }
        for pool in pools {
            let depth = pool.queueDepth.map(String.init) ?? "?"
            print("\(pool.party)/\(pool.service): \(pool.workers.count) workers (min \(pool.min), max \(pool.max), "
                + "desired \(pool.desired)), queue \(depth), spawns \(pool.spawns), reaps \(pool.reaps), "
                + "crashes \(pool.crashes)\(pool.crashLoop ? " CRASH LOOP" : "")")
            for worker in pool.workers {
                let rss = worker.rssBytes.map { String(format: "%.1f MB", Double($0) / 1_048_576) } ?? "?"
                print("  pid \(worker.pid)  \(worker.state.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0))"
                    + "  processed \(worker.processed)  idle \(String(format: "%.1f", worker.idleSeconds)) s  rss \(rss)")
            }
        }
    }
}

/// `dynamos scale --party UVA query=4 algorithm=2`: sets how many workers each pool keeps (its minimum, and the
/// live count now); `service=min..max` sets both limits; `service=auto:T` turns the autoscaler on with T messages
/// per worker (within the pool's limits), `service=auto:off` turns it off.
struct ScaleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale",
        abstract: "Set worker counts: service=N keeps N workers, service=MIN..MAX sets the pool's limits, "
            + "service=auto:T autoscales at T messages per worker (auto:off stops it).")

    @Option(help: "The party whose pools change.")
    var party: String

    @Argument(help: "service=N, service=MIN..MAX or service=auto:T, e.g. query=4 algorithm=0..2 graph=auto:4.")
    var counts: [String]

    @Option(help: "Where ensemble.json is looked for.")
    var stateDir = ".dynamos"

    @OptionGroup var credentials: CredentialOptions

    func run() async throws {
        guard let url = try AgentAddresses.find(stateDir: stateDir, party: party)[party] else {
            throw CLIFailure("no agent for \(party) in \(stateDir)/ensemble.json")
        }
        let client = try AgentAddresses.operatorClient(stateDir: stateDir, credentials: credentials)
        let body = try await client.send(.GET, url + "/agent/v1/workers", to: party)
        let current = try JSONDecoder().decode(WorkersSnapshot.self, from: body)
        for count in counts {
            let parts = count.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let pool = current.pools.first(where: { $0.service == parts[0] }) else {
                throw ValidationError("'\(count)' is not service=N for one of \(current.pools.map(\.service))")
            }
            let change: PoolChange
            if parts[1].hasPrefix("auto:") {
                let target = parts[1].dropFirst(5)
                guard target == "off" || (Int(target) ?? 0) >= 1 else {
                    throw ValidationError("'\(count)': auto:T needs T >= 1 messages per worker, or auto:off")
                }
                change = PoolChange(
                    min: pool.min, max: pool.max,
                    autoscale: target == "off" ? .init(off: true) : .init(targetPerWorker: Int(target)))
            } else if let range = parts[1].range(of: ".."), let low = Int(parts[1][..<range.lowerBound]),
                let high = Int(parts[1][range.upperBound...])
            {
                change = PoolChange(min: low, max: high)
            } else if let n = Int(parts[1]) {
                change = PoolChange(min: n, max: max(n, pool.max), desired: n)
            } else {
                throw ValidationError("'\(count)': the count must be N or MIN..MAX")
            }
            _ = try await client.send(.PUT, url + "/agent/v1/workers/\(parts[0])", to: party, json: change)
            print("\(party)/\(parts[0]): min \(change.min), max \(change.max)"
                + (change.desired.map { ", desired \($0)" } ?? "")
                + (change.autoscale.map { $0.off == true ? ", autoscale off" : ", autoscale \($0.targetPerWorker ?? 0)" } ?? ""))
        }
    }
}

/// Agent base URLs from a running ensemble's `ensemble.json`.
enum AgentAddresses {
    /// A client signed in at the running ensemble's orchestrator, with the operator's credential by default.
    static func operatorClient(stateDir: String, credentials: CredentialOptions) throws -> OperatorClient {
        guard let file = EnsembleFile.running(at: EnsembleFile.path(in: stateDir)) else {
            throw CLIFailure("no running ensemble in \(stateDir)/ensemble.json; start one with `dynamos up`")
        }
        return OperatorClient(
            orchestratorURL: file.orchestrator,
            credential: try credentials.credential(stateDir: stateDir, fallback: .operator), http: file.http)
    }

    static func find(stateDir: String, party: String?) throws -> [String: String] {
        guard let file = EnsembleFile.running(at: EnsembleFile.path(in: stateDir)) else {
            throw CLIFailure("no running ensemble in \(stateDir)/ensemble.json; start one with `dynamos up`")
        }
        guard let party else { return file.agents }
        guard let url = file.agents[party] else {
            throw CLIFailure("the ensemble has no agent for \(party); it has \(file.agents.keys.sorted())")
        }
        return [party: url]
    }
}
