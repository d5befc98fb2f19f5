/// What an agent asks of whoever runs its workers: make sure a worker consumes each service's queue (persistent
/// mode), or start one worker for one message on a per-request queue (ephemeral mode).
///
/// `Supervisor` runs local worker processes; a Kubernetes backend would slot in behind the same protocol.
public protocol WorkerProvisioner: Sendable {
    /// Makes sure each of `services` has a ready worker at the agent's party.
    /// - Returns: how long each service that had no ready worker took to get one (the cold path).
    func ensureRunning(_ services: [String]) async throws -> [String: Duration]

    /// Starts a worker of `service` that handles the one message (one request, for the aggregate) waiting in
    /// `queue` and exits.
    func spawnOnce(_ service: String, queue: String) async throws -> any WorkerHandle

    /// Stops every worker it started: drain, then exit.
    func shutdown() async
}

/// Workers managed outside the agent (started by hand, by a test, or by another supervisor): nothing to do, and
/// no ephemeral mode.
public struct ExternalWorkers: WorkerProvisioner {
    public init() {}

    public func ensureRunning(_ services: [String]) async throws -> [String: Duration] { [:] }

    public func spawnOnce(_ service: String, queue: String) async throws -> any WorkerHandle {
        throw SupervisorError("this agent does not start workers (--workers external), so it cannot run ephemerally")
    }

    public func shutdown() async {}
}
