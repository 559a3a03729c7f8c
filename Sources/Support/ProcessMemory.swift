#if canImport(Glibc)
import Glibc
#endif

/// The process's allocator, tuned for jobs that read thousands of files in a row.
public enum ProcessMemory {
    /// Reading thousands of files allocates and frees the same few megabytes over and over; with
    /// glibc's defaults each reading thread's heap is trimmed back to the system after a file and
    /// faulted in again for the next (page faults were ~15 % of a merge's CPU time, as system time).
    /// Freed memory is kept for reuse instead (up to 256 MiB at the top of a heap), once per process.
    /// Peak memory is unchanged: the memory is reused, not added to. Elsewhere than glibc: nothing.
    public static func keepFreedMemoryForReuse() { _ = once }

    private static let once: Void = {
        #if canImport(Glibc)
        // <malloc.h> is not in the Glibc module: mallopt is looked up (RTLD_DEFAULT is a null handle).
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(nil, "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        let trimThreshold: Int32 = -1, topPad: Int32 = -2  // M_TRIM_THRESHOLD, M_TOP_PAD
        _ = mallopt(trimThreshold, 256 << 20)
        _ = mallopt(topPad, 16 << 20)
        #endif
    }()
}
