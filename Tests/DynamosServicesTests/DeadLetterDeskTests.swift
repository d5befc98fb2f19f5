import DynamosBus
import DynamosControl
import DynamosDeadLetters
import DynamosMessages
import DynamosTestSupport
import Foundation
import Testing

/// The operator's dead-letter tools against a real broker and a real query worker: a letter is listed with its
/// reason and source, shown without values, replayed exactly once to where it came from, and purged; a letter
/// that would only fail again is refused with the reason.
@Suite("dead-letter desk", .serialized, .timeLimit(.minutes(3)))
struct DeadLetterDeskTests {
    @Test("list, show, replay once to a worker that then answers, refuse garbage, purge")
    func deskRoundTrip() async throws {
        try await ServiceNetwork.with(stewards: 1) { network in
            let party = network.stewards[0]
            let query = network.queue(party, "query")
            let hops = [query, network.results(party)]
            try await network.send(
                network.request(query: "SELECT Unieknr FROM Personen LIMIT 3", algorithm: "rows", columns: [:]),
                hops: hops, issuer: party, requestID: "r-dead")
            // No query worker runs yet: set the request aside as a worker would, with a reason.
            let consumer = try await network.admin.consume(queue: query, prefetch: 1)
            let request = try await within(.seconds(20), "the request reaches \(query)") {
                var iterator = consumer.makeAsyncIterator()
                return try #require(try await iterator.next())
            }
            try await network.admin.deadLetter(request, reason: "test: the query worker was broken", to: network.dead(party))
            try await consumer.cancel()
            try await network.admin.publish(OutgoingMessage(
                exchange: "", routingKey: network.dead(party), body: Array("not protobuf".utf8),
                properties: MessageProperties(headers: [
                    DeadLetterHeaders.reason: .string("undecodable"),
                    DeadLetterHeaders.sourceQueue: .string(query),
                ])))

            let desk = DeadLetterDesk(broker: network.admin, party: party)
            let listing = try await desk.list()
            #expect(listing.total == 2 && listing.letters.count == 2)
            let letter = try #require(listing.letters.first { $0.requestId == "r-dead" })
            let garbage = try #require(listing.letters.first { $0.requestId == nil })
            #expect(letter.reason == "test: the query worker was broken" && letter.sourceQueue == query)
            #expect(letter.notReplayable == nil && letter.hops == hops && letter.deadLetteredAt != nil)
            #expect(garbage.notReplayable?.contains("not a Dynamos message") == true)
            #expect(try await network.waiting(in: network.dead(party)) == 2, "listing gives every letter back")

            let detail = try await desk.detail(letter.id)
            #expect(detail.summary == letter && detail.rows == nil && detail.columns.isEmpty)
            await #expect(throws: ControlError.self) { try await desk.detail("0123") }

            let refused = try await desk.replay(DeadLetterSelection(ids: [garbage.id]))
            #expect(refused.done.isEmpty && refused.refused.map(\.id) == [garbage.id])
            let replayed = try await desk.replay(DeadLetterSelection(ids: [letter.id]))
            #expect(replayed.done == [letter.id] && replayed.refused.isEmpty && replayed.missing.isEmpty)
            let again = try await desk.replay(DeadLetterSelection(ids: [letter.id]))
            #expect(again.done.isEmpty && again.missing == [letter.id], "a replayed letter is gone from the queue")

            try await network.start("query", at: party)
            let result = try await network.next(from: network.results(party))[0]
            #expect(!result.message.hasError, "\(result.message.error)")
            #expect(result.message.requestMetadata.requestID == "r-dead")
            #expect(result.delivery.properties.headers[DeadLetter.replaysHeader]?.intValue == 1)
            #expect(result.delivery.properties.headers[DeadLetterHeaders.reason] == nil)
            #expect(try await network.waiting(in: network.results(party)) == 0, "exactly one result")

            let left = try await desk.list()
            #expect(left.letters.map(\.id) == [garbage.id])
            await #expect(throws: ControlError.self) { try await desk.purge(DeadLetterSelection()) }
            let purged = try await desk.purge(DeadLetterSelection(ids: [garbage.id]))
            #expect(purged.done == [garbage.id])
            #expect(try await desk.list().total == 0)
        }
    }
}
