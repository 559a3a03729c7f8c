import Foundation

/// Writes outputs so that a reader never sees half a file: a temporary file in the target folder,
/// flushed to disk, then renamed over the target. Existing outputs are kept unless `force`.
public enum AtomicOutput {
    /// Fails with exit 73 if `path` exists and `force` is false, or its folder is missing, or
    /// `path` is one of `inputs` (the same file by device and inode, whatever links lead to it:
    /// `convert in.csv -o in.csv --force` would destroy the input).
    public static func checkWritable(_ path: String, force: Bool, inputs: [String] = []) throws {
        try checkNotAnInput(path, inputs: inputs)
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

    /// The device and inode of the file `path` leads to (through symbolic links), nil if none.
    public static func fileIdentity(_ path: String) -> (dev: UInt64, ino: UInt64)? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return (UInt64(st.st_dev), UInt64(st.st_ino))
    }

    /// Refuses (exit 73) an output that is one of the inputs: same device and inode, so a
    /// symbolic link, a hard link or another spelling of the path is caught too.
    public static func checkNotAnInput(_ output: String, inputs: [String]) throws {
        guard !inputs.isEmpty, let out = fileIdentity(output) else { return }
        for input in inputs {
            guard let id = fileIdentity(input), id.dev == out.dev, id.ino == out.ino else { continue }
            let same = input == output ? "" : " (\(input))"
            throw BieuMauError(.cannotCreate,
                vi: "Tệp kết quả \(output) chính là tệp đầu vào\(same): ghi vào đó sẽ làm mất dữ liệu gốc, kể cả với --force. Hãy chọn tên tệp kết quả khác.",
                en: "The output \(output) is the input file\(same): writing it would destroy the original, even with --force. Choose another output name.")
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
    ///
    /// Where the file system allows it (Linux `O_TMPFILE`), the temporary file has no name until it
    /// is complete: `produce` gets `/proc/self/fd/N`, and a process killed mid-write (even by
    /// SIGKILL) leaves nothing behind. Elsewhere it is a hidden `.NAME.tmp-PID-…` file beside the
    /// target, removed on error or interrupt, and by the next run if the process was killed.
    ///
    /// Without `force` the check that `path` does not exist and the write are one step: the file
    /// is linked into place (`linkat`, which fails if the name exists), so an output created by
    /// another process meanwhile is never overwritten.
    public static func write<T>(to path: String, force: Bool, inputs: [String] = [],
                                _ produce: (String) throws -> T) throws -> T {
        try checkWritable(path, force: force, inputs: inputs)
        removeStaleTemporaries(for: path)
        let dir = (path as NSString).deletingLastPathComponent
        let folder = dir.isEmpty ? "." : dir
        #if os(Linux)
        // O_TMPFILE is a C macro Swift does not import: __O_TMPFILE | O_DIRECTORY.
        let fd = open(folder, 0o20000000 | O_DIRECTORY | O_RDWR, 0o644)
        if fd >= 0 {
            defer { close(fd) }
            let procPath = "/proc/self/fd/\(fd)"
            let result = try naming(path, for: procPath) { try produce(procPath) }
            _ = fsync(fd)
            // Inputs are checked again just before the output appears (a link may have been made meanwhile).
            try checkNotAnInput(path, inputs: inputs)
            if !force {
                // Give the anonymous file its final name directly; fails if the name exists.
                if linkat(AT_FDCWD, procPath, AT_FDCWD, path, AT_SYMLINK_FOLLOW) == 0 {
                    syncFolder(of: path)
                    return result
                }
                if errno == EEXIST { throw alreadyExists(path) }
                // Other errors (a file system without links): the named temporary below.
            }
            let named = temporaryPath(for: path)
            TemporaryFiles.shared.register(named)
            defer { TemporaryFiles.shared.unregister(named) }
            if linkat(AT_FDCWD, procPath, AT_FDCWD, named, AT_SYMLINK_FOLLOW) != 0 {
                let reason = String(cString: strerror(errno))
                throw BieuMauError(.cannotCreate, vi: "Không ghi được tệp \(path) (\(reason)).",
                                   en: "Cannot write \(path) (\(reason)).")
            }
            do { try commit(named, to: path, force: force) } catch { unlink(named); throw error }
            return result
        }
        #endif
        let tmp = temporaryPath(for: path)
        TemporaryFiles.shared.register(tmp)
        defer { TemporaryFiles.shared.unregister(tmp) }
        do {
            let result = try naming(path, for: tmp) { try produce(tmp) }
            try checkNotAnInput(path, inputs: inputs)
            try commit(tmp, to: path, force: force)
            return result
        } catch {
            unlink(tmp)
            throw error
        }
    }

    /// Removes `.NAME.tmp-PID-…` files left beside `path` by a process that no longer runs.
    /// Reads the folder with `readdir` and compares raw name bytes: output folders can hold
    /// thousands of files, and Foundation's directory listing builds a String for each.
    static func removeStaleTemporaries(for path: String) {
        let dir = (path as NSString).deletingLastPathComponent
        let folder = dir.isEmpty ? "." : dir
        let prefix = Array(".\((path as NSString).lastPathComponent).tmp-".utf8)
        guard let handle = opendir(folder) else { return }
        defer { closedir(handle) }
        var stale: [String] = []
        while let entry = readdir(handle) {
            let matches: Bool = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                let bytes = raw.bindMemory(to: UInt8.self)
                guard bytes.count > prefix.count else { return false }
                for i in 0..<prefix.count where bytes[i] != prefix[i] { return false }
                return true
            }
            guard matches else { continue }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.bindMemory(to: UInt8.self).prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            let rest = String(decoding: name.utf8.dropFirst(prefix.count), as: UTF8.self)
            guard let pidText = rest.split(separator: "-").first, let pid = Int32(pidText) else { continue }
            if pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH {
                stale.append((folder as NSString).appendingPathComponent(name))
            }
        }
        for file in stale { unlink(file) }
    }

    /// Writes `data` atomically.
    public static func write(_ data: Data, to path: String, force: Bool, inputs: [String] = []) throws {
        try write(to: path, force: force, inputs: inputs) { tmp in
            // Plain POSIX writes: the temporary path may be /proc/self/fd/N, which Foundation's
            // own "atomic" writers would try to rename.
            let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard fd >= 0 else {
                throw BieuMauError(.cannotCreate, vi: "Không ghi được tệp \(path).", en: "Cannot write \(path).")
            }
            defer { close(fd) }
            try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
                var offset = 0
                while offset < buffer.count {
                    let n = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        let reason = String(cString: strerror(errno))
                        throw BieuMauError(.cannotCreate, vi: "Không ghi được tệp \(path) (\(reason)).",
                                           en: "Cannot write \(path) (\(reason)).")
                    }
                    offset += n
                }
            }
        }
    }

    /// Runs `body`; an error naming the temporary file names the output instead (the user never
    /// sees `/proc/self/fd/3` or `.out.xlsx.tmp-…`).
    static func naming<T>(_ path: String, for tmp: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch var e as BieuMauError {
            e.message = Localized(vi: e.message.vi.replacingOccurrences(of: tmp, with: path),
                                  en: e.message.en.replacingOccurrences(of: tmp, with: path))
            if e.location?.file == tmp { e.location?.file = path }
            throw e
        }
    }

    static func alreadyExists(_ path: String) -> BieuMauError {
        BieuMauError(.cannotCreate,
            vi: "Tệp \(path) đã có (vừa được tạo trong lúc ghi). Dùng --force để ghi đè, hoặc chọn tên khác.",
            en: "\(path) already exists (it was created while this output was being written). Use --force to overwrite it, or choose another name.")
    }

    static func syncFolder(of path: String) {
        let dir = (path as NSString).deletingLastPathComponent
        let dfd = open(dir.isEmpty ? "." : dir, O_RDONLY)
        if dfd >= 0 {
            _ = fsync(dfd)
            close(dfd)
        }
    }

    static func commit(_ tmp: String, to path: String, force: Bool = true) throws {
        let fd = open(tmp, O_RDONLY)
        if fd >= 0 {
            _ = fsync(fd)
            close(fd)
        }
        if !force {
            // link(2) fails if `path` exists: check and write in one step.
            if link(tmp, path) == 0 {
                unlink(tmp)
                syncFolder(of: path)
                return
            }
            if errno == EEXIST { throw alreadyExists(path) }
            // No hard links on this file system: fall back to rename (checked just before).
            if access(path, F_OK) == 0 { throw alreadyExists(path) }
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
