import DynamosStatusLines
import Testing

/// The daemons' ready line: what an agent prints is what `dynamos up` reads; other output is not taken for it.
@Suite("Daemon ready lines", .timeLimit(.minutes(1)))
struct DaemonReadyTests {
    @Test("an agent's and the orchestrator's lines round-trip; a worker's ready status and noise do not read as one")
    func roundTrip() {
        let agent = DaemonReady(service: .agent, party: "UVA", url: "https://127.0.0.1:40123")
        #expect(agent.line == #"{"event":"ready","party":"UVA","service":"agent","url":"https://127.0.0.1:40123"}"#)
        #expect(DaemonReady(line: agent.line) == agent)
        let orchestrator = DaemonReady(service: .orchestrator, url: "http://127.0.0.1:8080")
        #expect(DaemonReady(line: orchestrator.line)?.party == nil)
        #expect(DaemonReady(line: #"{"event":"ready","service":"query","party":"VU","queue":"q"}"#) == nil)
        #expect(DaemonReady(line: "listening on 8080") == nil)
        #expect(DaemonReady(line: #"{"event":"stopped","service":"agent","url":"x"}"#) == nil)
    }
}
