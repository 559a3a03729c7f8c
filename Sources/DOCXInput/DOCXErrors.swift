import Foundation
import Support
import XMLScan
import ZipWrapper

/// Every failure of the Word reader as a `BieuMauError` (exit 65 unless the file cannot be opened).
enum DOCXErrors {
    static func convert(_ error: Error, file: String, part: String) -> Error {
        switch error {
        case let e as BieuMauError:
            return e
        case let e as ZipError:
            return zip(e, file: file, part: part)
        case let e as XMLScanError:
            return e.userError(file: file, part: part, format: .docx,
                               nesting: (vi: "bảng lồng trong bảng quá sâu?", en: "tables nested too deep?"))
        case let e as DOCXLimitExceeded:
            switch e {
            case .blocks(let n):
                return limit(file: file, part: part, vi: "văn bản có hơn \(n) đoạn văn và ô bảng", en: "the document has more than \(n) paragraphs and table cells")
            case .textBytes(let n):
                return limit(file: file, part: part, vi: "văn bản chứa hơn \(n) byte chữ", en: "the document holds more than \(n) bytes of text")
            case .stringBytes(let n):
                return limit(file: file, part: part, vi: "một đoạn văn dài quá \(n) byte", en: "a paragraph is longer than \(n) bytes")
            case .tableNesting(let n):
                return limit(file: file, part: part, vi: "bảng lồng trong bảng quá \(n) tầng", en: "tables are nested more than \(n) deep")
            case .columns(let n):
                return limit(file: file, part: part, vi: "một hàng của bảng có hơn \(n) cột", en: "a table row has more than \(n) columns")
            }
        default:
            return error
        }
    }

    static func limit(file: String, part: String?, vi: String, en: String) -> BieuMauError {
        FileFormatWording.docx.limitError(file: file, part: part, vi: vi, en: en)
    }

    static func zip(_ error: ZipError, file: String, part: String?) -> BieuMauError {
        error.userError(file: file, part: part, format: .docx)
    }
}

/// Word 97–2003 documents (`.doc`): an OLE compound file holding a `WordDocument` stream. They
/// are not read; the user is told to save the file as `.docx`.
public enum LegacyWordDocument {
    /// True when the OLE compound file at `path` holds a `WordDocument` stream (its directory
    /// names streams in UTF-16LE; the first 64 MiB are searched).
    public static func isWordDocument(path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let bytes = [UInt8]((try? handle.read(upToCount: 64 << 20)) ?? Data())
        return isWordDocument(bytes: bytes)
    }

    public static func isWordDocument(bytes: [UInt8]) -> Bool {
        let ole: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
        guard bytes.count >= 512, Array(bytes[0..<8]) == ole else { return false }
        let needle = Array("WordDocument".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        guard let first = needle.first else { return false }
        var i = 0
        let last = bytes.count - needle.count
        while i <= last {
            if bytes[i] == first {
                var ok = true
                for k in 1..<needle.count where bytes[i + k] != needle[k] { ok = false; break }
                if ok { return true }
            }
            i += 1
        }
        return false
    }

    /// The refusal (exit 65) for a `.doc` file.
    public static func refusal(file: String) -> BieuMauError {
        BieuMauError(.dataError,
            vi: "Đây là văn bản Word 97–2003 (.doc); bieumau không đọc định dạng cũ này. Hãy mở tệp bằng Word hoặc LibreOffice Writer và lưu lại dưới dạng .docx (Lưu thành > Tài liệu Word), rồi dùng tệp .docx.",
            en: "This is a Word 97–2003 document (.doc); bieumau does not read this old format. Open it in Word or LibreOffice Writer and save it as .docx (Save As > Word Document), then use the .docx file.",
            at: SourceLocation(file: file))
    }
}
