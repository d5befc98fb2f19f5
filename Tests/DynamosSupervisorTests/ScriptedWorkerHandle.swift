import DynamosSupervisor
import Synchronization

/// A worker without a process, for supervisor tests: it exits when killed, and when drained if it `obeysDrain`
/// (a stubborn one ignores its SIGTERM, as a worker that lost the signal would).
final class ScriptedWorkerHandle: WorkerHandle {
    let obeysDrain: Bool
    let kills = Atomic<Int>(0)
    private let exit = Mutex<(status: Int32?, waiters: [CheckedContinuation<Int32, Never>])>((nil, []))

    init(obeysDrain: Bool = true) {
        self.obeysDrain = obeysDrain
    }

    var pid: Int32 { 4_242 }
    func residentBytes() -> Int? { nil }

    func drain() {
        if obeysDrain { end(0) }
    }

    func kill() {
        kills.add(1, ordering: .relaxed)
        end(137)
    }

    func exitStatus() async -> Int32 {
        await withCheckedContinuation { continuation in
            let done = exit.withLock { state in
                if state.status == nil { state.waiters.append(continuation) }
                return state.status
            }
            if let done { continuation.resume(returning: done) }
        }
    }

    private func end(_ code: Int32) {
        let waiting = exit.withLock { state -> [CheckedContinuation<Int32, Never>] in
            guard state.status == nil else { return [] }
            state.status = code
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiting { waiter.resume(returning: code) }
    }
}
