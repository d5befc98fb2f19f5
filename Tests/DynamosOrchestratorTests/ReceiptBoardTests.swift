import DynamosControl
import DynamosOrchestrator
import Testing

@Suite("Composition receipts")
struct ReceiptBoardTests {
    @Test("the wait ends when every party accepted")
    func allAccept() async {
        let board = ReceiptBoard()
        await board.expect(jobId: "j", revision: 1, from: ["UVA", "SURF"])
        await board.receive(CompositionReceipt(jobId: "j", party: "UVA", revision: 1))
        async let failures = board.wait(jobId: "j", revision: 1, timeout: .seconds(30))
        await board.receive(CompositionReceipt(jobId: "j", party: "SURF", revision: 2))
        await board.receive(CompositionReceipt(jobId: "j", party: "SURF", revision: 1))
        #expect(await failures.isEmpty)
    }

    @Test("a refusal ends the wait at once with its reason; silence ends it at the timeout")
    func refusalAndSilence() async {
        let board = ReceiptBoard()
        await board.expect(jobId: "j", revision: 1, from: ["UVA", "VU"])
        await board.receive(CompositionReceipt(jobId: "j", party: "UVA", revision: 1, refusal: "job j is revoked"))
        let refused = await board.wait(jobId: "j", revision: 1, timeout: .seconds(30))
        #expect(refused == ["UVA": "job j is revoked", "VU": "no answer"])
        await board.expect(jobId: "k", revision: 1, from: ["RUG"])
        let silent = await board.wait(jobId: "k", revision: 1, timeout: .milliseconds(20))
        #expect(silent["RUG"]?.hasPrefix("no answer within") == true)
    }
}
