import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The cores this process may run on.
public enum Processors {
    /// Cores the process may use: the active processors (Foundation, which also reads cgroup
    /// quotas), and no more than its CPU affinity allows (`taskset -c 0` gives one core, while
    /// `activeProcessorCount` still counts the machine's). At least 1.
    public static var usable: Int {
        let active = ProcessInfo.processInfo.activeProcessorCount
        #if canImport(Glibc)
        // sched_getaffinity is a GNU extension the Glibc module does not show: looked up (RTLD_DEFAULT
        // is a null handle), with a cpu_set_t of 1,024 bits.
        typealias GetAffinity = @convention(c) (pid_t, Int, UnsafeMutableRawPointer) -> Int32
        if let symbol = dlsym(nil, "sched_getaffinity") {
            let getAffinity = unsafeBitCast(symbol, to: GetAffinity.self)
            var set = [UInt64](repeating: 0, count: 16)
            let status = set.withUnsafeMutableBytes { getAffinity(0, $0.count, $0.baseAddress!) }
            let allowed = set.reduce(0) { $0 + $1.nonzeroBitCount }
            if status == 0 && allowed > 0 { return max(1, min(active, allowed)) }
        }
        #endif
        return max(1, active)
    }
}
