import DynamosWaiting
import Testing

/// The waiting primitive, once for every user of it: a value, a timeout, a cancellation and a closed room each
/// resume a waiter exactly once, and nothing is left registered afterwards.
@Suite("WaitingRoom", .timeLimit(.minutes(1)))
struct WaitingRoomTests {
    /// Waits until `room` has `count` waiters (they register asynchronously).
    private func waiters(_ room: WaitingRoom<String, Int>, reach count: Int) async throws {
        while room.count != count { try await Task.sleep(for: .milliseconds(1)) }
    }

    @Test("every waiter of a key gets the value; other keys keep waiting")
    func resumeByKey() async throws {
        let room = WaitingRoom<String, Int>()
        async let first = room.wait(for: "a")
        async let second = room.wait(for: "a")
        async let other = room.wait(for: "b", timeout: .milliseconds(200))
        try await waiters(room, reach: 3)
        #expect(room.resume("a", with: 7) == 2)
        let (one, two, three) = await (first, second, other)
        #expect(one == 7 && two == 7)
        #expect(three == nil, "b timed out")
        #expect(room.count == 0)
        #expect(room.resume("a", with: 8) == 0, "nobody waits any more")
    }

    @Test("a timeout resumes with nil after about its duration, not before")
    func timeout() async {
        let room = WaitingRoom<String, Int>()
        let started = ContinuousClock.now
        #expect(await room.wait(for: "x", timeout: .milliseconds(100)) == nil)
        #expect(started.duration(to: .now) >= .milliseconds(90))
        #expect(room.count == 0)
    }

    @Test("cancelling the waiting task resumes it with nil, also before it registered")
    func cancellation() async throws {
        let room = WaitingRoom<String, Int>()
        let waiting = Task { await room.wait(for: "x") }
        try await waiters(room, reach: 1)
        waiting.cancel()
        #expect(await waiting.value == nil)
        #expect(room.count == 0)
        let early = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await room.wait(for: "y")
        }
        #expect(await early.value == nil)
        #expect(room.count == 0)
    }

    @Test("closing the room resumes everyone with nil")
    func resumeAll() async throws {
        let room = WaitingRoom<String, Int>()
        async let a = room.wait(for: "a")
        async let b = room.wait(for: "b")
        try await waiters(room, reach: 2)
        room.resumeAll()
        let (one, two) = await (a, b)
        #expect(one == nil && two == nil)
    }

    @Test("many waiters racing values, timeouts and cancellations are each resumed exactly once")
    func race() async {
        let room = WaitingRoom<String, Int>()
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<500 {
                let key = "k\(index % 50)"
                group.addTask {
                    let value = await room.wait(for: key, timeout: .milliseconds(Int64(index % 7)))
                    #expect(value == nil || value == index % 50)
                }
                if index % 3 == 0 { group.addTask { room.resume(key, with: index % 50) } }
            }
        }
        #expect(room.count == 0)
    }
}

extension WaitingRoomTests {
    @Test("a settled key answers waiters now and later, from any context, without a race")
    func settle() async throws {
        let room = WaitingRoom<Int, String>()
        let early = Task { await room.wait(for: 0) }
        while room.count != 1 { try await Task.sleep(for: .milliseconds(1)) }
        #expect(room.settled(0) == nil)
        room.settle(0, with: "http://127.0.0.1:8081")
        #expect(await early.value == "http://127.0.0.1:8081")
        #expect(await room.wait(for: 0) == "http://127.0.0.1:8081", "a later wait returns at once")
        #expect(room.settled(0) == "http://127.0.0.1:8081" && room.count == 0)
        // Settling while many wait: each gets the value exactly once, whether it registered before or after.
        let other = WaitingRoom<Int, Int>()
        await withTaskGroup(of: Int?.self) { group in
            for _ in 0..<200 { group.addTask { await other.wait(for: 1) } }
            group.addTask { other.settle(1, with: 42); return 42 }
            for await value in group { #expect(value == 42) }
        }
    }
}
