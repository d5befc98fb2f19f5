import DynamosAgent
import DynamosControl
import Testing

/// The limits that keep an agent up: a user's requests in flight, and ephemeral runs with a short fair wait.
@Suite("admission control", .timeLimit(.minutes(1)))
struct AdmissionControlTests {
    @Test("a user past their in-flight limit gets 429 with Retry-After; others are not affected; a release frees")
    func perUser() throws {
        let admission = AdmissionControl()
        let first = try admission.admit(user: "ann", limit: 2)
        _ = try admission.admit(user: "ann", limit: 2)
        let refused = #expect(throws: ControlError.self) { try admission.admit(user: "ann", limit: 2) }
        #expect(refused?.code == .tooManyRequests && refused?.code.status == 429)
        #expect(refused?.retryAfterSeconds == 1 && refused?.reason == "userInFlightLimit")
        _ = try admission.admit(user: "bob", limit: 2)
        first.release()
        first.release()
        _ = try admission.admit(user: "ann", limit: 2)
        #expect(throws: ControlError.self) { try admission.admit(user: "ann", limit: 2) }
    }

    @Test("an ephemeral run past the limit waits for one to end, in order; with none ending it gets 429")
    func ephemeral() async throws {
        let admission = AdmissionControl()
        let running = try await admission.ephemeralRun(limit: 1, party: "VU", wait: .seconds(1))
        #expect(admission.ephemeralRunning == 1)
        let refused = await #expect(throws: ControlError.self) {
            _ = try await admission.ephemeralRun(limit: 1, party: "VU", wait: .milliseconds(50))
        }
        #expect(refused?.code == .tooManyRequests && refused?.retryAfterSeconds == 2 && refused?.party == "VU")
        async let waiting = admission.ephemeralRun(limit: 1, party: "VU", wait: .seconds(20))
        try await Task.sleep(for: .milliseconds(50))
        running.release()
        let next = try await waiting
        #expect(admission.ephemeralRunning == 1)
        next.release()
        #expect(admission.ephemeralRunning == 0)
    }

    @Test("a waiting run that is cancelled leaves no slot taken")
    func cancelled() async throws {
        let admission = AdmissionControl()
        let running = try await admission.ephemeralRun(limit: 1, party: "VU", wait: .seconds(1))
        let waiter = Task { try await admission.ephemeralRun(limit: 1, party: "VU", wait: .seconds(30)) }
        try await Task.sleep(for: .milliseconds(50))
        waiter.cancel()
        let result = await waiter.result
        #expect(throws: ControlError.self) { try result.get() }
        running.release()
        #expect(admission.ephemeralRunning == 0)
        _ = try await admission.ephemeralRun(limit: 1, party: "VU", wait: .zero)
    }

    @Test("many runs racing for two places, each held briefly, all get one in time and leave none taken")
    func race() async throws {
        let admission = AdmissionControl()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<200 {
                group.addTask {
                    let slot = try await admission.ephemeralRun(limit: 2, party: "VU", wait: .seconds(30))
                    #expect(admission.ephemeralRunning <= 2)
                    await Task.yield()
                    slot.release()
                }
            }
            try await group.waitForAll()
        }
        #expect(admission.ephemeralRunning == 0)
    }
}
