import DynamosBus
import DynamosMessages
import DynamosRouteSigning
import DynamosRuntime
import DynamosTestSupport
import Foundation
import Synchronization
import Testing

/// What a worker accepts, against the real broker with each party's own broker user: only routes its issuer signed
/// with its own key, for the very request they carry, before they expire, sent by the issuer or the worker's own
/// party, and ending at another party only with that party's ticket. Everything else is dead-lettered with the
/// reason, and the service never sees it.
@Suite("Routes and senders at the workers", .timeLimit(.minutes(3)))
struct WorkerAdmissionTests {
    /// Counts the messages that reached the service.
    final class Calls: Sendable {
        let count = Atomic<Int>(0)
    }

    struct CountingHandler: ServiceHandler {
        let service: String
        let calls: Calls

        func handle(_ request: WorkerRequest) async throws -> ServiceResult {
            calls.count.add(1, ordering: .relaxed)
            return ServiceResult(table: request.table)
        }
    }

    struct World {
        let parties: ProvisionedParties
        let keys: [String: RouteSigningKey]
        let keyring: RouteKeyring

        func signer(_ party: String) -> RouteSigner { RouteSigner(key: keys[party]!, keyring: keyring) }

        func message(
            issuer: String, hops: [String], query: String = "SELECT 1", request: String = "r-1",
            expiresAt: Int64 = UnixTime.now + 300, tickets: [RouteTicket] = []
        ) throws -> Dynamos_MicroserviceCommunication {
            var message = try RequestMessage(
                request: .with { $0.query = query }, jobID: "job-1", requestID: request, hops: hops, tickets: tickets
            ).message(signedBy: signer(issuer), expiresAt: expiresAt)
            message.data = try DataTable(columns: [.integer("n", [1, 2, 3])]).proto
            return message
        }
    }

    /// Runs `service` of `party` as a worker on `party`'s own broker user, feeds it what `body` publishes, and
    /// returns the dead-letter reasons of `party` once `expected` arrived, with the number of handler calls.
    private func run(
        _ service: String, at party: (World) -> String, expected: Int,
        _ body: (World, RabbitMQBroker) async throws -> Void
    ) async throws -> (reasons: [String], calls: Int, results: Int) {
        let parties = try await ProvisionedParties.make()
        var keys: [String: RouteSigningKey] = [:]
        for name in [parties.steward, parties.otherSteward, parties.thirdParty] {
            keys[name] = RouteSigningKey(party: name, keyID: "\(name)-1")
        }
        let world = World(
            parties: parties, keys: keys, keyring: try RouteKeyring(entries: keys.values.map(\.publicEntry)))
        let owner = party(world)
        let admin = try await ProvisionedParties.admin()
        let queue = "dynamos.\(owner).\(service)", results = "dynamos.\(owner).results"
        let dead = "dynamos.\(owner).dead"
        try await DynamosTopology.declare([queue, results], party: owner, on: admin)
        let calls = Calls()
        let workerBroker = try await parties.connect(owner)
        let runtime = WorkerRuntime(
            configuration: WorkerConfiguration(party: owner, service: service),
            broker: workerBroker, handler: CountingHandler(service: service, calls: calls), keyring: world.keyring,
            logger: ProvisionedParties.logger)
        let worker = Task { try await runtime.run() }
        try await body(world, admin)
        let reasons = try await within(.seconds(15), "\(expected) dead letters at \(owner)") {
            var reasons: [String] = []
            var iterator = try await admin.consume(queue: dead, prefetch: UInt16(expected)).makeAsyncIterator()
            while reasons.count < expected, let delivery = try await iterator.next() {
                reasons.append(delivery.properties.headers["x-dynamos-reason"]?.stringValue ?? "")
                try await delivery.ack()
            }
            return reasons
        }
        await runtime.drain()
        _ = try? await worker.value
        let waiting = try await admin.inspectQueue(results).readyMessages
        for name in [queue, results, dead] { _ = try? await admin.deleteQueue(name) }
        await workerBroker.close()
        await admin.close()
        return (reasons, calls.count.load(ordering: .relaxed), Int(waiting))
    }

    /// Publishes `message` to its first hop as `user`.
    private func send(_ message: Dynamos_MicroserviceCommunication, as user: String, in world: World) async throws {
        let broker = try await world.parties.connect(user)
        try await broker.publish(
            OutgoingMessage(
                exchange: DynamosTopology.exchangeName, routingKey: message.routingData[0],
                body: try message.serializedBytes()))
        await broker.close()
    }

    @Test("a foreign key, an expired route and changed SQL under a valid signature are dead-lettered, never run")
    func forgedRoutes() async throws {
        let (reasons, calls, results) = try await run("query", at: \.parties.steward, expected: 4) { world, _ in
            let s = world.parties.steward
            let hops = ["dynamos.\(s).query", "dynamos.\(s).results"]
            // The other steward signs a route with its own key and passes it off as S's, through S's queues.
            let r = world.parties.otherSteward
            var impostor = try world.message(
                issuer: r, hops: ["dynamos.\(r).query", "dynamos.\(r).results"], request: "r-foreign")
            var route = impostor.signedRoute
            route.issuer = s
            route.path = hops
            route.hops = hops
            impostor.setSignedRoute(route)
            let expired = try world.message(issuer: s, hops: hops, request: "r-expired", expiresAt: UnixTime.now - 5)
            var changed = try world.message(issuer: s, hops: hops, query: "SELECT COUNT(*) FROM Personen", request: "r-sql")
            changed.originalRequest = try .init(message: Dynamos_SqlDataRequest.with { $0.query = "SELECT * FROM Personen" })
            // A key nobody published.
            let stranger = RouteSigner(key: RouteSigningKey(party: s, keyID: "\(s)-rogue"), keyring: world.keyring)
            let unknown = try RequestMessage(
                request: .with { $0.query = "SELECT 1" }, jobID: "job-1", requestID: "r-unknown", hops: hops
            ).message(signedBy: stranger, expiresAt: UnixTime.now + 300)
            for message in [impostor, expired, changed, unknown] { try await send(message, as: s, in: world) }
        }
        #expect(calls == 0, "the service ran a refused message")
        #expect(results == 0)
        #expect(reasons.filter { $0.contains("foreignRoute") }.count == 2, "\(reasons)")
        #expect(reasons.contains { $0.contains("expired") }, "\(reasons)")
        #expect(reasons.contains { $0.contains("requestMismatch") && $0.contains("SQL was changed") }, "\(reasons)")
    }

    @Test("at the third party's aggregate: a part sent by another steward than its route's issuer, or without the third party's ticket, is refused")
    func handoverSenders() async throws {
        let (reasons, calls, _) = try await run("aggregate", at: \.parties.thirdParty, expected: 2) { world, _ in
            let (s, r, t) = (world.parties.steward, world.parties.otherSteward, world.parties.thirdParty)
            let aggregate = "dynamos.\(t).aggregate"
            let ticket = try world.signer(t).issueTicket(
                jobID: "job-1", requestID: "r-1", queue: aggregate, expectedParts: 1, expiresAt: UnixTime.now + 300)
            // S's genuine part, captured and handed over by R (which may write to the aggregate queue).
            let captured = try world.message(issuer: s, hops: [aggregate], tickets: [ticket])
            try await send(captured, as: r, in: world)
            // S's route to the aggregate with a ticket S made up in T's name.
            var fake = ticket
            fake.expectedParts = 7
            var unticketed = try world.message(issuer: s, hops: [aggregate], request: "r-1", tickets: [ticket])
            unticketed.routeTickets = [fake.proto]
            try await send(unticketed, as: s, in: world)
        }
        #expect(calls == 0)
        #expect(reasons.contains { $0.contains("sender refused") && $0.contains("user '") }, "\(reasons)")
        #expect(reasons.contains { $0.contains("missingTicket") }, "\(reasons)")
    }

    @Test("a message a party dead-letters into another party's queue (RabbitMQ does not check a dead-letter routing key against topic permissions) is still refused there")
    func deadLetterDetour() async throws {
        let (reasons, calls, results) = try await run("query", at: \.parties.otherSteward, expected: 1) { world, _ in
            let (s, r) = (world.parties.steward, world.parties.otherSteward)
            let steward = try await world.parties.connect(s)
            let trap = QueueDeclaration(
                name: "dynamos.\(s).trap", durable: false, deadLetterExchange: DynamosTopology.exchangeName,
                deadLetterRoutingKey: "dynamos.\(r).query", messageTTL: .zero)
            try await steward.declare(trap)
            try await steward.bind(QueueBinding(queue: trap.name, exchange: DynamosTopology.exchangeName, routingKey: trap.name))
            let message = try world.message(issuer: s, hops: [trap.name, "dynamos.\(s).results"], request: "r-detour")
            try await steward.publish(
                OutgoingMessage(
                    exchange: DynamosTopology.exchangeName, routingKey: trap.name, body: try message.serializedBytes()))
            _ = try? await steward.deleteQueue(trap.name)
            await steward.close()
        }
        #expect(calls == 0)
        #expect(results == 0)
        #expect(reasons.first?.contains("route is addressed to") == true, "\(reasons)")
    }
}
