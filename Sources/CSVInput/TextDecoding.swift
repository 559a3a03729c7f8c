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
