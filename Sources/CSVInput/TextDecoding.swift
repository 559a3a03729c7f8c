import Foundation
import IconvWrapper
import SheetGrid
import Support
import VietnameseText

/// The text encodings office CSV files arrive in.
public enum CSVEncoding: String, Sendable, Hashable, CaseIterable {
    case utf8 = "UTF-8"
    case utf8BOM = "UTF-8 BOM"
    case utf16LE = "UTF-16LE"
    case utf16BE = "UTF-16BE"
    /// Excel "CSV" on Vietnamese Windows: tone marks as combining characters.
    case windows1258 = "Windows-1258"
    /// Typed in TCVN3 (ABC) fonts (`.VnTime`): converted to Unicode (see VietnameseText).
    case tcvn3 = "TCVN3"
    /// Typed in VNI fonts (`VNI-Times`): converted to Unicode.
    case vni = "VNI"

    /// The information to give once when the text was converted from a legacy font encoding.
    public var notice: ReadingNotice? {
        switch self {
        case .tcvn3:
            return ReadingNotice(
                vi: "Tệp được gõ bằng bảng mã TCVN3 (ABC, phông .VnTime); bieumau đã chuyển sang Unicode. Nên lưu lại tệp dưới dạng \"CSV UTF-8\".",
                en: "The file was typed in the TCVN3 (ABC, .VnTime fonts) encoding; bieumau converted it to Unicode. Save it again as \"CSV UTF-8\" when you can.")
        case .vni:
            return ReadingNotice(
                vi: "Tệp được gõ bằng bảng mã VNI (phông VNI-Times); bieumau đã chuyển sang Unicode. Nên lưu lại tệp dưới dạng \"CSV UTF-8\".",
                en: "The file was typed in the VNI (VNI-Times fonts) encoding; bieumau converted it to Unicode. Save it again as \"CSV UTF-8\" when you can.")
        default:
            return nil
        }
    }
}

/// Turns the bytes of a CSV file into NFC text.
public enum TextDecoder {
    /// Detects the encoding (BOM → UTF-16/UTF-8; valid UTF-8 → UTF-8; else TCVN3 or VNI when the
    /// character statistics say so, else Windows-1258),
    /// decodes and normalises to NFC. A bad byte sequence is an error naming the file and line.
    public static func decode(_ data: Data, fileName: String) throws -> (text: String, encoding: CSVEncoding) {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return (try utf8(bytes[3...], fileName: fileName, lineOffset: 0), .utf8BOM)
        }
        if bytes.starts(with: [0xFF, 0xFE]) {
            return (try utf16(bytes[2...], littleEndian: true, fileName: fileName), .utf16LE)
        }
        if bytes.starts(with: [0xFE, 0xFF]) {
            return (try utf16(bytes[2...], littleEndian: false, fileName: fileName), .utf16BE)
        }
        // UTF-16 without a BOM: NUL bytes at every other position of ASCII text.
        if let le = utf16WithoutBOM(bytes) {
            return (try utf16(bytes[...], littleEndian: le, fileName: fileName), le ? .utf16LE : .utf16BE)
        }
        if let nul = bytes.firstIndex(of: 0) {
            throw BieuMauError(.dataError,
                vi: "tệp có byte NUL (tệp nhị phân?), không phải văn bản CSV. Hãy lưu lại dưới dạng CSV (UTF-8).",
                en: "the file holds a NUL byte (a binary file?), not CSV text. Save it again as CSV (UTF-8).",
                at: SourceLocation(file: fileName, line: lineNumber(bytes, at: nul)))
        }
        if let s = String(validating: bytes, as: UTF8.self) {
            return (TextNormalization.nfc(s), .utf8)
        }
        // UTF-8 throughout but for a few bad bytes (a damaged copy, a cut and pasted field): not
        // another encoding, which would garble every letter; the bad byte is named at its place.
        if let bad = damagedUTF8(bytes) { throw damagedUTF8Error(bad, fileName: fileName) }
        // Not UTF-8: text typed in a legacy Vietnamese font encoding, or Windows-1258.
        let asWindows1258 = try? windows1258(bytes, fileName: fileName)
        if let legacy = VietnameseText.detect(bytes: bytes, windows1258: asWindows1258) {
            return (VietnameseText.decode(bytes, from: legacy), legacy == .tcvn3 ? .tcvn3 : .vni)
        }
        if let asWindows1258 { return (asWindows1258, .windows1258) }
        return (try windows1258(bytes, fileName: fileName), .windows1258)
    }

    /// The refusal of a UTF-8 file with a bad byte, at its line and character.
    static func damagedUTF8Error(_ bad: (line: Int, column: Int, byteHex: String, count: Int), fileName: String) -> BieuMauError {
        BieuMauError(.dataError,
                vi: "tệp là văn bản UTF-8 nhưng có byte không hợp lệ (0x\(bad.byteHex)) ở dòng \(bad.line), ký tự thứ \(bad.column)\(bad.count > 1 ? " (cùng \(bad.count - 1) chỗ hỏng khác)" : ""). Hãy sửa ô đó (gõ lại chữ bị lỗi) hoặc xin lại tệp gốc, rồi lưu dưới dạng \"CSV UTF-8\".",
                en: "the file is UTF-8 text but holds an invalid byte (0x\(bad.byteHex)) at line \(bad.line), character \(bad.column)\(bad.count > 1 ? " (and \(bad.count - 1) more damaged places)" : ""). Correct that cell (retype the broken letter) or ask for the original file, then save it as \"CSV UTF-8\".",
                at: SourceLocation(file: fileName, line: bad.line, column: bad.column))
    }

    /// The first bad sequence of text that is UTF-8 but for a few bad bytes: its 1-based line,
    /// its 1-based character in that line, the byte, and how many bad sequences there are. Nil
    /// when the text does not read as UTF-8 (fewer than 20 good multi-byte letters per bad
    /// sequence: another encoding, whose letters are rarely valid UTF-8 sequences).
    static func damagedUTF8(_ bytes: [UInt8]) -> (line: Int, column: Int, byteHex: String, count: Int)? {
        var goodMultibyte = 0, bad = 0
        var first: (line: Int, column: Int, byte: UInt8)?
        var line = 1, column = 1
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 {
                if b == 0x0A { line += 1; column = 1 }
                else if b == 0x0D { line += 1; column = 1; if i + 1 < n, bytes[i + 1] == 0x0A { i += 1 } }
                else { column += 1 }
                i += 1
                continue
            }
            let width = b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0
            var valid = width > 0 && i + width <= n
            if valid {
                for k in 1..<width where bytes[i + k] & 0xC0 != 0x80 { valid = false }
            }
            if valid {
                // Overlong and surrogate forms are not UTF-8 either.
                let b1 = bytes[i + 1]
                if (b == 0xE0 && b1 < 0xA0) || (b == 0xED && b1 > 0x9F) || (b == 0xF0 && b1 < 0x90) || (b == 0xF4 && b1 > 0x8F) {
                    valid = false
                }
            }
            if valid {
                goodMultibyte += 1
                column += 1
                i += width
            } else {
                bad += 1
                if first == nil { first = (line, column, b) }
                column += 1
                i += 1
            }
        }
        guard let first, bad > 0, goodMultibyte >= 20 * bad else { return nil }
        let hex = String(first.byte, radix: 16, uppercase: true)
        return (first.line, first.column, hex.count < 2 ? "0" + hex : hex, bad)
    }

    /// 1-based line of byte `offset` (LF, CR and CRLF each end a line).
    static func lineNumber(_ bytes: [UInt8], at offset: Int) -> Int {
        var line = 1
        var i = 0
        while i < min(offset, bytes.count) {
            if bytes[i] == 0x0A { line += 1 }
            else if bytes[i] == 0x0D { line += 1; if i + 1 < offset, bytes[i + 1] == 0x0A { i += 1 } }
            i += 1
        }
        return line
    }

    static func utf8(_ bytes: ArraySlice<UInt8>, fileName: String, lineOffset: Int) throws -> String {
        if let s = String(validating: bytes, as: UTF8.self) { return TextNormalization.nfc(s) }
        // Find the first bad sequence for the message.
        var it = bytes.makeIterator()
        var decoder = UTF8()
        var consumed = 0
        var lastGood = bytes.startIndex
        loop: while true {
            switch decoder.decode(&it) {
            case .scalarValue(let v): consumed += UTF8.width(v); lastGood = bytes.startIndex + consumed
            case .emptyInput: break loop
            case .error: break loop
            }
        }
        throw BieuMauError(.dataError,
            vi: "tệp bắt đầu bằng dấu UTF-8 (BOM) nhưng có byte không hợp lệ. Hãy lưu lại tệp dưới dạng \"CSV UTF-8\".",
            en: "the file starts with a UTF-8 byte order mark but holds invalid bytes. Save it again as \"CSV UTF-8\".",
            at: SourceLocation(file: fileName, line: lineNumber(Array(bytes), at: lastGood - bytes.startIndex)))
    }

    static func utf16WithoutBOM(_ bytes: [UInt8]) -> Bool? {
        let sample = bytes.prefix(400)
        guard sample.count >= 4 else { return nil }
        var evenZeros = 0, oddZeros = 0
        for (i, b) in sample.enumerated() where b == 0 { if i % 2 == 0 { evenZeros += 1 } else { oddZeros += 1 } }
        let half = sample.count / 2
        if oddZeros * 10 >= half * 6 && evenZeros * 10 < half { return true }
        if evenZeros * 10 >= half * 6 && oddZeros * 10 < half { return false }
        return nil
    }

    static func utf16(_ bytes: ArraySlice<UInt8>, littleEndian: Bool, fileName: String) throws -> String {
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var i = bytes.startIndex
        while i + 1 < bytes.endIndex {
            let a = UInt16(bytes[i]), b = UInt16(bytes[i + 1])
            units.append(littleEndian ? (b << 8 | a) : (a << 8 | b))
            i += 2
        }
        var out = String.UnicodeScalarView()
        var line = 1
        var it = units.makeIterator()
        var decoder = UTF16()
        var prevCR = false
        loop: while true {
            switch decoder.decode(&it) {
            case .scalarValue(let v):
                if v == "\n" { if !prevCR { line += 1 } } else if v == "\r" { line += 1 }
                prevCR = v == "\r"
                out.append(v)
            case .emptyInput: break loop
            case .error:
                throw BieuMauError(.dataError,
                    vi: "tệp UTF-16 có ký tự không hợp lệ. Hãy lưu lại tệp dưới dạng \"CSV UTF-8\".",
                    en: "the UTF-16 file holds an invalid character. Save it again as \"CSV UTF-8\".",
                    at: SourceLocation(file: fileName, line: line))
            }
        }
        if (bytes.count % 2) != 0 {
            throw BieuMauError(.dataError,
                vi: "tệp UTF-16 bị cắt cụt (số byte lẻ). Hãy lưu lại tệp dưới dạng \"CSV UTF-8\".",
                en: "the UTF-16 file is truncated (odd number of bytes). Save it again as \"CSV UTF-8\".",
                at: SourceLocation(file: fileName, line: line))
        }
        return TextNormalization.nfc(String(out))
    }

    /// Windows-1258 through iconv (glibc), then NFC.
    static func windows1258(_ bytes: [UInt8], fileName: String) throws -> String {
        guard let converter = IconvConverter(from: "WINDOWS-1258") else {
            throw BieuMauError(.dataError,
                vi: "tệp không phải UTF-8 và máy này không giải mã được Windows-1258 (iconv). Hãy lưu lại tệp dưới dạng \"CSV UTF-8\".",
                en: "the file is not UTF-8 and this machine cannot decode Windows-1258 (iconv). Save it again as \"CSV UTF-8\".",
                at: SourceLocation(file: fileName))
        }
        // Windows-1258 needs at most 3 UTF-8 bytes per byte (plus a held-back letter on flush).
        var output = [UInt8](repeating: 0, count: bytes.count * 4 + 16)
        let result: (ok: Bool, consumed: Int, produced: Int) = bytes.withUnsafeBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                let r = converter.convert(inBuf, into: outBuf, flush: true)
                return (r.status == .complete, r.consumed, r.produced)
            }
        }
        guard result.ok else {
            let offset = result.consumed
            let byte = offset < bytes.count ? String(format: "0x%02X", bytes[offset]) : "?"
            throw BieuMauError(.dataError,
                vi: "tệp không phải UTF-8 và cũng không đọc được theo Windows-1258 (byte \(byte)). Hãy lưu lại tệp dưới dạng \"CSV UTF-8\".",
                en: "the file is neither UTF-8 nor readable as Windows-1258 (byte \(byte)). Save it again as \"CSV UTF-8\".",
                at: SourceLocation(file: fileName, line: lineNumber(bytes, at: offset)))
        }
        let s = String(decoding: output[0..<result.produced], as: UTF8.self)
        return TextNormalization.nfc(s)
    }

}
