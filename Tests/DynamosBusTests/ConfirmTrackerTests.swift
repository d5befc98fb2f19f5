@testable import DynamosBus
import Testing

/// The confirm bookkeeping keeps nothing it settled: a forwarded delivery's body lives in its completion, and a
/// settled prefix that kept completions held a megabyte per forwarded message until a thousand had piled up.
@Suite("Confirm tracker")
struct ConfirmTrackerTests {
    final class Payload: Sendable {}

    @Test("settled completions are released, one by one and with multiple")
    func releasesSettledCompletions() {
        var tracker = ConfirmTracker()
        weak var first: Payload?
        weak var second: Payload?
        weak var third: Payload?
        do {
            let payloads = [Payload(), Payload(), Payload()]
            (first, second, third) = (payloads[0], payloads[1], payloads[2])
            for payload in payloads {
                tracker.track(exchange: "x", routingKey: "k") { _ in _ = payload }
            }
        }
        #expect(first != nil && second != nil && third != nil)
        #expect(tracker.settle(tag: 1, multiple: false, acknowledged: true).count == 1)
        #expect(first == nil)
        #expect(second != nil)
        #expect(tracker.settle(tag: 3, multiple: true, acknowledged: true).count == 2)
        #expect(second == nil && third == nil)
        #expect(tracker.inFlight == 0)
    }

    @Test("an ack out of order settles only its own publish")
    func outOfOrder() {
        var tracker = ConfirmTracker()
        var outcomes: [Int] = []
        for index in 1...3 { tracker.track(exchange: "x", routingKey: "k") { _ in outcomes.append(index) } }
        for (completion, result) in tracker.settle(tag: 2, multiple: false, acknowledged: true) { completion(result) }
        #expect(outcomes == [2])
        #expect(tracker.inFlight == 2)
        for (completion, result) in tracker.settle(tag: 3, multiple: true, acknowledged: true) { completion(result) }
        #expect(outcomes == [2, 1, 3])
        #expect(tracker.inFlight == 0)
    }

    @Test("a refusal fails the publish it names; the others fail with a retryable error; unnamed, all fail with it")
    func refusalNamesItsPublish() {
        var tracker = ConfirmTracker()
        var outcomes: [String: AMQPError.Code] = [:]
        for key in ["dynamos.UVA.query", "dynamos.VU.query", "dynamos.UVA.results"] {
            tracker.track(exchange: "dynamos", routingKey: key) { result in
                if case .failure(let error) = result { outcomes[key] = error.code }
            }
        }
        let refused = AMQPError(.accessRefused, replyCode: 403, message: "refused")
        let others = AMQPError(.channelClosed, message: "retry")
        for (completion, result) in tracker.failAll(
            refused: refused, exchange: "dynamos", routingKey: "dynamos.VU.query", others: others)
        {
            completion(result)
        }
        #expect(outcomes == [
            "dynamos.UVA.query": .channelClosed, "dynamos.VU.query": .accessRefused, "dynamos.UVA.results": .channelClosed,
        ])
        #expect(tracker.inFlight == 0)
        outcomes = [:]
        tracker.track(exchange: "", routingKey: "dynamos.UVA.query") { result in
            if case .failure(let error) = result { outcomes["default"] = error.code }
        }
        tracker.track(exchange: "dynamos", routingKey: "dynamos.UVA.query") { result in
            if case .failure(let error) = result { outcomes["topic"] = error.code }
        }
        for (completion, result) in tracker.failAll(
            refused: refused, exchange: "amq.default", routingKey: nil, others: others)
        {
            completion(result)
        }
        #expect(outcomes == ["default": .accessRefused, "topic": .channelClosed])
        tracker.track(exchange: "dynamos", routingKey: "a") { result in
            if case .failure(let error) = result { outcomes["unnamed"] = error.code }
        }
        for (completion, result) in tracker.failAll(refused: refused, exchange: nil, routingKey: nil, others: others) {
            completion(result)
        }
        #expect(outcomes["unnamed"] == .accessRefused)
    }
}
