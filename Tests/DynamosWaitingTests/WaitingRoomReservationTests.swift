import DynamosWaiting
import Testing

/// Reserved places (a value resumed before the wait begins is kept for it) and waits that ignore cancellation.
extension WaitingRoomTests {
    @Test("a reserved place gets a value, a cancel or a closing that comes before its wait begins")
    func reservation() async {
        let room = WaitingRoom<String, Int>()
        let early = room.reserve("a")
        #expect(room.count == 1, "a reserved place counts as a waiter")
        #expect(room.resume("a", with: 1) == 1)
        #expect(room.resume("a", with: 2) == 0, "the place was given its value already")
        #expect(await room.wait(early) == 1)
        let cancelled = room.reserve("b")
        room.cancel("b")
        #expect(await room.wait(cancelled, timeout: .seconds(5)) == nil)
        let closed = room.reserve("c")
        room.resumeAll()
        #expect(await room.wait(closed, timeout: .seconds(5)) == nil)
        let latched = room.reserve("d")
        room.settle("d", with: 4)
        #expect(await room.wait(latched) == 4)
        #expect(room.count == 0)
    }

    @Test("a reserved place times out and is cancelled like any wait, and a late value then reaches nobody")
    func reservationGivesUp() async {
        let room = WaitingRoom<String, Int>()
        #expect(await room.wait(room.reserve("a"), timeout: .milliseconds(20)) == nil)
        #expect(room.resume("a", with: 1) == 0)
        let cancelled = room.reserve("b")
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await room.wait(cancelled)
        }
        #expect(await task.value == nil)
        #expect(room.resume("b", with: 1) == 0 && room.count == 0)
    }

    @Test("reserved under another lock and resumed from other threads while many wait: each gets its own value once")
    func reservationRace() async {
        let room = WaitingRoom<Int, Int>()
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<300 {
                let place = room.reserve(index)
                group.addTask { #expect(room.resume(index, with: index) == 1) }
                group.addTask { #expect(await room.wait(place, timeout: .seconds(30)) == index) }
            }
        }
        #expect(room.count == 0)
    }

    @Test("a wait that ignores cancellation waits on when its task is cancelled, until its value or its timeout")
    func ignoringCancellation() async throws {
        let room = WaitingRoom<String, Int>()
        let waiting = Task { await room.wait(for: "x", ignoringCancellation: true) }
        while room.count != 1 { try await Task.sleep(for: .milliseconds(1)) }
        waiting.cancel()
        try await Task.sleep(for: .milliseconds(50))
        #expect(room.count == 1, "still waiting")
        room.resume("x", with: 3)
        #expect(await waiting.value == 3)
        let bounded = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            let started = ContinuousClock.now
            let value = await room.wait(for: "y", timeout: .milliseconds(100), ignoringCancellation: true)
            return (value, started.duration(to: .now))
        }
        let (value, waited) = await bounded.value
        #expect(value == nil && waited >= .milliseconds(90), "the timeout holds, cancellation does not end it early")
        #expect(room.count == 0)
    }
}
