#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A regular file read whole with one `open`, `fstat` and `read` loop, for callers that would
/// otherwise open it several times (the merge hashes each input and then reads it).
public struct FileContents: Sendable {
    public let bytes: [UInt8]
    /// The modification time `fstat` gave.
    public let modified: Date

    /// The file's bytes, or nil when `path` cannot be opened, is not a regular file (a folder, a
    /// pipe), is larger than `maxBytes`, or cannot be read whole: callers then take their usual
    /// path by name, which reports the problem as it always has.
    public static func load(_ path: String, maxBytes: Int) -> FileContents? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & mode_t(S_IFMT)) == mode_t(S_IFREG), st.st_size >= 0, Int(st.st_size) <= maxBytes else {
            return nil
        }
        let size = Int(st.st_size)
        var failed = false
        // One byte more than the size says, to notice a file that grew while being read.
        let bytes = [UInt8](unsafeUninitializedCapacity: size + 1) { buffer, count in
            var done = 0
            while done < buffer.count {
                let n = read(fd, buffer.baseAddress! + done, buffer.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    failed = true
                    break
                }
                if n == 0 { break }
                done += n
            }
            count = done
        }
        guard !failed, bytes.count == size else { return nil }
        let modified = Date(timeIntervalSince1970: Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9)
        return FileContents(bytes: bytes, modified: modified)
    }
}
