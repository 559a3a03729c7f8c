#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Inputs that are not regular files: a pipe (`bieumau validate /dev/stdin < f.csv` through a
/// shell pipe, `<(…)`) or a FIFO (`mkfifo`). They cannot be read twice (format sniffing, then the
/// reader), so they are read once into memory, bounded in size and in waiting time, and never hang.
public enum StreamInput {
    /// Bytes read from a pipe at most (the largest input a reader accepts whole: a 64 MB CSV).
    public static let maxBytes = 64 << 20
    /// Seconds to wait for a writer to open a FIFO, or for more data once it has.
    public static let idleTimeoutSeconds = 10

    /// True when `path` names something that exists and is neither a regular file nor a folder.
    public static func isStream(_ path: String) -> Bool {
        var st = stat()
        guard stat(path, &st) == 0 else { return false }
        let type = st.st_mode & S_IFMT
        return type == S_IFIFO || type == S_IFCHR || type == S_IFSOCK
    }

    /// Reads the whole stream: exit 65 beyond `limit` bytes, 66 when nothing arrives within
    /// `idleTimeout` seconds (no writer) or the stream cannot be opened.
    public static func readAll(_ path: String, limit: Int = maxBytes, idleTimeout: Int = idleTimeoutSeconds) throws -> Data {
        // Non-blocking open: opening a FIFO for reading does not wait for a writer.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            throw BieuMauError(.noInput,
                vi: "Không mở được \(path) để đọc (\(String(cString: strerror(errno)))).",
                en: "Cannot open \(path) for reading (\(String(cString: strerror(errno)))).",
                at: SourceLocation(file: path))
        }
        defer { close(fd) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var sawWriter = false
        while true {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, Int32(idleTimeout * 1000))
            if ready < 0 {
                if errno == EINTR { continue }
                throw readFailed(path)
            }
            if ready == 0 {
                throw BieuMauError(.noInput,
                    vi: "\(path) là ống dẫn (pipe/FIFO) nhưng không có dữ liệu nào đến trong \(idleTimeout) giây\(sawWriter ? "" : " (không có chương trình nào ghi vào)"). Hãy đưa tệp vào, vd. bieumau validate tep.csv, hoặc cat tep.csv | bieumau validate /dev/stdin.",
                    en: "\(path) is a pipe/FIFO but no data arrived within \(idleTimeout) seconds\(sawWriter ? "" : " (nothing is writing into it)"). Give the file itself, e.g. bieumau validate file.csv, or cat file.csv | bieumau validate /dev/stdin.",
                    at: SourceLocation(file: path))
            }
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EAGAIN || errno == EINTR { continue }
                throw readFailed(path)
            }
            if n == 0 {
                // End of data once a writer came and went; before any writer, POLLHUP is not
                // reported on Linux and poll above waits for one.
                if data.isEmpty && pfd.revents & Int16(POLLHUP) == 0 && !sawWriter { continue }
                return data
            }
            sawWriter = true
            if data.count + n > limit {
                throw BieuMauError(.dataError,
                    vi: "\(path) đưa vào hơn \(limit / (1 << 20)) MB, quá giới hạn một phụ lục. Hãy kiểm tra lại dữ liệu đưa vào.",
                    en: "\(path) delivers more than \(limit / (1 << 20)) MB, over the limit for one appendix. Check what is piped in.",
                    at: SourceLocation(file: path))
            }
            data.append(contentsOf: buffer[0..<n])
        }
    }

    static func readFailed(_ path: String) -> BieuMauError {
        BieuMauError(.noInput,
            vi: "Lỗi khi đọc \(path) (\(String(cString: strerror(errno)))).",
            en: "Reading \(path) failed (\(String(cString: strerror(errno)))).",
            at: SourceLocation(file: path))
    }
}
