import DynamosBus
import DynamosMessages
import DynamosQueues
import DynamosRouteSigning
import DynamosRuntime
import DynamosStatusLines
import DynamosTestSupport
import Foundation
import Testing

/// The worker runtime against the real broker: results along a signed route, error results, dead letters,
/// draining and once mode.
@Suite("Worker runtime", .timeLimit(.minutes(2)))
struct WorkerRuntimeTests {
    @Test("a signed two-hop route ends in the results queue with hop timings and a verifiable rest of the route")
    func twoHops() async throws {
        let fixture = try await RuntimeFixture.make()
        do {
            let first = fixture.runtime("first") { request in
                var table = request.table
                try table.appendColumn(.text("seen", Array(repeating: request.jobID, count: table.rowCount)))
                return table
            }
            let second = fixture.runtime("second")
            let runs = [Task { try await first.run() }, Task { try await second.run() }]
            try await fixture.send(fixture.message(hops: fixture.chain))

            let delivery = try await fixture.next(from: fixture.results)
            let result = try Dynamos_MicroserviceCommunication(serializedBytes: delivery.body)
            #expect(result.routingData == [fixture.results])
            try fixture.signer.verifier.verify(result.signedRoute, requestDigest: result.requestDigest)
            #expect(result.hopTimings.map(\.service) == ["first", "second"])
            #expect(result.hopTimings.allSatisfy { $0.party == fixture.party && $0.finishedUnixMicros > 0 })
            #expect(result.hopTimings[1].queuedUnixMicros == result.hopTimings[0].finishedUnixMicros)
            let table = try DataTable(proto: result.data)
            #expect(table.columnNames == ["id", "name", "seen"])
            #expect(table.value(row: 0, column: 2) == .text("job-1"))
            #expect(!result.hasError)

            await first.drain()
            await second.drain()
            for run in runs { try await run.value }
            #expect(await first.currentStatus.processed == 1)
            #expect(await second.currentStatus.event == .stopped)
        } catch {
            await fixture.close()
            throw error
        }
        await fixture.close()
    }

    @Test("a handler error sends an error result straight to the result recipient and acks the input")
    func handlerError() async throws {
        let fixture = try await RuntimeFixture.make()
        do {
            let first = fixture.runtime("first") { _ in
                throw WorkerError(.invalidInput, "column 'Salaris' does not exist; ask for an existing column")
            }
            let run = Task { try await first.run() }
            try await fixture.send(fixture.message(hops: fixture.chain))

            let delivery = try await fixture.next(from: fixture.results)
            let result = try Dynamos_MicroserviceCommunication(serializedBytes: delivery.body)
            #expect(result.hasError)
            #expect(result.error.code == "invalidInput")
            #expect(result.error.message.contains("Salaris"))
            #expect(result.error.party == fixture.party && result.error.service == "first")
            #expect(!result.hasData)
            #expect(result.routingData == [fixture.results])
            try fixture.signer.verifier.verify(result.signedRoute, requestDigest: result.requestDigest)
            #expect(result.hopTimings.count == 1)

            await first.drain()
            try await run.value
            #expect(await first.currentStatus.failed == 1)
            await fixture.workers.close()
            #expect(try await fixture.admin.inspectQueue(fixture.first).readyMessages == 0)
            #expect(try await fixture.admin.inspectQueue(fixture.second).readyMessages == 0)
        } catch {
            await fixture.close()
            throw error
        }
        await fixture.close()
    }

    @Test("undecodable, tampered and unsigned messages go to the dead-letter queue with a reason")
    func deadLetters() async throws {
        let fixture = try await RuntimeFixture.make()
        do {
            let first = fixture.runtime("first")
            let run = Task { try await first.run() }
            try await fixture.send(bytes: [0xff, 0xff, 0xff, 0x07], to: fixture.first)
            var tampered = try fixture.message(hops: fixture.chain)
            tampered.routingData[1] = QueueNames.worker(party: fixture.party, service: "elsewhere")
            try await fixture.send(tampered)
            var unsigned = try fixture.message(hops: fixture.chain)
            unsigned.clearRouteSignature()
            try await fixture.send(unsigned)

            var reasons: [String] = []
            for letter in try await fixture.next(3, from: fixture.dead) {
                guard case .string(let reason)? = letter.properties.headers[DeadLetterHeaders.reason]
                else {
                    Issue.record("dead letter without a reason header")
                    continue
                }
                #expect(letter.properties.headers[DeadLetterHeaders.sourceQueue] == .string(fixture.first))
                reasons.append(reason)
            }
            #expect(reasons.count == 3)
            #expect(reasons.contains { $0.hasPrefix("undecodable MicroserviceCommunication") })
            #expect(reasons.filter { $0.hasPrefix("route rejected") }.count == 2)

            await first.drain()
            try await run.value
            #expect(await first.currentStatus.deadLettered == 3)
            #expect(try await fixture.admin.inspectQueue(fixture.results).readyMessages == 0)
        } catch {
            await fixture.close()
            throw error
        }
        await fixture.close()
    }

    @Test("drain with a message in flight finishes it and acks it: nothing unacked, nothing lost")
    func drainInFlight() async throws {
        let fixture = try await RuntimeFixture.make()
        do {
            let (started, startedContinuation) = AsyncStream<Void>.makeStream()
            let first = fixture.runtime("first") { request in
                startedContinuation.yield()
                try await Task.sleep(for: .milliseconds(500))
                return request.table
            }
            let run = Task { try await first.run() }
            try await fixture.send(fixture.message(hops: fixture.chain))
            try await within(.seconds(10), "the handler to start") {
                for await _ in started { return }
            }
            await first.drain()
            try await run.value
            let status = await first.currentStatus
            #expect(status.processed == 1 && status.inFlight == 0 && status.event == .stopped)

            await fixture.workers.close()
            #expect(try await fixture.admin.inspectQueue(fixture.first).readyMessages == 0)
            #expect(try await fixture.admin.inspectQueue(fixture.second).readyMessages == 1)
        } catch {
            await fixture.close()
            throw error
        }
        await fixture.close()
    }

    @Test("once mode handles exactly one message and returns")
    func once() async throws {
        let fixture = try await RuntimeFixture.make()
        do {
            let collector = LineCollector()
            let first = fixture.runtime("first", once: true, prefetch: 8, reporter: collector.reporter)
            try await fixture.send(fixture.message(hops: fixture.chain, request: "req-1"))
            try await fixture.send(fixture.message(hops: fixture.chain, request: "req-2"))
            try await within(.seconds(10), "a once-mode worker to return") { try await first.run() }
            #expect(await first.currentStatus.processed == 1)
            let reports = try collector.lines.map { try JSONDecoder().decode(WorkerStatus.self, from: Data($0.utf8)) }
            #expect(reports.map(\.event) == [.ready, .draining, .taken, .processed, .stopped])
            #expect(reports.last?.processed == 1 && reports.last?.queue == fixture.first)

            await fixture.workers.close()
            #expect(try await fixture.admin.inspectQueue(fixture.first).readyMessages == 1)
            #expect(try await fixture.admin.inspectQueue(fixture.second).readyMessages == 1)
        } catch {
            await fixture.close()
            throw error
        }
        await fixture.close()
    }

    @Test("only a message that waited for the worker to start carries its cold start")
    func coldStart() async throws {
        let fixture = try await RuntimeFixture.make()
        do {
            let hops = [fixture.first, fixture.results]
            try await fixture.send(fixture.message(hops: hops, request: "waited"))
            let first = fixture.runtime("first", coldStartMicros: 123_000)
            let run = Task { try await first.run() }
            let waited = try Dynamos_MicroserviceCommunication(
                serializedBytes: try await fixture.next(from: fixture.results).body)
            try await fixture.send(fixture.message(hops: hops, request: "warm"))
            let warm = try Dynamos_MicroserviceCommunication(
                serializedBytes: try await fixture.next(from: fixture.results).body)
            #expect(waited.requestMetadata.requestID == "waited" && warm.requestMetadata.requestID == "warm")
            #expect(waited.hopTimings.first?.coldStartMicros == 123_000)
            #expect(warm.hopTimings.first?.coldStartMicros == 0)
            await first.drain()
            try await run.value
        } catch {
            await fixture.close()
            throw error
        }
        await fixture.close()
    }
}
