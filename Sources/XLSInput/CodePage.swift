import IconvWrapper
import Support
import VietnameseText

/// Text of BIFF5 (Excel 5.0/95) byte strings, in the code page the CODEPAGE record names. BIFF8
/// stores UTF-16 and needs none of this.
enum CodePage {
    static func decode(_ bytes: some Collection<UInt8>, codepage: Int) -> String {
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        switch codepage {
        case 1252, 32769, 367:
            return VietnameseText.windows1252(bytes)
        case 1200:
            return String(decoding: bytes.map { UInt16($0) }, as: UTF16.self)
        default:
            // Other code pages (1258 Vietnamese, 1250, 1251, 932…) through the C library's iconv,
            // on a copy of the bytes and a bounded output buffer; an unknown page reads as 1252.
            guard let name = iconvName(codepage), let converter = IconvConverter(from: name) else {
                return VietnameseText.windows1252(bytes)
            }
            let input = Array(bytes)
            var output = [UInt8](repeating: 0, count: input.count * 4 + 16)
            let result = input.withUnsafeBufferPointer { inBuf in
                output.withUnsafeMutableBufferPointer { outBuf in converter.convert(inBuf, into: outBuf, flush: true) }
            }
            guard result.status == .complete else { return VietnameseText.windows1252(bytes) }
            return TextNormalization.nfc(String(decoding: output[0..<result.produced], as: UTF8.self))
        }
    }

    static func iconvName(_ codepage: Int) -> String? {
        switch codepage {
        case 437, 737, 775, 850, 852, 855, 857, 860, 861, 862, 863, 864, 865, 866, 869, 874, 932, 936, 949, 950:
            return "CP\(codepage)"
        case 1250, 1251, 1253, 1254, 1255, 1256, 1257, 1258: return "WINDOWS-\(codepage)"
        case 10000, 32768: return "MACINTOSH"
        default: return nil
        }
    }
}
