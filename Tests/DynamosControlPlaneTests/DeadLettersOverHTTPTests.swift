import DynamosBus
import DynamosClient
import DynamosControl
import DynamosQueues
import Foundation
import Testing

/// The dead-letter tools through a real ensemble: garbage on VU's query queue is set aside by a real worker, and
/// the operator lists it with its reason and source, reads it, is told why a replay would not help, and purges it.
extension EndToEndTests {
    @Test("an operator lists, shows, replays (refused with the reason) and purges a worker's dead letter over HTTP")
    func deadLettersOverHTTP() async throws {
        try await EnsembleFixture.with { fixture in
            let vu = try #require(fixture.ensemble.file.agents["VU"])
            let client = fixture.operatorClient
            let queue = QueueNames.worker(party: "VU", service: "query")
            let admin = try await RabbitMQBroker.connect(
                to: try BrokerEndpoint.fromEnvironment(), name: "test.dead-letters", logger: .init(label: "test"))
            try await admin.publish(OutgoingMessage(
                exchange: DynamosTopology.exchangeName, routingKey: queue, body: Array("not a message".utf8)))
            await admin.close()

            var letter: DeadLetterSummary?
            try await waitUntil("VU's query worker dead-letters the garbage", within: .seconds(30)) {
                letter = try await client.deadLetters(at: "VU", agentURL: vu).letters.first { $0.sourceQueue == queue }
                return letter != nil
            }
            let found = try #require(letter)
            #expect(found.reason.hasPrefix("undecodable MicroserviceCommunication"), "\(found.reason)")
            #expect(found.bytes == 13 && found.requestId == nil && found.deadLetteredAt != nil)

            let detail = try await client.deadLetter(found.id, at: "VU", agentURL: vu)
            #expect(detail.summary.id == found.id && detail.rows == nil)
            #expect(detail.headers["x-dynamos-source-queue"] == queue)
            let unknown = await #expect(throws: ControlError.self) {
                try await client.deadLetter("feedface", at: "VU", agentURL: vu)
            }
            #expect(unknown?.code == .notFound && unknown?.message.contains("list them again") == true)

            let replay = try await client.replayDeadLetters(DeadLetterSelection(ids: [found.id]), at: "VU", agentURL: vu)
            #expect(replay.done.isEmpty && replay.refused.first?.reason.contains("not a Dynamos message") == true)
            let purge = try await client.purgeDeadLetters(DeadLetterSelection(ids: [found.id]), at: "VU", agentURL: vu)
            #expect(purge.done == [found.id])
            let after = try await client.deadLetters(at: "VU", agentURL: vu)
            #expect(!after.letters.contains { $0.id == found.id })
        }
    }
}
