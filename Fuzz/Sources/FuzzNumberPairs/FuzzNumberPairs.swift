import AppendixModel
import Support

/// Issue #10.1: pairs of numbers as users type them, through every operation and comparison of
/// ExactDecimal. Nothing may trap, and the answers must agree with each other.
/// Input: two texts separated by a NUL byte (or `|`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let cut = bytes.firstIndex(of: 0) ?? bytes.firstIndex(of: UInt8(ascii: "|")) ?? size / 2
    let left = String(decoding: bytes[..<cut], as: UTF8.self)
    let right = String(decoding: bytes[min(cut + 1, size)...], as: UTF8.self)
    let a = numbers(left), b = numbers(right)
    for x in a { for y in b { check(x, y); check(y, x) } }
    return 0
}

/// Every value the text can stand for: both conventions' readings and the plain decimal.
func numbers(_ text: String) -> [ExactDecimal] {
    var out: [ExactDecimal] = []
    let c = NumberParser.classify(text)
    for locale in [NumberLocale.vi, .en] { if let r = c.reading(in: locale) { out.append(r.value) } }
    if let d = ExactDecimal(text) { out.append(d) }
    if case .outOfRange = c { precondition(c.reading(in: .vi) == nil) }
    return out
}

func check(_ a: ExactDecimal, _ b: ExactDecimal) {
    let c = ExactDecimal.compare(a, b)
    precondition(c == -ExactDecimal.compare(b, a), "compare is not antisymmetric")
    precondition((a < b) == (c < 0) && (a == b) == (c == 0) && (b < a) == (c > 0))
    if a == b { precondition(a.hashValue == b.hashValue, "equal values hash differently") }
    precondition(ExactDecimal.compare(a, a) == 0)
    if let s = a.adding(b) {
        precondition(b.adding(a) == s, "adding is not commutative")
        if let back = s.subtracting(b) { precondition(back == a, "(a + b) - b != a") }
        if b.isZero { precondition(s == a) }
        if !b.isZero && !b.isNegative { precondition(a < s) }
        if b.isNegative { precondition(s < a) }
    }
    if let d = a.subtracting(b) {
        precondition((d.isZero) == (a == b))
        precondition(d.isNegative == (a < b))
    }
    if let p = a.multiplied(by: b) {
        precondition(b.multiplied(by: a) == p, "multiplying is not commutative")
        if a.isZero || b.isZero { precondition(p.isZero) }
    }
    _ = a.divided(by: b, places: 4)
    _ = a.divided(by: b, places: 30)
    _ = a.rounded(toPlaces: 2).formatted(.vi, places: 2)
    _ = a.magnitude
    _ = -a
    _ = a.isWithinSupportedRange
    precondition(ExactDecimal(a.description) == a, "description does not read back")
}
