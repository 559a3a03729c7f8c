import Foundation

/// Writes outputs so that a reader never sees half a file: a temporary file in the target folder,
/// flushed to disk, then renamed over the target. Existing outputs are kept unless `force`.
public enum AtomicOutput {
    /// Fails with exit 73 if `path` exists and `force` is false, or its folder is missing.
    public static func checkWritable(_ path: String, force: Bool) throws {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDir) {
            if isDir.boolValue {
                throw BieuMauError(.cannotCreate,
                    vi: "\(path) là một thư mục, không phải tệp. Hãy chọn tên tệp kết quả khác.",
                    en: "\(path) is a folder, not a file. Choose another output file name.")
            }
            if !force {
                throw BieuMauError(.cannotCreate,
                    vi: "Tệp \(path) đã có. Dùng --force để ghi đè, hoặc chọn tên khác.",
                    en: "\(path) already exists. Use --force to overwrite it, or choose another name.")
            }
        }
        let dir = (path as NSString).deletingLastPathComponent
        let folder = dir.isEmpty ? "." : dir
        if !fm.fileExists(atPath: folder, isDirectory: &isDir) || !isDir.boolValue {
            throw BieuMauError(.cannotCreate,
                vi: "Không có thư mục \(folder) để ghi \(path). Hãy tạo thư mục trước.",
                en: "The folder \(folder) for \(path) does not exist. Create it first.")
        }
    }

    /// A fresh temporary path beside `path` (same folder, so the rename is atomic).
    public static func temporaryPath(for path: String) -> String {
        let dir = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let tmpName = ".\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        return dir.isEmpty ? tmpName : (dir as NSString).appendingPathComponent(tmpName)
    }

    /// Runs `produce` on a temporary path, flushes it and renames it to `path`.
    /// On any error the temporary file is removed and `path` is untouched.
    public static func write<T>(to path: String, force: Bool, _ produce: (String) throws -> T) throws -> T {
        try checkWritable(path, force: force)
        let tmp = temporaryPath(for: path)
        TemporaryFiles.shared.register(tmp)
        defer { TemporaryFiles.shared.unregister(tmp) }
        do {
            let result = try produce(tmp)
            try commit(tmp, to: path)
            return result
        } catch {
            unlink(tmp)
            throw error
        }
    }

    /// Writes `data` atomically.
    public static func write(_ data: Data, to path: String, force: Bool) throws {
        try write(to: path, force: force) { tmp in
            guard FileManager.default.createFile(atPath: tmp, contents: data) else {
                throw BieuMauError(.cannotCreate, vi: "Không ghi được tệp \(path).", en: "Cannot write \(path).")
            }
        }
    }

    static func commit(_ tmp: String, to path: String) throws {
        let fd = open(tmp, O_RDONLY)
        if fd >= 0 {
            _ = fsync(fd)
            close(fd)
        }
        if rename(tmp, path) != 0 {
            let reason = String(cString: strerror(errno))
            throw BieuMauError(.cannotCreate,
                vi: "Không ghi được tệp \(path) (\(reason)).",
                en: "Cannot write \(path) (\(reason)).")
        }
        let dir = (path as NSString).deletingLastPathComponent
        let dfd = open(dir.isEmpty ? "." : dir, O_RDONLY)
        if dfd >= 0 {
            _ = fsync(dfd)
            close(dfd)
        }
    }
}

/// Temporary outputs still being written, removed if the process is interrupted (SIGINT/SIGTERM).
public final class TemporaryFiles: @unchecked Sendable {
    public static let shared = TemporaryFiles()
    private let lock = NSLock()
    private var paths: Set<String> = []

    public func register(_ path: String) { lock.lock(); paths.insert(path); lock.unlock() }
    public func unregister(_ path: String) { lock.lock(); paths.remove(path); lock.unlock() }
    public func removeAll() {
        lock.lock()
        for p in paths { unlink(p) }
        paths.removeAll()
        lock.unlock()
    }
}
