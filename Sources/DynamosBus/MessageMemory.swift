import CRabbitMQ
import Glibc

/// Process-wide allocator settings for processes that move multi-megabyte messages.
///
/// glibc serves allocations above its mmap threshold with fresh `mmap`ed pages and returns freed memory at the top
/// of a heap to the kernel. A worker that receives one 4 MB body after another then pays a page fault and a page
/// clear for every 4 KiB of every message (a quarter of its CPU time in the bus benchmark). Raising both thresholds
/// keeps such buffers in the heap and reuses them.
public enum MessageMemory {
    /// Largest allocation kept in the heap rather than mapped on its own (glibc's ceiling for this setting).
    public static let mmapThreshold: Int32 = 32 << 20
    /// Free memory at the top of a heap kept for reuse before it is returned to the kernel.
    public static let trimThreshold: Int32 = 256 << 20

    /// Malloc arenas at most: glibc otherwise opens up to eight per core for the threads that allocate, and each
    /// keeps the buffers of the largest message it saw (measured: 37 MB against 23 MB idle per relay worker).
    public static let arenaLimit: Int32 = 2

    /// Applies the settings; call once, early in `main`. Variables such as `MALLOC_MMAP_THRESHOLD_` set by the
    /// operator take precedence.
    public static func configureForLargeMessages() {
        if getenv("MALLOC_MMAP_THRESHOLD_") == nil { _ = mallopt(M_MMAP_THRESHOLD, mmapThreshold) }
        if getenv("MALLOC_TRIM_THRESHOLD_") == nil { _ = mallopt(M_TRIM_THRESHOLD, trimThreshold) }
        if getenv("MALLOC_ARENA_MAX") == nil { _ = mallopt(M_ARENA_MAX, arenaLimit) }
    }

    /// Returns the heap's free memory to the kernel (`malloc_trim`): what an idle worker does, so the buffers it
    /// kept for reuse while busy do not stay resident while nothing comes.
    public static func releaseUnused() {
        _ = malloc_trim(0)
    }
}
