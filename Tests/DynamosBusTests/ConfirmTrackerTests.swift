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
                tracker.track { _ in _ = payload }
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
        for index in 1...3 { tracker.track { _ in outcomes.append(index) } }
        for (completion, result) in tracker.settle(tag: 2, multiple: false, acknowledged: true) { completion(result) }
        #expect(outcomes == [2])
        #expect(tracker.inFlight == 2)
        for (completion, result) in tracker.settle(tag: 3, multiple: true, acknowledged: true) { completion(result) }
        #expect(outcomes == [2, 1, 3])
        #expect(tracker.inFlight == 0)
    }
}
