import Foundation
import Support
import XMLScan
import ZipWrapper

/// Every failure of the Word reader as a `BieuMauError` (exit 65 unless the file cannot be opened).
enum DOCXErrors {
    static let fix = (vi: "Hãy mở tệp bằng Word và lưu lại dưới dạng .docx, hoặc xin lại tệp gốc.",
                      en: "Open the file in Word and save it again as .docx, or ask for the original file.")

    static func convert(_ error: Error, file: String, part: String) -> Error {
        let loc = SourceLocation(file: file)
        switch error {
        case let e as BieuMauError:
            return e
        case let e as ZipError:
            return zip(e, file: file, part: part)
        case let e as XMLScanError:
            switch e {
            case .dtdRefused:
                return BieuMauError(.dataError,
                    vi: "Phần \(part) chứa khai báo DTD/ENTITY; vì an toàn, bieumau không đọc những tệp như vậy. \(fix.vi)",
                    en: "Part \(part) contains a DTD/ENTITY declaration; for safety bieumau refuses such files. \(fix.en)", at: loc)
            case .depthExceeded(let n):
                return limit(file: file, part: part, vi: "các thẻ XML lồng nhau quá \(n) tầng (bảng lồng trong bảng quá sâu?)",
                             en: "XML elements are nested deeper than \(n) levels (tables nested too deep?)")
            case .tokenTooLong(let n):
                return limit(file: file, part: part, vi: "một thẻ hoặc đoạn văn bản dài quá \(n) byte",
                             en: "a tag or text run is longer than \(n) bytes")
            case .malformed(let what, let offset):
                return BieuMauError(.dataError,
                    vi: "Phần \(part) không phải XML hợp lệ (\(what), byte \(offset)). \(fix.vi)",
                    en: "Part \(part) is not well-formed XML (\(what), byte \(offset)). \(fix.en)", at: loc)
            case .unknownEntity(let name, let offset):
                return BieuMauError(.dataError,
                    vi: "Phần \(part) dùng thực thể XML không hợp lệ \(name) (byte \(offset)). \(fix.vi)",
                    en: "Part \(part) uses an invalid XML entity \(name) (byte \(offset)). \(fix.en)", at: loc)
            }
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
        let wherePart = part.map { " (\($0))" } ?? ""
        return BieuMauError(.dataError,
            vi: "Tệp vượt giới hạn an toàn\(wherePart): \(vi). Tệp có thể hỏng hoặc được tạo để gây hại; nếu là tệp thật, hãy tách phụ lục ra một tệp riêng.",
            en: "The file exceeds a safety limit\(wherePart): \(en). It may be corrupt or crafted to do harm; if it is genuine, put the appendix in a file of its own.",
            at: SourceLocation(file: file))
    }

    static func zip(_ error: ZipError, file: String, part: String?) -> BieuMauError {
        let loc = SourceLocation(file: file)
        let fixVi = "Hãy tải lại hoặc xin lại tệp, hoặc mở bằng Word và lưu lại dưới dạng .docx."
        let fixEn = "Download or request the file again, or open it in Word and save it again as .docx."
        switch error {
        case .notAZip:
            return BieuMauError(.dataError,
                vi: "Tệp không phải là văn bản .docx (không phải định dạng zip của Office Open XML). \(fixVi)",
                en: "The file is not a .docx document (not an Office Open XML zip package). \(fixEn)", at: loc)
        case .truncatedOrInconsistent(let d):
            return BieuMauError(.dataError,
                vi: "Tệp .docx bị cắt cụt hoặc hỏng cấu trúc zip (\(d)). \(fixVi)",
                en: "The .docx file is truncated or its zip structure is corrupt (\(d)). \(fixEn)", at: loc)
        case .cannotOpen(let d):
            return BieuMauError(.noInput,
                vi: "Không mở được tệp (\(d)). Hãy kiểm tra đường dẫn và quyền đọc.",
                en: "Cannot open the file (\(d)). Check the path and read permission.", at: loc)
        case .crcMismatch(let entry):
            return BieuMauError(.dataError,
                vi: "Phần \(entry) trong tệp bị hỏng (sai mã kiểm tra CRC). \(fixVi)",
                en: "Part \(entry) of the file is corrupt (CRC mismatch). \(fixEn)", at: loc)
        case .encryptedEntry(let entry):
            return BieuMauError(.dataError,
                vi: "Phần \(entry) được mã hoá bằng mật khẩu. Hãy gỡ mật khẩu rồi lưu lại dưới dạng .docx.",
                en: "Part \(entry) is encrypted with a password. Remove the password and save the file again as .docx.", at: loc)
        case .unsupportedCompression(let entry):
            return BieuMauError(.dataError,
                vi: "Phần \(entry) dùng kiểu nén không hỗ trợ. \(fixVi)",
                en: "Part \(entry) uses an unsupported compression method. \(fixEn)", at: loc)
        case .corruptData(let entry, let d):
            return BieuMauError(.dataError,
                vi: "Dữ liệu nén của phần \(entry) bị hỏng (\(d)). \(fixVi)",
                en: "The compressed data of part \(entry) is corrupt (\(d)). \(fixEn)", at: loc)
        case .tooLarge(let entry, let limit):
            return Self.limit(file: file, part: entry, vi: "phần này giải nén ra hơn \(limit) byte",
                              en: "this part inflates to more than \(limit) bytes")
        case .compressionRatioExceeded(let entry, let limit):
            return Self.limit(file: file, part: entry, vi: "tỉ lệ nén vượt \(limit):1 (dấu hiệu của \"bom zip\")",
                              en: "the compression ratio exceeds \(limit):1 (a sign of a zip bomb)")
        case .noSuchEntry(let name):
            return BieuMauError(.dataError, vi: "Thiếu phần \(name) trong tệp. \(fixVi)",
                                en: "Part \(name) is missing from the file. \(fixEn)", at: loc)
        case .duplicateEntry(let name):
            return BieuMauError(.dataError,
                vi: "Tệp chứa hai phần cùng tên \(name) (trùng tên hoặc chỉ khác chữ hoa/thường). Mỗi chương trình đọc một bản khác nhau nên số liệu kiểm tra có thể khác số liệu người xem thấy; tệp bị từ chối. \(fixVi)",
                en: "The file holds two parts named \(name) (the same name, or differing only by case). Programs read different copies, so the figures checked could differ from those a person sees; the file is refused. \(fixEn)", at: loc)
        }
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
