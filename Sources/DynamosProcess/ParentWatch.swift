#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Notices that the process which started this one is gone, so a supervised worker does not outlive its agent.
///
/// A worker whose agent was killed (SIGKILL, the OOM killer) used to run on as an orphan: it kept consuming its
/// party's queue beside the workers of the agent started next, past the pool's limits, and with the old broker
/// password it retried its login for ever. `PR_SET_PDEATHSIG` cannot be used: it fires when the *thread* that
/// spawned the child ends, and the agent spawns from threads of the concurrency pool that come and go; `pidfd_open`
/// needs the variadic `syscall`, which Swift cannot call. So the parent is polled: once a second, `getppid()`.
public enum ParentWatch {
    /// Calls `gone` once when this process is re-parented (its parent exited), checking every `interval`.
    /// Cancel the returned task to stop watching.
    public static func start(
        every interval: Duration = .seconds(1), _ gone: @escaping @Sendable () async -> Void
    ) -> Task<Void, Never> {
        let parent = getppid()
        return Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                if Task.isCancelled { return }
                if getppid() != parent {
                    await gone()
                    return
                }
            }
        }
    }
}
