import CZip

/// Writes a new zip archive with libzip: each entry is a file on disk, deflated, read only when the
/// archive is closed (memory stays small whatever the files' sizes).
public final class ZipWriter {
    private var handle: OpaquePointer?
    public let path: String

    /// Creates `path`, which must not exist.
    public init(path: String) throws(ZipError) {
        var errorCode: Int32 = 0
        guard let h = zip_open(path, ZIP_CREATE | ZIP_EXCL, &errorCode) else {
            throw ZipError.cannotOpen(detail: "zip_open error \(errorCode)")
        }
        handle = h
        self.path = path
    }

    deinit {
        if let handle { zip_discard(handle) }
    }

    /// Adds the file at `file` as the entry `name` (UTF-8; the caller makes it a safe relative name).
    public func addFile(_ file: String, as name: String) throws(ZipError) {
        guard let handle else { throw ZipError.cannotOpen(detail: "archive closed") }
        guard let source = zip_source_file(handle, file, 0, -1) else {
            throw ZipError.cannotOpen(detail: "cannot read \(file)")
        }
        if zip_file_add(handle, name, source, zip_flags_t(ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE)) < 0 {
            zip_source_free(source)
            throw ZipError.cannotOpen(detail: String(cString: zip_strerror(handle)))
        }
    }

    /// Writes the archive; the file exists only after this returns.
    public func close() throws(ZipError) {
        guard let h = handle else { return }
        if zip_close(h) != 0 {
            let message = String(cString: zip_strerror(h))
            zip_discard(h)
            handle = nil
            throw ZipError.cannotOpen(detail: message)
        }
        handle = nil
    }
}
