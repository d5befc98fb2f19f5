import DynamosBus
import DynamosControl
import DynamosKnowledge
import DynamosQueues
import DynamosSupervisor
import Foundation
import Logging

/// One party's share of an ephemeral request: per-request queues (`<queue>.<requestId>`, expiring), one `--once`
/// worker per service, and afterwards neither a process nor a queue left.
struct EphemeralRun: Sendable {
    /// How long an unused per-request queue lives if cleanup never happens (the agent died).
    static let queueExpiry: Duration = .seconds(300)

    let party: String
    let requestId: String
    /// This party's queues of the request, in route order.
    let queues: [String]
    let services: [String]

    /// The hops of an ephemeral route: every worker queue gets `.<requestId>`; results queues stay.
    static func hops(_ path: [String], requestId: String) -> [String] {
        path.map { $0.hasSuffix(".results") ? $0 : "\($0).\(requestId)" }
    }

    init(party: String, requestId: String, hops: [String], services: [String]) {
        self.party = party
        self.requestId = requestId
        self.services = services
        queues = Array(hops.prefix(services.count))
    }

    /// Declares this party's per-request queues: transient, expiring, dead-lettering like the persistent ones.
    func declare(on broker: any Broker) async throws(ControlError) {
        do {
            for name in queues {
                var queue = DynamosTopology.queue(name, party: party)
                queue.kind = .classic
                queue.durable = false
                queue.deliveryLimit = nil
                queue.expires = Self.queueExpiry
                queue.arguments["x-single-active-consumer"] = nil
                try await broker.declare(queue)
                try await broker.bind(
                    QueueBinding(queue: name, exchange: DynamosTopology.exchangeName, routingKey: name))
            }
        } catch {
            throw ControlError(.unavailable, "the per-request queues of \(requestId) could not be declared", cause: error)
        }
    }

    /// Starts one `--once` worker per service, on its queue.
    func start(with workers: any WorkerProvisioner) async throws(ControlError) -> [any WorkerHandle] {
        var handles: [any WorkerHandle] = []
        do {
            for (service, queue) in zip(services, queues) {
                handles.append(try await workers.spawnOnce(service, queue: queue))
            }
        } catch {
            for handle in handles { handle.kill() }
            throw ControlError(.unavailable, "ephemeral workers for \(requestId) could not be started", cause: error)
        }
        return handles
    }

    /// Waits up to `grace` for the workers to exit (each exits after its one message), kills the rest (a hop that
    /// failed early leaves later workers waiting), then deletes the queues.
    func finish(_ handles: [any WorkerHandle], grace: Duration, broker: any Broker, logger: Logger) async {
        await withTaskGroup(of: Void.self) { group in
            for handle in handles {
                group.addTask { await handle.exit(within: grace) }
            }
        }
        for queue in queues {
            await clear(queue, broker: broker, logger: logger)
        }
    }

    /// Deletes a per-request queue only once it is empty: messages left in it (a worker that failed or was stopped
    /// before it took them) are first moved to the party's dead-letter queue with the reason, never deleted with it.
    private func clear(_ queue: String, broker: any Broker, logger: Logger) async {
        do {
            // A stopped worker's unacknowledged message is back in the queue once the broker saw it go.
            var status = try await broker.inspectQueue(queue)
            for _ in 0..<60 where status.consumers > 0 {
                try? await Task.sleep(for: .milliseconds(50))
                status = try await broker.inspectQueue(queue)
            }
            let left = status.readyMessages
            if left > 0 {
                let moved = await deadLetter(
                    Int(left), from: queue, broker: broker,
                    reason: "ephemeral request \(requestId) ended before a worker of \(queue) took this message "
                        + "(its worker failed, was stopped or timed out)")
                logger.warning("dead-lettered what a per-request queue still held", metadata: [
                    "queue": "\(queue)", "messages": "\(moved)"])
            }
            _ = try await broker.deleteQueue(queue, ifUnused: false, ifEmpty: true)
        } catch {
            logger.warning(
                "a per-request queue was not deleted; it expires", metadata: ["queue": "\(queue)", "error": "\(error)"])
        }
    }

    /// Moves up to `count` ready messages of `queue` to the party's dead-letter queue, within a few seconds.
    private func deadLetter(_ count: Int, from queue: String, broker: any Broker, reason: String) async -> Int {
        guard let consumer = try? await broker.consume(queue: queue, prefetch: UInt16(clamping: count)) else { return 0 }
        let deadline = Task {
            try? await Task.sleep(for: .seconds(3))
            try? await consumer.cancel()
        }
        defer { deadline.cancel() }
        var moved = 0
        do {
            for try await delivery in consumer {
                try await broker.deadLetter(
                    delivery, reason: reason, to: QueueNames.dead(party: party), exchange: DynamosTopology.exchangeName)
                moved += 1
                if moved == count { break }
            }
        } catch {
            return moved
        }
        try? await consumer.cancel()
        return moved
    }
}
