#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// When a process was asked for, carried to the child in its environment, so the child can report its whole
/// start-up (fork, exec, loading the libraries, initialising) rather than only the part after `main` began.
///
/// The clock is `CLOCK_MONOTONIC`, which every process on the machine shares.
public enum SpawnClock {
    /// The environment variable that holds the spawn instant, in nanoseconds of `CLOCK_MONOTONIC`.
    public static let environmentVariable = "DYNAMOS_SPAWNED_AT_NS"

    /// Now, in nanoseconds of `CLOCK_MONOTONIC`.
    public static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// `environment` with the spawn instant set to now.
    public static func stamped(_ environment: [String: String]) -> [String: String] {
        var stamped = environment
        stamped[environmentVariable] = String(now())
        return stamped
    }

    /// The time since the parent stamped this process's environment; nil when it did not (started by hand).
    public static func sinceSpawn(environment: [String: String]) -> Duration? {
        guard let text = environment[environmentVariable], let spawned = UInt64(text) else { return nil }
        let current = now()
        guard current >= spawned, current - spawned < 600_000_000_000 else { return nil }
        return .nanoseconds(Int64(current - spawned))
    }
}
