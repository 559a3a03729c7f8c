import CCrypto
import Foundation
import Support

/// SHA-256 (FIPS 180-4): the provenance of merged inputs, the portal's files by content, the
/// form cache's key. Computed by libcrypto (OpenSSL), which uses the processor's SHA instructions
/// where it has them (about a tenth of the former Swift rounds' cost per file of a merge).
///
/// Feed bytes with `update`, then take the digest once with `finalize`; a hasher is not copied
/// (it owns libcrypto's context).
public struct SHA256: ~Copyable {
    private let context: OpaquePointer

    public init() {
        guard let context = EVP_MD_CTX_new() else { fatalError("libcrypto: out of memory for a SHA-256 context") }
        self.context = context
        guard EVP_DigestInit_ex2(context, Self.algorithm, nil) == 1 else {
            fatalError("libcrypto: SHA-256 cannot be initialised (\(Self.lastError()))")
        }
    }

    deinit { EVP_MD_CTX_free(context) }

    /// Adds bytes to the message.
    public mutating func update<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        let done: Void? = bytes.withContiguousStorageIfAvailable { updateBytes(UnsafeRawBufferPointer($0)) }
        if done == nil { Array(bytes).withUnsafeBytes { updateBytes($0) } }
    }

    /// Adds the bytes at `buffer`.
    public mutating func updateBytes(_ buffer: UnsafeRawBufferPointer) {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return }
        guard EVP_DigestUpdate(context, base, buffer.count) == 1 else {
            fatalError("libcrypto: SHA-256 update failed (\(Self.lastError()))")
        }
    }

    /// The 32-byte digest.
    public consuming func finalize() -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &digest, &length) == 1, length == 32 else {
            fatalError("libcrypto: SHA-256 final failed (\(Self.lastError()))")
        }
        return digest
    }

    /// The 32-byte digest of `bytes`, in one call.
    public static func digest<Bytes: Collection>(of bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        var h = SHA256()
        h.update(bytes)
        return h.finalize()
    }

    /// Lower-case hex of the digest of `bytes`.
    public static func hex<Bytes: Collection>(of bytes: Bytes) -> String where Bytes.Element == UInt8 {
        hexString(digest(of: bytes))
    }

    /// Lower-case hex of the digest of the file at `path`, read in chunks (plain POSIX reads into
    /// one buffer: a merge hashes every input).
    public static func hexOfFile(_ path: String) throws -> String {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw BieuMauError(.noInput, vi: "Không mở được tệp \(path) để đọc.", en: "Cannot open \(path) for reading.")
        }
        defer { close(fd) }
        var h = SHA256()
        let size = 1 << 16
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = read(fd, buffer.baseAddress, size)
            if n < 0 {
                if errno == EINTR { continue }
                throw BieuMauError(.noInput, vi: "Không đọc được tệp \(path).", en: "Cannot read \(path).")
            }
            if n == 0 { break }
            h.updateBytes(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
        return hexString(h.finalize())
    }

    /// HMAC-SHA256 (RFC 2104) of `message` under `key`: 32 bytes.
    public static func hmac(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        // An empty key or message still passes a valid pointer (libcrypto is given a length of 0).
        let one: [UInt8] = [0]
        let done = (key.isEmpty ? one : key).withUnsafeBytes { k in
            (message.isEmpty ? one : message).withUnsafeBufferPointer { m in
                HMAC(algorithm, k.baseAddress, Int32(key.count), m.baseAddress, message.count, &digest, &length)
            }
        }
        guard done != nil, length == 32 else { fatalError("libcrypto: HMAC-SHA256 failed (\(lastError()))") }
        return digest
    }

    /// Lower-case hex of `bytes`.
    public static func hexString(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// libcrypto's SHA-256, fetched once from its default provider (a fetch per hash would cost
    /// more than hashing a small file); the built-in description when the fetch fails.
    private nonisolated(unsafe) static let algorithm: OpaquePointer = EVP_MD_fetch(nil, "SHA2-256", nil) ?? EVP_sha256()

    private static func lastError() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(ERR_get_error(), &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
