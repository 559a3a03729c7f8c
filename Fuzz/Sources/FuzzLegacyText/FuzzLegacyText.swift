import VietnameseText

/// The legacy-encoding decoder: detection and decoding of arbitrary bytes as TCVN3 and VNI, the
/// font-text path (Windows-1252 characters back to bytes), and encoding of whatever decodes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = VietnameseText.detect(bytes: bytes, windows1258: nil)
    for encoding in LegacyVietnameseEncoding.allCases {
        let text = VietnameseText.decode(bytes, from: encoding)
        let latin = String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        _ = VietnameseText.convertFontText(latin, from: encoding, font: ".VnTimeH")
        _ = VietnameseText.detect(fontText: latin)
        _ = VietnameseText.encodeTCVN3(text)
        _ = VietnameseText.encodeVNI(text)
    }
    if let s = String(validating: bytes, as: UTF8.self) {
        _ = VietnameseText.encodeTCVN3(s)
        _ = VietnameseText.encodeVNI(s)
    }
    return 0
}
