import Dispatch

/// A task executor backed by one serial dispatch queue, for handlers that block (SQLite, Cairo) and must not
/// occupy the cooperative thread pool that the runtime's consumers and other handlers share.
///
/// Run blocking work under it with `withTaskExecutorPreference(executor) { ... }`; default actors called from
/// there (the query engine) run their jobs on it too. Jobs run one at a time, in order.
public final class BlockingExecutor: TaskExecutor {
    private let queue: DispatchQueue

    /// - Parameter label: names the thread in debuggers and crash reports.
    public init(label: String) {
        queue = DispatchQueue(label: label, qos: .userInitiated)
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
