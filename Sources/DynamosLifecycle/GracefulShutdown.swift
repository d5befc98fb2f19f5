import ServiceLifecycle

/// Runs `body` until graceful shutdown, which cancels it; the cancellation that shutdown causes ends the service
/// normally instead of failing its `ServiceGroup` (and the process's exit status).
public func runUntilGracefulShutdown(_ body: @escaping @Sendable () async throws -> Void) async throws {
    do {
        try await cancelWhenGracefulShutdown(body)
    } catch is CancellationError where Task.isShuttingDownGracefully || Task.isCancelled {
        return
    }
}
