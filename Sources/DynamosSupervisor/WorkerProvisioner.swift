/// The supervisor hook an agent calls before it publishes a request: make sure a worker consumes each queue.
///
/// `ProcessWorkerProvisioner` spawns `dynamos worker` processes; the supervisor (pools, reaper, scaling) and a
/// Kubernetes backend slot in behind the same protocol.
public protocol WorkerProvisioner: Sendable {
    /// Makes sure each of `services` has a ready worker at the agent's party.
    /// - Returns: the spawn-to-ready time of each service that had to be started now (the cold path).
    func ensureRunning(_ services: [String]) async throws -> [String: Duration]

    /// Stops every worker it started: drain, then exit.
    func shutdown() async
}

/// Workers managed outside the agent (started by hand, by a test, or by another supervisor): nothing to do.
public struct ExternalWorkers: WorkerProvisioner {
    public init() {}

    public func ensureRunning(_ services: [String]) async throws -> [String: Duration] { [:] }

    public func shutdown() async {}
}
