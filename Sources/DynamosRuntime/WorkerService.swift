public import ServiceLifecycle

/// A worker runtime as a lifecycle service, so a worker process runs in a `ServiceGroup` like the agent and the
/// orchestrator: the group's graceful shutdown (SIGTERM, SIGINT) and cancellation both drain the runtime (intake
/// stops, in-flight messages are finished and acknowledged), and ``run()`` returns once nothing is in flight.
public struct WorkerService: Service {
    public let runtime: WorkerRuntime

    public init(runtime: WorkerRuntime) {
        self.runtime = runtime
    }

    public func run() async throws {
        let runtime = runtime
        try await withTaskCancellationHandler {
            try await withGracefulShutdownHandler {
                try await runtime.run()
            } onGracefulShutdown: {
                Task { await runtime.drain() }
            }
        } onCancel: {
            Task { await runtime.drain() }
        }
    }
}
