import AppendixModel
import Support

/// The number parser and exact decimals on arbitrary text.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let c = NumberParser.classify(text)
    _ = NumberParser.decideLocale([c, NumberParser.classify(String(text.reversed()))])
    if let d = ExactDecimal(text) {
        _ = d.formatted(.vi, places: 2)
        _ = d.rounded(toPlaces: 3)
        _ = d.divided(by: d, places: 4)
    }
    return 0
}
