import DynamosBus
import DynamosQueues
import Testing

@Suite("The Dynamos queues and exchange", .timeLimit(.minutes(2)))
struct DynamosTopologyTests {
    @Test("declaring a party's queues twice is harmless, and the exchange routes by queue name")
    func declareIsIdempotentAndRoutes() async throws {
        try await TestBroker.with { broker in
            let party = "T\(TestBroker.uniqueName("party").suffix(8))"
            let query = QueueNames.worker(party: party, service: "query")
            let results = QueueNames.results(party: party)
            #expect(query == "dynamos.\(party).query")
            try await DynamosTopology.declare([query, results], party: party, on: broker)
            try await DynamosTopology.declare([query, results], party: party, on: broker)

            try await broker.publish(
                OutgoingMessage(exchange: DynamosTopology.exchangeName, routingKey: query, body: [1]))
            #expect(try await broker.inspectQueue(query).readyMessages == 1)
            let delivery = try await broker.consume(queue: query, prefetch: 1).next()
            try await delivery.reject(requeue: false)
            let dead = QueueNames.dead(party: party)
            let letter = try await broker.consume(queue: dead, prefetch: 1).next()
            #expect(letter.routingKey == dead)
            try await letter.ack()

            for name in [query, results, dead] { try await broker.deleteQueue(name) }
        }
    }
}
