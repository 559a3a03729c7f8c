import Foundation
import Support

/// Recognises what a file is before any zip parsing, so that common mistakes get a clear message.
public enum XLSXSniffer {
    public enum Kind: Sendable, Equatable {
        case zip
        case empty
        /// An OLE compound file; `encrypted` when it holds an `EncryptionInfo` stream.
        case ole(encrypted: Bool)
        case text
        case other
    }

    public static func kind(of path: String) throws -> Kind {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw missing(path)
        }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 4096)) ?? Data()
        return kind(head: [UInt8](head)) {
            try? handle.seek(toOffset: 0)
            return [UInt8]((try? handle.read(upToCount: 64 << 20)) ?? Data())
        }
    }

    /// The kind of a file held in memory (read once by the caller): the same judgement as
    /// `kind(of:)` makes from the file.
    public static func kind(ofContents bytes: UnsafeRawBufferPointer) -> Kind {
        kind(head: [UInt8](bytes.prefix(4096))) { [UInt8](bytes.prefix(64 << 20)) }
    }

    /// `head`: the first 4,096 bytes (fewer when the file is shorter); `whole`: the first 64 MiB.
    static func kind(head bytes: [UInt8], whole: () -> [UInt8]) -> Kind {
        if bytes.isEmpty { return .empty }
        if bytes.count >= 4 && bytes[0] == 0x50 && bytes[1] == 0x4B && (bytes[2] == 3 || bytes[2] == 5 || bytes[2] == 7) {
            return .zip
        }
        let ole: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
        if bytes.count >= 8 && Array(bytes[0..<8]) == ole {
            // The directory holds stream names in UTF-16LE; look for "EncryptionInfo" (first 64 MiB).
            let all = whole()
            let needle = Array("EncryptionInfo".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
            return .ole(encrypted: contains(all, needle))
        }
        // Text: valid UTF-8 (allowing a cut final character) with no control bytes but tab/CR/LF.
        var printable = true
        for b in bytes where b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D { printable = false; break }
        if printable {
            if String(validating: bytes, as: UTF8.self) != nil || String(validating: bytes.dropLast(4), as: UTF8.self) != nil {
                return .text
            }
            // Legacy 8-bit text (e.g. Windows-1258 CSV): no NULs, mostly ASCII.
            if bytes.filter({ $0 < 0x80 }).count * 10 >= bytes.count * 9 { return .text }
        }
        return .other
    }

    static func contains(_ hay: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= hay.count, let first = needle.first else { return false }
        var i = 0
        let last = hay.count - needle.count
        while i <= last {
            if hay[i] == first {
                var ok = true
                for k in 1..<needle.count where hay[i + k] != needle[k] { ok = false; break }
                if ok { return true }
            }
            i += 1
        }
        return false
    }

    static func missing(_ path: String) -> BieuMauError {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
            if isDir.boolValue {
                return BieuMauError(.noInput, vi: "\(path) là thư mục, không phải tệp .xlsx.",
                                    en: "\(path) is a folder, not an .xlsx file.", at: SourceLocation(file: path))
            }
            return BieuMauError(.noInput, vi: "Không có quyền đọc tệp. Hãy kiểm tra quyền truy cập.",
                                en: "The file cannot be read (permission). Check its access rights.", at: SourceLocation(file: path))
        }
        return BieuMauError(.noInput, vi: "Không tìm thấy tệp. Hãy kiểm tra đường dẫn.",
                            en: "File not found. Check the path.", at: SourceLocation(file: path))
    }

    /// Throws a BieuMauError unless the file looks like a zip package.
    public static func check(path: String) throws {
        try check(kind: try kind(of: path), path: path)
    }

    /// Throws a BieuMauError unless the bytes (the file at `path`, read by the caller) look like
    /// a zip package.
    public static func check(contents: UnsafeRawBufferPointer, path: String) throws {
        try check(kind: kind(ofContents: contents), path: path)
    }

    static func check(kind: Kind, path: String) throws {
        let loc = SourceLocation(file: path)
        switch kind {
        case .zip:
            return
        case .empty:
            throw BieuMauError(.dataError, vi: "Tệp rỗng (0 byte). Hãy xin lại tệp gốc.",
                               en: "The file is empty (0 bytes). Ask for the original file again.", at: loc)
        case .ole(encrypted: true):
            throw BieuMauError(.dataError,
                vi: "Sổ tính được bảo vệ bằng mật khẩu (mã hoá). Hãy mở bằng Excel, gỡ mật khẩu (Tệp > Thông tin > Bảo vệ sổ làm việc > Mã hoá bằng mật khẩu) rồi lưu lại.",
                en: "The workbook is password-protected (encrypted). Open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt with Password) and save it again.",
                at: loc)
        case .ole(encrypted: false):
            throw BieuMauError(.dataError,
                vi: "Đây là tệp Excel cũ (.xls) hoặc sổ tính có mật khẩu, không phải .xlsx. Hãy mở bằng Excel và lưu dưới dạng Sổ làm việc Excel (.xlsx).",
                en: "This is a legacy Excel file (.xls) or a password-protected workbook, not .xlsx. Open it in Excel and save it as Excel Workbook (.xlsx).",
                at: loc)
        case .text:
            throw BieuMauError(.dataError,
                vi: "Tệp là văn bản (có thể là CSV) được đổi tên thành .xlsx. Hãy đổi lại đuôi thành .csv, hoặc mở bằng Excel và lưu dưới dạng .xlsx.",
                en: "The file is plain text (perhaps CSV) renamed to .xlsx. Rename it to .csv, or open it in Excel and save it as .xlsx.",
                at: loc)
        case .other:
            throw BieuMauError(.dataError,
                vi: "Tệp không phải là sổ tính .xlsx (không nhận ra định dạng). Hãy mở bằng Excel và lưu dưới dạng .xlsx.",
                en: "The file is not an .xlsx workbook (unrecognised format). Open it in Excel and save it as .xlsx.",
                at: loc)
        }
    }
}
