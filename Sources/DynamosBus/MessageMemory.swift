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

    /// Applies the settings; call once, early in `main`. Variables such as `MALLOC_MMAP_THRESHOLD_` set by the
    /// operator take precedence.
    public static func configureForLargeMessages() {
        if getenv("MALLOC_MMAP_THRESHOLD_") == nil { _ = mallopt(M_MMAP_THRESHOLD, mmapThreshold) }
        if getenv("MALLOC_TRIM_THRESHOLD_") == nil { _ = mallopt(M_TRIM_THRESHOLD, trimThreshold) }
    }
}
