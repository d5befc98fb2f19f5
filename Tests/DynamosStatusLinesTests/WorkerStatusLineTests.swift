@testable import DynamosStatusLines
import Foundation
import Testing

/// The status protocol both sides share: what the runtime writes is what the supervisor reads, by the scanner and
/// by `JSONDecoder` alike, for every event.
@Suite("Worker status lines", .timeLimit(.minutes(1)))
struct WorkerStatusLineTests {
    static func status(_ event: WorkerStatus.Event) -> WorkerStatus {
        WorkerStatus(
            event: event, service: "query", party: "VU", queue: "dynamos.VU.query", worker: "query-VU-4242",
            processed: 12, failed: 1, deadLettered: 3, inFlight: 2, lastActivity: 1_763_900_000_123_456,
            lastMessageMicros: 1_834)
    }

    @Test("every event round-trips through the line, scanned and decoded the same")
    func roundTrip() throws {
        for event in [WorkerStatus.Event.ready, .taken, .processed, .deadLettered, .returned, .held, .draining, .stopped] {
            let line = Self.status(event).line
            #expect(!line.contains("\n") && line.hasPrefix("{"))
            let scanned = try #require(WorkerStatus(flatLine: line), "the scanner reads \(line)")
            #expect(scanned == Self.status(event))
            #expect(try JSONDecoder().decode(WorkerStatus.self, from: Data(line.utf8)) == scanned)
            #expect(WorkerStatus(line: line) == scanned)
        }
    }

    @Test("a line with only some fields reads as zero and empty for the rest")
    func partialLine() {
        let expected = WorkerStatus(event: .ready, service: "", party: "", queue: "", worker: "", lastActivity: 0)
        #expect(WorkerStatus(line: #"{ "event" : "ready" }"#) == expected)
        #expect(WorkerStatus(flatLine: #"{"event":"ready"}"#) == expected)
    }

    @Test("the scanner leaves anything but a flat object of plain strings and integers to JSONDecoder")
    func othersFallBack() {
        for line in [
            #"{"event":"ready","queue":"a\/b"}"#, #"{"event":"ready","nested":{"a":1}}"#, #"{"event":"ready","x":1.5}"#,
            #"{"event":"ready","x":true}"#, #"{"processed":1}"#, #"{"event":"ready""#, #"{"event":"ready"} trailing"#,
            "{}", "not json", #"{"event":"ready","processed":99999999999999999999}"#, #"{"event":"exploded"}"#,
        ] {
            #expect(WorkerStatus(flatLine: line) == nil, "\(line)")
        }
        #expect(WorkerStatus(line: #"{"event":"ready","queue":"a\/b"}"#)?.queue == "a/b", "JSONDecoder reads escapes")
        #expect(WorkerStatus(line: #"{"event":"exploded"}"#) == nil, "an unknown event is no report")
        #expect(WorkerStatus(line: "2026-12-07 info consuming") == nil, "a log line is no report")
    }
}
