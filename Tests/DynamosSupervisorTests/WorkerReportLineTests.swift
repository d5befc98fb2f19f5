import DynamosSupervisor
import Foundation
import Testing

@Suite("Worker status lines")
struct WorkerReportLineTests {
    @Test("the scanner reads what the runtime writes, the same as JSONDecoder")
    func sameAsDecoder() throws {
        let line = #"{"deadLettered":0,"event":"processed","failed":1,"inFlight":2,"lastActivity":1763900000123456,"# +
            #""lastMessageMicros":1834,"party":"VU","processed":12,"queue":"dynamos.VU.query","service":"query","# +
            #""worker":"query-VU-4242"}"#
        let scanned = try #require(WorkerReport(statusLine: line))
        let decoded = try JSONDecoder().decode(WorkerReport.self, from: Data(line.utf8))
        #expect(scanned == decoded)
        #expect(scanned == WorkerReport(event: "processed", processed: 12, failed: 1, inFlight: 2, lastMessageMicros: 1834))
        #expect(WorkerReport(statusLine: #"{ "event" : "ready" }"#) == WorkerReport(event: "ready"))
    }

    @Test("anything but a flat object of plain strings and integers is left to JSONDecoder")
    func othersFallBack() {
        for line in [
            #"{"event":"ready","queue":"a\/b"}"#, #"{"event":"ready","nested":{"a":1}}"#, #"{"event":"ready","x":1.5}"#,
            #"{"event":"ready","x":true}"#, #"{"processed":1}"#, #"{"event":"ready""#, #"{"event":"ready"} trailing"#,
            "{}", "not json", #"{"event":"ready","processed":99999999999999999999}"#,
        ] {
            #expect(WorkerReport(statusLine: line) == nil, "\(line)")
        }
    }
}
