import DynamosBus
import DynamosControl
import DynamosKnowledge
import DynamosMessages
import DynamosSupervisor
import DynamosTestSupport
import Foundation
import Logging
import Testing

/// The supervisor with real `dynamos worker relay` processes on the real broker, on a party of its own.
@Suite("Supervisor", .serialized, .timeLimit(.minutes(2)))
struct SupervisorTests {
    @Test("idle workers are reaped after the idle timeout; a waiting message then scales the pool from zero")
    func reapAndScaleFromZero() async throws {
        try await SupervisorFixture.with(idleTimeout: .seconds(2)) { fixture in
            let cold = try await fixture.supervisor.ensureRunning(["relay"])
            #expect(cold["relay"] != nil, "the pool started at zero, so the first worker is a cold start")
            #expect(await fixture.relay().workers.map(\.state) == [WorkerState.ready])
            let idleSince = ContinuousClock.now
            try await fixture.waitUntil("the idle worker is reaped", within: .seconds(5)) {
                await fixture.relay().workers.isEmpty
            }
            let reapedAfter = idleSince.duration(to: .now)
            #expect(reapedAfter < .seconds(3), "reaped \(reapedAfter) after going idle")
            #expect(await fixture.relay().reaps == 1)
            #expect(await fixture.relay().desired == 0)

            try await fixture.send(requestID: "from-zero")
            let result = try await fixture.result()
            #expect(result.requestMetadata.requestID == "from-zero")
            #expect(result.hopTimings.first?.coldStartMicros ?? 0 > 0, "the message waited for the worker to start")
            #expect(await fixture.relay().workers.count == 1)
            #expect(await fixture.relay().spawns == 2)
            try await fixture.waitUntil("the processed message is counted", within: .seconds(5)) {
                fixture.supervisor.metrics.exposition().contains(
                    #"dynamos_worker_messages_processed_total{party="\#(fixture.party)",service="relay"} 1"#)
            }
            let metrics = fixture.supervisor.metrics.exposition()
            for line in [
                #"dynamos_worker_spawns_total{party="\#(fixture.party)",service="relay"} 2"#,
                #"dynamos_worker_reaps_total{party="\#(fixture.party)",service="relay"} 1"#,
                #"dynamos_worker_cold_starts_total{party="\#(fixture.party)",service="relay"} 2"#,
                #"dynamos_worker_message_seconds_count{party="\#(fixture.party)",service="relay"} 1"#,
            ] {
                #expect(metrics.contains(line), "missing \(line)")
            }
        }
    }

    @Test("limits change the live count at once; scaling down drains idle workers only")
    func scaling() async throws {
        try await SupervisorFixture.with(idleTimeout: .seconds(60)) { fixture in
            try await fixture.supervisor.setLimits(PoolLimits(min: 3, max: 4), for: "relay")
            try await fixture.waitUntil("three workers are ready", within: .seconds(10)) {
                await fixture.relay().workers.filter { $0.state == .ready }.count == 3
            }
            try await fixture.supervisor.setLimits(PoolLimits(min: 0, max: 1), for: "relay")
            try await fixture.waitUntil("the pool shrinks to one", within: .seconds(5)) {
                await fixture.relay().workers.count == 1
            }
            #expect(await fixture.relay().desired == 1)
            await #expect(throws: SupervisorError.self) {
                try await fixture.supervisor.setLimits(PoolLimits(min: 2, max: 1), for: "relay")
            }
        }
    }

    @Test("a worker killed with SIGKILL mid-message is noticed and replaced, and its message is redelivered")
    func crash() async throws {
        try await SupervisorFixture.with(
            idleTimeout: .seconds(60), workerArguments: ["--prefetch", "1"], environment: ["DYNAMOS_RELAY_DELAY_MS": "1500"]
        ) { fixture in
            _ = try await fixture.supervisor.ensureRunning(["relay"])
            let victim = try #require(await fixture.relay().workers.first?.pid)
            try await fixture.send(requestID: "in-flight")
            try await fixture.waitUntil("the worker is busy with the message", within: .seconds(5)) {
                await fixture.relay().workers.first?.state == .busy
            }
            kill(victim, SIGKILL)
            try await fixture.waitUntil("a new worker replaces the killed one", within: .seconds(10)) {
                let workers = await fixture.relay().workers
                return workers.count == 1 && workers[0].pid != victim && workers[0].state == .ready
            }
            #expect(await fixture.relay().crashes == 1)
            let redelivered = try await fixture.result()
            #expect(redelivered.requestMetadata.requestID == "in-flight")
            #expect(redelivered.hopTimings.first?.worker.hasSuffix("-\(victim)") == false, "the replacement handled it")
        }
    }
}

extension SupervisorTests {
    @Test("the autoscaler adds workers under a backlog at once and removes them only after the stable window")
    func autoscaler() async throws {
        try await SupervisorFixture.with(
            idleTimeout: .seconds(60), workerArguments: ["--prefetch", "1"], environment: ["DYNAMOS_RELAY_DELAY_MS": "400"]
        ) { fixture in
            try await fixture.supervisor.setAutoscale(
                AutoscalePolicy(targetPerWorker: 2, stableWindowSeconds: 2), for: "relay")
            for index in 0..<8 { try await fixture.send(requestID: "backlog-\(index)") }
            try await fixture.waitUntil("the backlog raises the pool to its maximum", within: .seconds(10)) {
                await fixture.relay().desired == 4
            }
            var seen: [String] = []
            var firstFinished = Int64.max
            for _ in 0..<8 {
                let result = try await fixture.result()
                seen.append(result.requestMetadata.requestID)
                firstFinished = min(firstFinished, result.hopTimings.last?.finishedUnixMicros ?? .max)
            }
            #expect(Set(seen).count == 8, "every message was handled exactly once: \(seen)")
            #expect(await fixture.relay().desired == 4, "no scale-down before the stable window")
            try await fixture.waitUntil("the idle pool shrinks after the window", within: .seconds(10)) {
                await fixture.relay().desired == 0
            }
            // The load fell below the pool no earlier than the first message finished; the window is 2 s.
            let shrankAfter = Double(Int64(Date().timeIntervalSince1970 * 1_000_000) - firstFinished) / 1_000_000
            #expect(shrankAfter >= 1.9, "the pool shrank \(shrankAfter) s after the load first fell, within the window")
            try await fixture.waitUntil("the idle pool's workers are gone", within: .seconds(10)) {
                await fixture.relay().workers.isEmpty
            }
            #expect(await fixture.relay().crashes == 0)
        }
    }
}
