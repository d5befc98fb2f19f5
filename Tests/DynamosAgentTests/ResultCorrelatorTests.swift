import DynamosAgent
import DynamosMessages
import Testing

@Suite("Result correlation")
struct ResultCorrelatorTests {
    static func result(_ id: String) -> Dynamos_MicroserviceCommunication {
        var message = Dynamos_MicroserviceCommunication()
        message.requestMetadata.requestID = id
        return message
    }

    @Test("a result that arrives before its waiter is kept for it")
    func early() async {
        let correlator = ResultCorrelator()
        await correlator.expect("a")
        #expect(await correlator.deliver(Self.result("a")))
        #expect(await correlator.wait(for: "a", timeout: .seconds(5))?.requestMetadata.requestID == "a")
    }

    @Test("a waiter gets its own result, not another request's")
    func matching() async {
        let correlator = ResultCorrelator()
        await correlator.expect("a")
        await correlator.expect("b")
        async let a = correlator.wait(for: "a", timeout: .seconds(5))
        async let b = correlator.wait(for: "b", timeout: .seconds(5))
        while await correlator.waiting < 2 { await Task.yield() }
        #expect(await correlator.deliver(Self.result("b")))
        #expect(await correlator.deliver(Self.result("a")))
        #expect(await a?.requestMetadata.requestID == "a")
        #expect(await b?.requestMetadata.requestID == "b")
    }

    @Test("a wait ends with nil after its timeout, and the late result is refused")
    func timeout() async {
        let correlator = ResultCorrelator()
        await correlator.expect("slow")
        #expect(await correlator.wait(for: "slow", timeout: .milliseconds(20)) == nil)
        #expect(await correlator.deliver(Self.result("slow")) == false)
        #expect(await correlator.deliver(Self.result("stray")) == false)
    }
}
