import DynamosBus
import DynamosTestSupport
import Foundation
import Testing

/// Each party's broker user, as `dynamos up` provisions it, against the real broker: refused on every other party's
/// queue and routing key, with typed errors, while the connection's other work goes on.
@Suite("Broker permissions per party", .timeLimit(.minutes(3)))
struct BrokerPermissionTests {
    private func message(_ text: String, to key: String, exchange: String = DynamosTopology.exchangeName) -> OutgoingMessage {
        OutgoingMessage(exchange: exchange, routingKey: key, body: Array(text.utf8))
    }

    @Test("a party configures, reads, binds and publishes only its own queues; every refusal is a typed 403")
    func ownQueuesOnly() async throws {
        let parties = try await ProvisionedParties.make()
        let (s, t) = (parties.steward, parties.thirdParty)
        let admin = try await ProvisionedParties.admin()
        let steward = try await parties.connect(s)
        let third = try await parties.connect(t)
        let own = "dynamos.\(s).query", theirs = "dynamos.\(t).graph"
        try await DynamosTopology.declare([own], party: s, on: steward)
        try await DynamosTopology.declare([theirs], party: t, on: third)
        try await third.publish(message("their data", to: theirs))
        let consumer = try await steward.consume(queue: own, prefetch: 4)

        let attempts: [(String, () async throws -> Void)] = [
            ("consume their queue", { _ = try await steward.consume(queue: theirs, prefetch: 1) }),
            ("purge their queue", { _ = try await steward.purgeQueue(theirs) }),
            ("delete their queue", { _ = try await steward.deleteQueue(theirs) }),
            ("declare a queue in their name", {
                _ = try await steward.declare(DynamosTopology.queue("dynamos.\(t).evil", party: t))
            }),
            ("bind its own queue to # and read everyone's traffic", {
                try await steward.bind(QueueBinding(queue: own, exchange: DynamosTopology.exchangeName, routingKey: "#"))
            }),
            ("bind its own queue with their routing key", {
                try await steward.bind(QueueBinding(queue: own, exchange: DynamosTopology.exchangeName, routingKey: theirs))
            }),
            ("publish with their routing key", { try await steward.publish(message("forged", to: theirs)) }),
            ("publish to their queue through the default exchange", {
                try await steward.publish(message("forged", to: theirs, exchange: ""))
            }),
            ("redeclare the dynamos exchange", { try await steward.declare(DynamosTopology.exchange) }),
            ("delete the dynamos exchange", { try await steward.deleteExchange(DynamosTopology.exchangeName) }),
        ]
        for (what, attempt) in attempts {
            let error = await refusal(attempt)
            #expect(error?.code == .accessRefused, "\(s) could \(what): \(String(describing: error))")
            #expect(error?.replyCode == 403, "\(what)")
            #expect(error?.hint?.contains("docs/security.md") == true, "\(what): the error says what to do")
        }
        // Nothing of theirs was touched, and the connection still does its own work.
        #expect(try await admin.inspectQueue(theirs).readyMessages == 1)
        #expect(try await admin.inspectQueue(own).consumers == 1)
        try await steward.publish(message("still here", to: own))
        let delivery = try await within(.seconds(10), "the own consumer still receives") {
            var iterator = consumer.makeAsyncIterator()
            return try #require(try await iterator.next())
        }
        #expect(delivery.body == Array("still here".utf8))
        try await delivery.ack()
        for queue in [own, theirs, "dynamos.\(s).dead", "dynamos.\(t).dead"] { _ = try? await admin.deleteQueue(queue) }
        await steward.close()
        await third.close()
        await admin.close()
    }

    @Test("a party hands over only where its role allows: steward to the third party's first compute hop, third party to the stewards' inboxes, the orchestrator to inboxes")
    func handovers() async throws {
        let parties = try await ProvisionedParties.make()
        let (s, r, t, o) = (parties.steward, parties.otherSteward, parties.thirdParty, parties.orchestrator)
        let admin = try await ProvisionedParties.admin()
        let queues = [
            ("dynamos.\(t).aggregate", t), ("dynamos.\(t).aggregate.req-1", t), ("dynamos.\(t).graph", t),
            ("dynamos.\(s).agent", s), ("dynamos.\(s).query", s), ("dynamos.\(r).query", r),
        ]
        for (queue, owner) in queues { try await DynamosTopology.declare([queue], party: owner, on: admin) }
        let cases: [(String, String, Bool)] = [
            (s, "dynamos.\(t).aggregate", true), (s, "dynamos.\(t).aggregate.req-1", true),
            (s, "dynamos.\(t).graph", false), (s, "dynamos.\(r).query", false), (s, "dynamos.\(s).agent", true),
            (t, "dynamos.\(s).agent", true), (t, "dynamos.\(s).query", false), (t, "dynamos.\(t).graph", true),
            (o, "dynamos.\(s).agent", true), (o, "dynamos.\(s).query", false), (o, "dynamos.\(t).aggregate", false),
        ]
        for (user, key, allowed) in cases {
            let broker = try await parties.connect(user)
            let error = await refusal { try await broker.publish(message("hand over", to: key)) }
            if allowed {
                #expect(error == nil, "\(user) should reach \(key): \(String(describing: error))")
            } else {
                #expect(error?.code == .accessRefused, "\(user) reached \(key)")
            }
            await broker.close()
        }
        for (queue, owner) in queues + [("dynamos.\(s).dead", s), ("dynamos.\(t).dead", t), ("dynamos.\(r).dead", r)] {
            _ = owner
            _ = try? await admin.deleteQueue(queue)
        }
        await admin.close()
    }

    @Test("a refused publish fails alone: the others on the connection arrive or say to retry, none is lost")
    func refusalFailsAlone() async throws {
        let parties = try await ProvisionedParties.make()
        let (s, t) = (parties.steward, parties.thirdParty)
        let admin = try await ProvisionedParties.admin()
        let own = "dynamos.\(s).relay", theirs = "dynamos.\(t).graph"
        try await DynamosTopology.declare([own], party: s, on: admin)
        try await DynamosTopology.declare([theirs], party: t, on: admin)
        let steward = try await parties.connect(s)
        let consumer = try await steward.consume(queue: own, prefetch: 64)
        let outcomes = await withTaskGroup(of: (String, AMQPError?).self) { group in
            for index in 0..<20 {
                group.addTask { ("m\(index)", await refusal { try await steward.publish(message("m\(index)", to: own)) }) }
            }
            group.addTask { ("forged", await refusal { try await steward.publish(message("forged", to: theirs)) }) }
            var outcomes: [String: AMQPError?] = [:]
            for await (name, error) in group { outcomes[name] = error }
            return outcomes
        }
        #expect(outcomes["forged"].flatMap { $0 }?.code == .accessRefused)
        var retried = 0
        for index in 0..<20 {
            guard let outcome = outcomes["m\(index)"], let error = outcome else { continue }
            #expect(error.code == .channelClosed, "m\(index) failed for another reason: \(error)")
            #expect(error.hint?.contains("retry") == true)
            try await steward.publish(message("m\(index)", to: own))
            retried += 1
        }
        let received = try await within(.seconds(15), "every own message") {
            var seen: Set<String> = []
            var iterator = consumer.makeAsyncIterator()
            while seen.count < 20, let delivery = try await iterator.next() {
                seen.insert(String(decoding: delivery.body, as: UTF8.self))
                try await delivery.ack()
            }
            return seen
        }
        #expect(received == Set((0..<20).map { "m\($0)" }), "retried \(retried)")
        #expect(try await admin.inspectQueue(theirs).readyMessages == 0, "the forged message reached them")
        for queue in [own, theirs, "dynamos.\(s).dead", "dynamos.\(t).dead"] { _ = try? await admin.deleteQueue(queue) }
        await steward.close()
        await admin.close()
    }

    @Test("every delivery names its real sender: a user_id the caller set is replaced by the connection's user")
    func senderIsStamped() async throws {
        let parties = try await ProvisionedParties.make()
        let (s, t) = (parties.steward, parties.thirdParty)
        let admin = try await ProvisionedParties.admin()
        let handover = "dynamos.\(t).aggregate"
        try await DynamosTopology.declare([handover], party: t, on: admin)
        let steward = try await parties.connect(s)
        var forged = message("claims to be the third party", to: handover)
        forged.properties.userID = t
        try await steward.publish(forged)
        let delivery = try await within(.seconds(10), "the handed-over message") {
            var iterator = try await admin.consume(queue: handover, prefetch: 1).makeAsyncIterator()
            return try #require(try await iterator.next())
        }
        #expect(delivery.sender == s)
        #expect(delivery.isSent(byParty: s, orUser: admin.user))
        #expect(!delivery.isSent(byParty: t, orUser: t + "-other"))
        try await delivery.ack()
        for queue in [handover, "dynamos.\(t).dead"] { _ = try? await admin.deleteQueue(queue) }
        await steward.close()
        await admin.close()
    }
}
