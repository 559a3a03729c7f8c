import CDeflate
import CZip

/// Why a zip archive or one of its entries could not be read. Callers turn these into
/// user-facing messages; this module knows nothing about workbooks.
public enum ZipError: Error, Sendable, Equatable {
    /// The file is not a zip archive at all (no end-of-central-directory record).
    case notAZip
    /// The archive is cut short or its directory is inconsistent.
    case truncatedOrInconsistent(detail: String)
    /// The file could not be opened (missing, permission).
    case cannotOpen(detail: String)
    /// An entry's data does not match its CRC-32.
    case crcMismatch(entry: String)
    /// An entry is encrypted (zip-level password).
    case encryptedEntry(entry: String)
    /// An entry uses a compression method libzip cannot decode.
    case unsupportedCompression(entry: String)
    /// An entry's compressed data is corrupt or ends early.
    case corruptData(entry: String, detail: String)
    /// Reading an entry would exceed the caller's byte cap.
    case tooLarge(entry: String, limit: UInt64)
    /// Inflated bytes per compressed byte exceeded the caller's limit (a zip bomb).
    case compressionRatioExceeded(entry: String, limit: UInt64)
    /// No entry of that name.
    case noSuchEntry(String)
    /// Two entries share a name (exactly, or differing only by case, slashes or a leading slash):
    /// readers disagree on which one counts (libzip the first; openpyxl, calamine and LibreOffice
    /// the last), so the checker and the person would see different numbers. Refused.
    case duplicateEntry(name: String)
}

/// One entry of the central directory.
public struct ZipEntry: Sendable, Hashable {
    public var index: Int
    /// The name with backslashes turned into slashes and any leading slash removed.
    public var name: String
    /// The name exactly as stored.
    public var rawName: String
    /// Declared sizes (from the central directory; a hostile file may lie, see `ZipArchive.read`).
    public var uncompressedSize: UInt64
    public var compressedSize: UInt64
    public var isEncrypted: Bool
    /// The CRC-32 and compression method the central directory declares (0 when not given).
    public var crc32: UInt32 = 0
    public var compressionMethod: Int32 = 0
    public var isDirectory: Bool { name.hasSuffix("/") }

    /// Declared uncompressed bytes per compressed byte (0 for an empty entry).
    public var compressionRatio: Double {
        guard uncompressedSize > 0 else { return 0 }
        return Double(uncompressedSize) / Double(max(compressedSize, 1))
    }
}

/// A zip archive opened read-only with libzip. Not thread-safe; use one per task.
public final class ZipArchive {
    private let handle: OpaquePointer
    public let path: String
    public let entries: [ZipEntry]
    private let byLowercasedName: [String: Int]

    /// The bytes of an archive opened from memory (owned: freed after libzip lets go of them).
    private let ownedBytes: UnsafeMutableRawBufferPointer?
    /// libdeflate's decompressor, made on first use (see `inflateWhole`).
    private var decompressor: OpaquePointer?
    /// False: every entry is streamed through libzip (tests compare both ways).
    var inflatesWhole = true
    /// Entries up to this size (declared, inflated) are inflated whole when they are deflated.
    static let maxWholeBytes: UInt64 = 1 << 20

    public init(path: String) throws(ZipError) {
        var errorCode: Int32 = 0
        guard let h = zip_open(path, ZIP_RDONLY, &errorCode) else {
            throw ZipArchive.openError(errorCode)
        }
        handle = h
        ownedBytes = nil
        self.path = path
        (entries, byLowercasedName) = try ZipArchive.directory(h)
    }

    /// Opens an archive held in memory (a file read once, e.g. to hash it too); `path` only names
    /// it in messages. The bytes are copied, so the caller's buffer may go away afterwards. Reading
    /// works and fails exactly as from the file (libzip reads both through its sources).
    public init(bytes: UnsafeRawBufferPointer, path: String) throws(ZipError) {
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
        if let base = bytes.baseAddress, bytes.count > 0 { copy.baseAddress!.copyMemory(from: base, byteCount: bytes.count) }
        var error = zip_error_t()
        zip_error_init(&error)
        defer { zip_error_fini(&error) }
        guard let source = zip_source_buffer_create(copy.baseAddress, UInt64(bytes.count), 0, &error) else {
            copy.deallocate()
            throw ZipArchive.openError(zip_error_code_zip(&error))
        }
        guard let h = zip_open_from_source(source, ZIP_RDONLY, &error) else {
            zip_source_free(source)
            copy.deallocate()
            throw ZipArchive.openError(zip_error_code_zip(&error))
        }
        handle = h
        ownedBytes = copy
        self.path = path
        do {
            (entries, byLowercasedName) = try ZipArchive.directory(h)
        } catch {
            copy.deallocate()
            throw error
        }
    }

    /// The central directory: entries in order and the lookup by normalised lower-case name.
    /// Discards the archive (`h`) when it throws.
    private static func directory(_ h: OpaquePointer) throws(ZipError) -> ([ZipEntry], [String: Int]) {
        let count = zip_get_num_entries(h, 0)
        var list: [ZipEntry] = []
        var lookup: [String: Int] = [:]
        if count > 0 {
            list.reserveCapacity(Int(count))
            for i in 0..<UInt64(count) {
                var st = zip_stat_t()
                zip_stat_init(&st)
                guard zip_stat_index(h, i, 0, &st) == 0, let cName = st.name else { continue }
                let raw = String(cString: cName)
                var name = raw.replacingAll("\\", with: "/")
                while name.hasPrefix("/") { name.removeFirst() }
                let entry = ZipEntry(index: Int(i), name: name, rawName: raw,
                                     uncompressedSize: st.size, compressedSize: st.comp_size,
                                     isEncrypted: st.encryption_method != UInt16(ZIP_EM_NONE),
                                     crc32: st.valid & UInt64(ZIP_STAT_CRC) != 0 ? st.crc : 0,
                                     compressionMethod: st.valid & UInt64(ZIP_STAT_COMP_METHOD) != 0 ? Int32(st.comp_method) : -1)
                let key = name.lowercased()
                if let first = lookup[key] {
                    // Folders may repeat harmlessly; a part may not.
                    if !entry.isDirectory {
                        let firstName = list[first].rawName
                        zip_discard(h)
                        throw ZipError.duplicateEntry(name: firstName == raw ? raw : "\(firstName) / \(raw)")
                    }
                } else {
                    lookup[key] = list.count
                }
                list.append(entry)
            }
        }
        return (list, lookup)
    }

    deinit {
        if let decompressor { libdeflate_free_decompressor(decompressor) }
        zip_discard(handle)
        ownedBytes?.deallocate()
    }

    /// The entry with this name, ignoring case, backslashes and a leading slash.
    public func entry(named name: String) -> ZipEntry? {
        var key = name.replacingAll("\\", with: "/").lowercased()
        while key.hasPrefix("/") { key.removeFirst() }
        return byLowercasedName[key].map { entries[$0] }
    }

    /// Sum of the declared uncompressed sizes.
    public var totalUncompressedSize: UInt64 {
        entries.reduce(0) { $0 &+ $1.uncompressedSize }
    }

    /// Streams an entry's inflated bytes to `body` in chunks of at most `chunkSize` bytes.
    /// Stops with `.tooLarge` once more than `maxBytes` were produced (whatever the header
    /// declares) and with `.compressionRatioExceeded` once the inflated bytes exceed
    /// `maxRatio` × compressed size (the declared sizes are checked before reading, the real
    /// bytes past the first MiB). `body` returns false to stop early.
    public func read(_ entry: ZipEntry, chunkSize: Int = 1 << 16, maxBytes: UInt64 = .max,
                     maxRatio: UInt64 = .max,
                     _ body: (UnsafeRawBufferPointer) throws -> Bool) throws {
        if entry.isEncrypted { throw ZipError.encryptedEntry(entry: entry.name) }
        if entry.uncompressedSize > maxBytes { throw ZipError.tooLarge(entry: entry.name, limit: maxBytes) }
        if entry.uncompressedSize > (1 << 20), entry.uncompressedSize / max(entry.compressedSize, 1) > maxRatio {
            throw ZipError.compressionRatioExceeded(entry: entry.name, limit: maxRatio)
        }
        if let whole = inflateWhole(entry) {
            defer { whole.deallocate() }
            let step = max(1024, chunkSize)
            var start = 0
            while start < whole.count {
                let n = min(step, whole.count - start)
                if try !body(UnsafeRawBufferPointer(rebasing: whole[start..<start + n])) { return }
                start += n
            }
            return
        }
        guard let file = zip_fopen_index(handle, UInt64(entry.index), 0) else {
            throw entryError(zip_get_error(handle), entry: entry.name)
        }
        defer { zip_fclose(file) }
        let size = max(1024, chunkSize)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 8)
        defer { buffer.deallocate() }
        var total: UInt64 = 0
        let compressed = max(entry.compressedSize, 1)
        while true {
            let n = zip_fread(file, buffer.baseAddress, UInt64(size))
            if n < 0 { throw entryError(zip_file_get_error(file), entry: entry.name) }
            if n == 0 { break }
            total += UInt64(n)
            if total > maxBytes { throw ZipError.tooLarge(entry: entry.name, limit: maxBytes) }
            if total > (1 << 20), total / compressed > maxRatio {
                throw ZipError.compressionRatioExceeded(entry: entry.name, limit: maxRatio)
            }
            if try !body(UnsafeRawBufferPointer(start: buffer.baseAddress, count: Int(n))) { return }
        }
    }

    /// A small deflated entry inflated in one call with libdeflate, when that gives exactly the
    /// declared size and CRC-32; nil otherwise (not deflated, larger than `maxWholeBytes`, empty,
    /// unreadable, corrupt, longer or shorter than declared, wrong CRC), and the caller then streams
    /// it through libzip, which reads or refuses it as always. The same bytes either way: a deflate
    /// stream has one decoding, and the declared CRC-32 and size are checked on it.
    func inflateWhole(_ entry: ZipEntry) -> UnsafeMutableRawBufferPointer? {
        guard inflatesWhole, entry.compressionMethod == 8, !entry.isEncrypted, entry.uncompressedSize > 0,
              entry.uncompressedSize <= Self.maxWholeBytes, entry.compressedSize <= Self.maxWholeBytes,
              let stored = storedBytes(entry, maxBytes: Int(Self.maxWholeBytes)) else { return nil }
        if decompressor == nil { decompressor = libdeflate_alloc_decompressor() }
        guard let decompressor else { return nil }
        let size = Int(entry.uncompressedSize)
        let out = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        let result = stored.withUnsafeBytes { input in
            // No `actual_out_nbytes_ret`: anything but exactly `size` bytes is a failure.
            libdeflate_deflate_decompress(decompressor, input.baseAddress, input.count, out.baseAddress, size, nil)
        }
        guard result == LIBDEFLATE_SUCCESS, libdeflate_crc32(0, out.baseAddress, size) == entry.crc32 else {
            out.deallocate()
            return nil
        }
        return out
    }

    /// The entry's data as stored (still compressed, not checked against its CRC), when it is at
    /// most `maxBytes` long; nil when it is longer or cannot be read (reading it inflated then
    /// says why). Two entries whose stored data, method, CRC and size are equal inflate to the
    /// same bytes, or fail the same way.
    public func storedBytes(_ entry: ZipEntry, maxBytes: Int) -> [UInt8]? {
        guard !entry.isEncrypted, entry.compressedSize <= UInt64(maxBytes),
              let file = zip_fopen_index(handle, UInt64(entry.index), ZIP_FL_COMPRESSED) else { return nil }
        defer { zip_fclose(file) }
        let size = Int(entry.compressedSize)
        var total = 0
        var failed = false
        let out = [UInt8](unsafeUninitializedCapacity: size + 1) { buffer, count in
            while total <= size {
                let n = zip_fread(file, buffer.baseAddress! + total, UInt64(size + 1 - total))
                if n < 0 { failed = true; break }
                if n == 0 { break }
                total += Int(n)
            }
            count = min(total, size)
        }
        // Exactly the declared compressed size, or it is not the entry the directory describes.
        guard !failed, total == size else { return nil }
        return out
    }

    /// The whole entry as bytes (for small parts), capped at `maxBytes`.
    public func readAll(_ entry: ZipEntry, maxBytes: UInt64 = .max, maxRatio: UInt64 = .max) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(Int(min(entry.uncompressedSize, min(maxBytes, 1 << 24))))
        try read(entry, maxBytes: maxBytes, maxRatio: maxRatio) { chunk in
            out.append(contentsOf: chunk)
            return true
        }
        return out
    }

    private static func openError(_ code: Int32) -> ZipError {
        switch code {
        case ZIP_ER_NOZIP: return .notAZip
        case ZIP_ER_INCONS, ZIP_ER_EOF, ZIP_ER_SEEK, ZIP_ER_READ, ZIP_ER_MULTIDISK:
            return .truncatedOrInconsistent(detail: describe(code))
        default: return .cannotOpen(detail: describe(code))
        }
    }

    private func entryError(_ error: UnsafeMutablePointer<zip_error_t>?, entry: String) -> ZipError {
        let code = error.map { zip_error_code_zip($0) } ?? ZIP_ER_INTERNAL
        let detail = error.flatMap { zip_error_strerror($0) }.map { String(cString: $0) } ?? ZipArchive.describe(code)
        switch code {
        case ZIP_ER_CRC: return .crcMismatch(entry: entry)
        case ZIP_ER_NOPASSWD, ZIP_ER_WRONGPASSWD, ZIP_ER_ENCRNOTSUPP: return .encryptedEntry(entry: entry)
        case ZIP_ER_COMPNOTSUPP: return .unsupportedCompression(entry: entry)
        case ZIP_ER_INCONS, ZIP_ER_EOF, ZIP_ER_SEEK, ZIP_ER_READ:
            return .truncatedOrInconsistent(detail: detail)
        default: return .corruptData(entry: entry, detail: detail)
        }
    }

    private static func describe(_ code: Int32) -> String {
        var err = zip_error_t()
        zip_error_init_with_code(&err, code)
        defer { zip_error_fini(&err) }
        return zip_error_strerror(&err).map { String(cString: $0) } ?? "libzip error \(code)"
    }
}

extension String {
    fileprivate func replacingAll(_ a: Character, with b: Character) -> String {
        // A byte test first (names are checked on every lookup): without the character's first
        // byte the string cannot hold the character.
        guard let first = a.utf8.first, utf8.contains(first), contains(a) else { return self }
        return String(map { $0 == a ? b : $0 })
    }
}
