import DynamosBus
import DynamosControl
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
    func declare(on broker: RabbitMQBroker) async throws(ControlError) {
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
            throw ControlError(.unavailable, "the per-request queues of \(requestId) could not be declared: \(error)")
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
            throw ControlError(.unavailable, "ephemeral workers for \(requestId) could not be started: \(error)")
        }
        return handles
    }

    /// Waits up to `grace` for the workers to exit (each exits after its one message), kills the rest (a hop that
    /// failed early leaves later workers waiting), then deletes the queues.
    func finish(_ handles: [any WorkerHandle], grace: Duration, broker: RabbitMQBroker, logger: Logger) async {
        await withTaskGroup(of: Void.self) { group in
            for handle in handles {
                group.addTask { await handle.exit(within: grace) }
            }
        }
        for queue in queues {
            do {
                _ = try await broker.deleteQueue(queue)
            } catch {
                logger.warning("a per-request queue was not deleted; it expires", metadata: ["queue": "\(queue)", "error": "\(error)"])
            }
        }
    }
}
