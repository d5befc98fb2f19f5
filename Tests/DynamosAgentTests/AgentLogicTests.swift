import DynamosAgent
import DynamosBus
import DynamosControl
import DynamosControlBus
import DynamosKnowledge
import DynamosMessages
import DynamosQueues
import DynamosTestSupport
import Logging
import Testing

/// The agent's logic on the in-memory broker: who may compose a job, what a data request puts on the bus, which
/// results it trusts, and what it answers, without RabbitMQ, HTTP or worker processes.
@Suite("Agent logic on an in-memory bus", .timeLimit(.minutes(2)))
struct AgentLogicTests {
    private static let workerQueues = ["query", "anonymize", "algorithm", "graph"].map {
        QueueNames.worker(party: AgentOnMemoryBus.party, service: $0)
    }

    /// The first delivery on `queue`, taken by a consumer of `broker`.
    private func first(on queue: String, of broker: any Broker) async throws -> Delivery {
        try await within(.seconds(45), "a message on \(queue)") {
            for try await delivery in try await broker.consume(queue: queue, prefetch: 1) { return delivery }
            throw TimedOut(what: "the consumer of \(queue) ended")
        }
    }

    @Test("a composition the orchestrator signed and sent is stored and receipted; sent by a steward it is dead-lettered")
    func compositionsComeFromTheOrchestratorOnly() async throws {
        let bus = try await AgentOnMemoryBus()
        defer { bus.remove() }
        let signed = try await bus.authority.sign(control: .composition(AgentOnMemoryBus.composition("job-1")))
        let stranger = bus.node.connect(user: "VU")
        let receipt = try await bus.serving {
            try await ControlBus(broker: stranger, logger: Logger(label: "vu")).send(
                try await bus.authority.sign(control: .composition(AgentOnMemoryBus.composition("job-2"))),
                to: QueueNames.agent(party: AgentOnMemoryBus.party))
            try await bus.orchestrator.send(signed, to: QueueNames.agent(party: AgentOnMemoryBus.party))
            let delivery = try await first(on: ControlQueues.orchestrator, of: bus.orchestrator.broker)
            return try ControlMessage.decode(delivery.body)
        }
        guard case .compositionAccepted(let accepted) = receipt else {
            Issue.record("expected a receipt, got \(receipt.kind)")
            return
        }
        #expect(accepted.jobId == "job-1" && accepted.refusal == nil)
        #expect(try await bus.agent.registry.job("job-1")?.state == .active)
        #expect(try await bus.agent.registry.job("job-2") == nil, "VU's copy was refused")
        #expect(bus.deadLetterReasons() == ["a signed control message sent by broker user 'VU', not by the orchestrator"])
    }

    @Test("a data request sends one signed message into the party's chain and answers with the chain's result")
    func dataRequestRoundTrip() async throws {
        let bus = try await AgentOnMemoryBus()
        defer { bus.remove() }
        try await bus.agent.registry.store(AgentOnMemoryBus.composition("job-1"))
        let worker = bus.node.connect(user: AgentOnMemoryBus.party)
        for queue in Self.workerQueues { try await DynamosTopology.declare([queue], party: "UVA", on: worker) }
        let token = try await bus.authority.issue(user: AgentOnMemoryBus.analyst, job: "job-1", parties: ["UVA"]).token
        let request = DataRequest(
            query: "SELECT Geslacht, Salschal FROM Personen", algorithm: "average",
            algorithmColumns: ["Geslacht": "Salschal"], user: .unnamed, requestMetadata: .init(jobId: "job-1"))
        let response = try await bus.serving {
            async let answer = bus.agent.serve(request, for: "UVA", authorization: "Bearer \(token)")
            let delivery = try await within(.seconds(45), "the request's first message") {
                try await withThrowingTaskGroup(of: Delivery.self) { group in
                    for queue in Self.workerQueues { group.addTask { try await first(on: queue, of: worker) } }
                    defer { group.cancelAll() }
                    return try await group.next()!
                }
            }
            var message = try Dynamos_MicroserviceCommunication(serializedBytes: delivery.body)
            #expect(message.signedRoute.issuer == "UVA")
            #expect(message.requestMetadata.jobID == "job-1")
            // A forged answer first (another issuer on the route), then the worker's real one.
            var forged = message
            forged.routeSignature.issuer = "VU"
            message.data = try DataTable(csvText: "Geslacht;Salschal\nM;10\nV;11").proto
            forged.data = try DataTable(csvText: "Geslacht;Salschal\nM;99").proto
            for answer in [forged, message] {
                try await worker.publish(
                    OutgoingMessage(
                        exchange: DynamosTopology.exchangeName, routingKey: QueueNames.results(party: "UVA"),
                        body: try answer.serializedBytes(), properties: MessageProperties()))
            }
            try await delivery.ack()
            return try await answer
        }
        #expect(response.result.columns == ["Geslacht", "Salschal"])
        #expect(response.result.rows.count == 2, "the forged one-row answer was not taken")
        #expect(response.archetype == "computeToData" && response.mode == "persistent")
        #expect(bus.deadLetterReasons().first?.hasPrefix("a result whose route VU signed") == true)
    }

    @Test("a request nobody answers fails with a timeout that names it; a token for another job is refused")
    func refusalsAndTimeouts() async throws {
        let bus = try await AgentOnMemoryBus(requestTimeout: .milliseconds(200))
        defer { bus.remove() }
        try await bus.agent.registry.store(AgentOnMemoryBus.composition("job-1"))
        for queue in Self.workerQueues { try await DynamosTopology.declare([queue], party: "UVA", on: bus.node.connect(user: "UVA")) }
        let request = DataRequest(
            query: "SELECT 1", algorithm: "count", user: .unnamed, requestMetadata: .init(jobId: "job-1"))
        let other = try await bus.authority.issue(user: AgentOnMemoryBus.analyst, job: "job-9", parties: ["UVA"]).token
        let forbidden = await #expect(throws: ControlError.self) {
            try await bus.agent.serve(request, for: "UVA", authorization: "Bearer \(other)")
        }
        #expect(forbidden?.code == .forbidden)
        let token = try await bus.authority.issue(user: AgentOnMemoryBus.analyst, job: "job-1", parties: ["UVA"]).token
        let timedOut = await #expect(throws: ControlError.self) {
            try await bus.serving { try await bus.agent.serve(request, for: "UVA", authorization: "Bearer \(token)") }
        }
        #expect(timedOut?.code == .timeout)
        #expect(timedOut?.message.hasPrefix("no result for request ") == true)
        #expect(bus.agent.requestsInFlight == 0)
    }
}
