public import DynamosStatusLines

/// How the supervisor gets a worker process: the seam where a Kubernetes backend would replace local processes.
public protocol WorkerSpawner: Sendable {
    /// Starts a worker for `request`; every status line it reports is passed to `onStatus`.
    func spawn(
        _ request: SpawnRequest, onStatus: @escaping @Sendable (WorkerStatus) -> Void
    ) throws -> any WorkerHandle
}

/// What to start: one worker of `service` at `party`, on its own queue or the service's.
public struct SpawnRequest: Sendable, Equatable {
    public var service: String
    public var party: String
    /// A queue other than `dynamos.<party>.<service>` (ephemeral per-request queues).
    public var queue: String?
    /// Handle one message (one request for the aggregate), then exit.
    public var once: Bool

    public init(service: String, party: String, queue: String? = nil, once: Bool = false) {
        self.service = service
        self.party = party
        self.queue = queue
        self.once = once
    }
}

/// A running worker as its supervisor sees it: signal it, await its end, read its memory.
public protocol WorkerHandle: Sendable {
    var pid: Int32 { get }
    /// SIGTERM: stop intake, finish and acknowledge what is in flight, exit.
    func drain()
    /// SIGKILL: no drain; the broker redelivers whatever was unacknowledged.
    func kill()
    /// The exit status once the worker ended: the code, or 128 + the signal.
    func exitStatus() async -> Int32
    /// Resident memory now, when it can be read.
    func residentBytes() -> Int?
}

extension WorkerHandle {
    /// Waits up to `deadline` for the worker to exit; if it has not, kills it and waits for that.
    /// - Returns: whether it exited on its own.
    @discardableResult
    public func exit(within deadline: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { race in
            race.addTask { _ = await exitStatus(); return true }
            race.addTask { try? await Task.sleep(for: deadline); return false }
            let first = await race.next() ?? false
            // The group returns only when both children have: the exit waiter cannot be cancelled, so the kill
            // must come first, or a worker that ignores its drain is waited for forever (its pool never shrinks).
            if !first { kill() }
            race.cancelAll()
            return first
        }
    }
}
