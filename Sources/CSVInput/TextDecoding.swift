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

/// Helpers of encoding detection (the detection itself is `CSVStreamReader.detectEncoding`).
enum TextDecoder {
    /// UTF-16 without a BOM: NUL bytes at every other position of ASCII text (true = little-endian).
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

    /// `bytes` read as Windows-1258 through iconv (glibc), NFC; nil when they are not
    /// (for telling TCVN3/VNI text from Windows-1258).
    static func windows1258(_ bytes: [UInt8]) -> String? {
        guard let converter = IconvConverter(from: "WINDOWS-1258") else { return nil }
        // Windows-1258 needs at most 3 UTF-8 bytes per byte (plus a held-back letter on flush).
        var output = [UInt8](repeating: 0, count: bytes.count * 4 + 16)
        let result: (ok: Bool, produced: Int) = bytes.withUnsafeBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                let r = converter.convert(inBuf, into: outBuf, flush: true)
                return (r.status == .complete, r.produced)
            }
        }
        guard result.ok else { return nil }
        return TextNormalization.nfc(String(decoding: output[0..<result.produced], as: UTF8.self))
    }
}
