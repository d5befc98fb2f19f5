import DynamosClient
import DynamosControl
import Foundation

/// The benchmarks' hand on the agents' worker pools, through `GET`/`PUT /agent/v1/workers`: read the pools, empty
/// them for a cold start, pin worker counts for a load run, and put the limits back afterwards.
///
/// Emptying a pool is what the reaper does to an idle one (the workers are drained with SIGTERM and the pool's
/// desired count is 0); the next request that needs the pool starts it from zero. Doing it through the API keeps a
/// cold measurement from waiting out an idle timeout of minutes.
struct PoolControl: Sendable {
    /// Signed in as the ensemble's operator.
    let client: OperatorClient
    /// The party of each agent URL, for its session token.
    let parties: [String: String]

    init(ensemble: BenchEnsemble) {
        parties = Dictionary(ensemble.agents.map { ($0.value, $0.key) }, uniquingKeysWith: { first, _ in first })
        client = OperatorClient(
            orchestratorURL: ensemble.orchestrator, credential: ensemble.credentials.operator.apiKey,
            http: TrustedHTTP.client(trusting: ensemble.certificateAuthority))
    }

    /// Every pool of the agent at `agent`.
    func pools(at agent: String) async throws -> [PoolSnapshot] {
        let body = try await client.send(.GET, agent + "/agent/v1/workers", to: try party(of: agent))
        return try JSONDecoder().decode(WorkersSnapshot.self, from: body).pools
    }

    /// Sets a pool's limits and live count.
    func set(_ service: String, at agent: String, min: Int, max: Int, desired: Int) async throws {
        _ = try await client.send(
            .PUT, agent + "/agent/v1/workers/\(service)", to: try party(of: agent),
            json: PoolChange(min: min, max: max, desired: desired))
    }

    private func party(of agent: String) throws(BenchError) -> String {
        guard let party = parties[agent] else { throw BenchError("no party has the agent at \(agent)") }
        return party
    }

    /// Every pool of the given agents, for `restore`.
    func snapshot(_ agents: [String]) async throws -> [String: [PoolSnapshot]] {
        var saved: [String: [PoolSnapshot]] = [:]
        for agent in agents { saved[agent] = try await pools(at: agent) }
        return saved
    }

    /// Drains every pool of the given agents to zero workers and waits until none is left.
    func empty(_ agents: [String], within limit: Duration = .seconds(30)) async throws {
        for agent in agents {
            for pool in try await pools(at: agent) {
                try await set(pool.service, at: agent, min: 0, max: Swift.max(pool.max, 1), desired: 0)
            }
        }
        try await waitUntil(agents, within: limit, "every pool drained to zero workers") { pools in
            pools.allSatisfy(\.workers.isEmpty)
        }
    }

    /// Puts back the limits and counts `snapshot` saved, and waits until every pool has as many ready workers as
    /// it had, so the next measurement does not time their start.
    func restore(_ saved: [String: [PoolSnapshot]], within limit: Duration = .seconds(60)) async throws {
        for (agent, pools) in saved {
            for pool in pools {
                try await set(pool.service, at: agent, min: pool.min, max: pool.max, desired: pool.desired)
            }
        }
        for (agent, before) in saved {
            try await waitUntil([agent], within: limit, "the pools back at their counts") { pools in
                before.allSatisfy { old in
                    let ready = pools.first { $0.service == old.service }?.workers.filter { $0.state != .starting }
                    return (ready?.count ?? 0) >= old.desired
                }
            }
        }
    }

    /// Runs `body` and then puts back what `snapshot` saved, also when `body` throws (its error is the one
    /// reported then, not a failure to restore).
    func restoring<T>(_ saved: [String: [PoolSnapshot]], _ body: () async throws -> T) async throws -> T {
        let result: T
        do {
            result = try await body()
        } catch {
            try? await restore(saved)
            throw error
        }
        try await restore(saved)
        return result
    }

    /// Pins `service` to exactly `count` workers at `agent` and waits until that many are ready.
    func pin(_ counts: [String: Int], at agent: String, within limit: Duration = .seconds(60)) async throws {
        for (service, count) in counts.sorted(by: { $0.key < $1.key }) {
            try await set(service, at: agent, min: count, max: count, desired: count)
        }
        try await waitUntil([agent], within: limit, "worker counts \(counts)") { pools in
            counts.allSatisfy { service, count in
                guard let pool = pools.first(where: { $0.service == service }) else { return false }
                return pool.workers.count == count && pool.workers.allSatisfy { $0.state == .ready || $0.state == .busy }
            }
        }
    }

    /// Polls the agents' pools every 50 ms until `done` holds for every agent.
    /// - Throws: `BenchError` naming `what` when `limit` passes first.
    private func waitUntil(
        _ agents: [String], within limit: Duration, _ what: String, _ done: ([PoolSnapshot]) -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + limit
        while true {
            var all = true
            for agent in agents where !done(try await pools(at: agent)) {
                all = false
                break
            }
            if all { return }
            guard ContinuousClock.now < deadline else {
                throw BenchError("\(what) did not happen within \(limit) at \(agents); see `dynamos workers`")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
