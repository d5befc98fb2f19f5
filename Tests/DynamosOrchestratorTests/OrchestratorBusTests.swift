import DynamosBus
import DynamosControl
import DynamosControlBus
import DynamosOrchestrator
import DynamosQueues
import DynamosTokens
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// The orchestrator's control logic on the in-memory broker, with the test playing UVA's agent: who may announce
/// an agent, what a new agent is sent, and the composition and receipt an approval waits for.
@Suite("Orchestrator on an in-memory bus", .timeLimit(.minutes(1)))
struct OrchestratorBusTests {
    /// Control messages arriving at `queue` of `broker`, opened when the orchestrator signed them.
    private static func messages(
        on queue: String, of broker: any Broker, verifier: TokenVerifier
    ) async throws -> AsyncThrowingStream<ControlMessage, any Error> {
        let consumer = try await broker.consume(queue: queue, prefetch: 16)
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    for try await delivery in consumer {
                        var message = try ControlMessage.decode(delivery.body)
                        if case .signed(let token) = message { message = try await verifier.open(token) }
                        try await delivery.ack()
                        continuation.yield(message)
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    @Test("an announced agent gets the config; a heartbeat in another's name is dead-lettered; an approval sends a composition and completes on the receipt")
    func announceAndApprove() async throws {
        try await OrchestratorFixture.with { fixture, client in
            let inbox = Task { try await OrchestratorInboxService(orchestrator: fixture.orchestrator).run() }
            defer { inbox.cancel() }
            let uva = ControlBus(broker: fixture.node.connect(user: "UVA"), logger: Logger(label: "test.uva"))
            try await uva.declareInbox(ControlQueues.orchestrator, party: ControlQueues.orchestratorParty)
            try await uva.declareInbox(QueueNames.agent(party: "UVA"), party: "UVA")
            let verifier = try await TokenVerifier(publicKeyPEM: fixture.tokens.publicKeyPEM)
            var received = try await Self.messages(
                on: QueueNames.agent(party: "UVA"), of: uva.broker, verifier: verifier
            ).makeAsyncIterator()

            try await uva.send(.heartbeat(OrchestratorFixture.heartbeat("VU")), to: ControlQueues.orchestrator)
            try await uva.send(.heartbeat(OrchestratorFixture.heartbeat("UVA")), to: ControlQueues.orchestrator)
            guard case .configChanged(let push)? = try await received.next() else {
                Issue.record("UVA's first message is not its config")
                return
            }
            #expect(push.version == 1 && !push.knowledgeBase.stewards.isEmpty)
            let dead = fixture.node.readyMessages(in: QueueNames.dead(party: ControlQueues.orchestratorParty)) ?? []
            #expect(dead.compactMap { $0.properties.headers[DeadLetterHeaders.reason]?.stringValue } == [
                "a heartbeat for VU sent by broker user 'UVA'; only VU's agent may send it"
            ])
            #expect(await fixture.orchestrator.registry.isOnline("VU") == false)

            async let approval: ApprovalResponse = client.execute(
                uri: "/api/v1/requestApproval", method: .post, as: fixture.keys.analyst,
                body: try ByteBuffer(json: ApprovalTests.approval(["UVA"]))
            ) { response throws in
                #expect(response.status == .ok)
                return try response.json(ApprovalResponse.self)
            }
            guard case .composition(let composition)? = try await received.next() else {
                Issue.record("UVA was sent no composition")
                return
            }
            #expect(composition.party == "UVA" && composition.role == .all)
            try await uva.send(
                .compositionAccepted(
                    CompositionReceipt(jobId: composition.jobId, party: "UVA", revision: composition.revision)),
                to: ControlQueues.orchestrator)
            let approved = try await approval
            #expect(approved.jobId == composition.jobId)
            #expect(approved.endpoints["UVA"] == OrchestratorFixture.heartbeat("UVA").endpoint + "/agent/v1/sqlDataRequest/UVA")
        }
    }
}
