/// An exact decimal number: `significand × 10^-scale`. Counts and money are summed with it,
/// never with binary floating point. 128-bit significand, scale 0...30.
public struct ExactDecimal: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public private(set) var significand: Int128
    public private(set) var scale: Int

    public static let maxScale = 30
    public static let zero = ExactDecimal(significand: 0, scale: 0)

    public init(significand: Int128, scale: Int) {
        precondition(scale >= 0 && scale <= ExactDecimal.maxScale)
        self.significand = significand
        self.scale = scale
    }

    public init(_ int: Int) {
        self.init(significand: Int128(int), scale: 0)
    }

    /// Parses plain decimal text as stored in files and by `description`: `-12`, `2.304717`,
    /// `.5`, `1E-3`, `1.5e+2`. No grouping separators, no locale: see `NumberParser` for user text.
    public init?(_ text: some StringProtocol) {
        var sig: Int128 = 0
        var scale = 0
        var negative = false
        var sawDigit = false, sawPoint = false
        var exponent = 0
        var bytes = Array(text.utf8)[...]
        if let f = bytes.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") {
            negative = f == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            if b >= 48 && b <= 57 {
                sawDigit = true
                let (m, o1) = sig.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int128(b - 48))
                if o1 || o2 { return nil }
                sig = a
                if sawPoint { scale += 1 }
            } else if b == UInt8(ascii: ".") && !sawPoint {
                sawPoint = true
            } else if (b == UInt8(ascii: "e") || b == UInt8(ascii: "E")) && sawDigit {
                let rest = String(decoding: bytes[(i + 1)...], as: UTF8.self)
                guard let e = Int(rest), e > -60 && e < 60 else { return nil }
                exponent = e
                break
            } else {
                return nil
            }
            i += 1
        }
        guard sawDigit else { return nil }
        // Apply the exponent.
        scale -= exponent
        while scale < 0 {
            let (m, o) = sig.multipliedReportingOverflow(by: 10)
            if o { return nil }
            sig = m
            scale += 1
        }
        while scale > ExactDecimal.maxScale {
            // More digits than we keep: only acceptable if they are zeros.
            if sig % 10 != 0 { return nil }
            sig /= 10
            scale -= 1
        }
        self.init(significand: negative ? -sig : sig, scale: scale)
        self = self.normalized
    }

    /// The same number with trailing fractional zeros removed.
    public var normalized: ExactDecimal {
        var s = significand, sc = scale
        while sc > 0 && s % 10 == 0 { s /= 10; sc -= 1 }
        return ExactDecimal(significand: s, scale: sc)
    }

    public var isZero: Bool { significand == 0 }
    public var isNegative: Bool { significand < 0 }
    public var isInteger: Bool { normalized.scale == 0 }

    private static func pow10(_ n: Int) -> Int128 {
        var r: Int128 = 1
        for _ in 0..<n { r *= 10 }
        return r
    }

    // MARK: checked arithmetic
    //
    // No operation on user numbers may trap (DEVELOPERS.md). Comparisons are exact for every pair
    // of values; `adding`, `subtracting` and `multiplied(by:)` return nil when the exact result
    // does not fit (then the caller reports the number as beyond the supported range). The
    // trapping operators `+ - * +=` do not exist on purpose.

    /// The numbers a user may give: at most `maxIntegerDigits` digits before the decimal point and
    /// `maxDecimals` after it (docs/limits.md). Within these, sums of up to 100 values cannot
    /// overflow; beyond them a value is a finding at its cell.
    public static let maxIntegerDigits = 18
    public static let maxDecimals = 18

    /// Within the range and precision bieumau promises to sum exactly (`maxIntegerDigits`, `maxDecimals`).
    public var isWithinSupportedRange: Bool {
        let n = normalized
        guard n.scale <= ExactDecimal.maxDecimals else { return false }
        // |significand| < 10^(maxIntegerDigits + scale)
        guard let bound = ExactDecimal.checkedScale(1, by: ExactDecimal.maxIntegerDigits + n.scale) else { return true }
        return n.significand > -bound && n.significand < bound
    }

    /// Both numbers at the same scale, nil when that does not fit in 128 bits.
    private static func alignedChecked(_ a: ExactDecimal, _ b: ExactDecimal) -> (Int128, Int128, Int)? {
        if a.scale == b.scale { return (a.significand, b.significand, a.scale) }
        if a.scale < b.scale {
            guard let x = checkedScale(a.significand, by: b.scale - a.scale) else { return nil }
            return (x, b.significand, b.scale)
        }
        guard let y = checkedScale(b.significand, by: a.scale - b.scale) else { return nil }
        return (a.significand, y, a.scale)
    }

    /// A significand that can be negated (Int128.min cannot).
    private static func representable(_ v: Int128) -> Bool { v != Int128.min }

    /// `self + other`, exact; nil when the result is beyond 128 bits at the larger scale.
    public func adding(_ other: ExactDecimal) -> ExactDecimal? {
        guard let (x, y, s) = ExactDecimal.alignedChecked(self, other)
                ?? ExactDecimal.alignedChecked(self.normalized, other.normalized) else { return nil }
        let (r, o) = x.addingReportingOverflow(y)
        guard !o, ExactDecimal.representable(r) else { return nil }
        return ExactDecimal(significand: r, scale: s)
    }

    /// `self - other`, exact; nil when the result does not fit.
    public func subtracting(_ other: ExactDecimal) -> ExactDecimal? {
        guard ExactDecimal.representable(other.significand) else { return nil }
        return adding(ExactDecimal(significand: -other.significand, scale: other.scale))
    }

    /// `self × other`, exact; nil when the product does not fit (more than 128 bits, or more than
    /// `maxScale` decimals that are not zeros).
    public func multiplied(by other: ExactDecimal) -> ExactDecimal? {
        let a = normalized, b = other.normalized
        let (p, o) = a.significand.multipliedReportingOverflow(by: b.significand)
        guard !o, ExactDecimal.representable(p) else { return nil }
        var sig = p, s = a.scale + b.scale
        while s > ExactDecimal.maxScale {
            guard sig % 10 == 0 else { return nil }
            sig /= 10
            s -= 1
        }
        return ExactDecimal(significand: sig, scale: s).normalized
    }

    /// Sum of `values`, exact; nil as soon as a partial sum does not fit.
    public static func sum(_ values: some Sequence<ExactDecimal>) -> ExactDecimal? {
        var total = ExactDecimal.zero
        for v in values {
            guard let t = total.adding(v) else { return nil }
            total = t
        }
        return total
    }

    @available(*, unavailable, message: "traps on overflow: use adding(_:), which returns nil beyond the supported range")
    public static func + (a: ExactDecimal, b: ExactDecimal) -> ExactDecimal { fatalError() }
    @available(*, unavailable, message: "traps on overflow: use subtracting(_:), which returns nil beyond the supported range")
    public static func - (a: ExactDecimal, b: ExactDecimal) -> ExactDecimal { fatalError() }
    @available(*, unavailable, message: "traps on overflow: use adding(_:), which returns nil beyond the supported range")
    public static func += (a: inout ExactDecimal, b: ExactDecimal) { fatalError() }
    @available(*, unavailable, message: "traps on overflow: use multiplied(by:), which returns nil beyond the supported range")
    public static func * (a: ExactDecimal, b: ExactDecimal) -> ExactDecimal { fatalError() }

    public static prefix func - (a: ExactDecimal) -> ExactDecimal {
        // Int128.min never comes out of parsing or of the checked operations; keep it total anyway.
        guard representable(a.significand) else { return ExactDecimal(significand: Int128.max, scale: a.scale) }
        return ExactDecimal(significand: -a.significand, scale: a.scale)
    }

    /// -1, 0 or 1: exact for every pair, never traps (when aligning overflows, the number whose
    /// significand would overflow is the larger in magnitude).
    public static func compare(_ a: ExactDecimal, _ b: ExactDecimal) -> Int {
        let sa = a.significand.signum(), sb = b.significand.signum()
        if sa != sb { return sa < sb ? -1 : 1 }
        if sa == 0 { return 0 }
        if let (x, y, _) = alignedChecked(a, b) { return x < y ? -1 : (x == y ? 0 : 1) }
        // The operand with the smaller scale overflowed when scaled: it is larger in magnitude.
        let aIsLarger = a.scale < b.scale
        let positive = sa > 0
        return aIsLarger == positive ? 1 : -1
    }

    public static func < (a: ExactDecimal, b: ExactDecimal) -> Bool { compare(a, b) < 0 }

    public static func == (a: ExactDecimal, b: ExactDecimal) -> Bool { compare(a, b) == 0 }

    public func hash(into hasher: inout Hasher) {
        let n = normalized
        hasher.combine(n.significand)
        hasher.combine(n.scale)
    }

    public var magnitude: ExactDecimal { significand < 0 ? -self : self }

    /// Rounds half away from zero to `places` decimals.
    public func rounded(toPlaces places: Int) -> ExactDecimal {
        if places >= scale { return self }
        let drop = ExactDecimal.pow10(scale - places)
        var q = significand / drop
        let r = significand % drop
        if (r < 0 ? -r : r) * 2 >= drop { q += significand < 0 ? -1 : 1 }
        return ExactDecimal(significand: q, scale: places)
    }

    /// `self / divisor`, rounded half away from zero to `places` decimals; nil for a zero divisor.
    public func divided(by divisor: ExactDecimal, places: Int) -> ExactDecimal? {
        guard !divisor.isZero, ExactDecimal.representable(significand),
              ExactDecimal.representable(divisor.significand) else { return nil }
        // self/div = (a/10^sa) / (b/10^sb) = a*10^(sb-k) / (b*10^(sa-k)), k = min(sa, sb);
        // scaled by 10^(places+1) for rounding. Numbers read from workbooks carry up to 17 digits
        // (IEEE doubles), so the products can pass 128 bits: then the operand with more decimals
        // drops its last one and the division is tried again (the error stays far below `places`).
        let p = min(places, ExactDecimal.maxScale)
        var a = self.normalized, b = divisor.normalized
        while true {
            let k = min(a.scale, b.scale)
            if let num = ExactDecimal.checkedScale(a.significand, by: b.scale - k + p + 1),
               let den0 = ExactDecimal.checkedScale(b.significand, by: a.scale - k) {
                var n = num, den = den0
                if den < 0 { den = -den; n = -n }
                var q = n / den           // truncated, p+1 decimals
                let lastDigit = q % 10
                q /= 10
                if lastDigit >= 5 { q += 1 } else if lastDigit <= -5 { q -= 1 }
                return ExactDecimal(significand: q, scale: p)
            }
            if a.scale >= b.scale && a.scale > 0 {
                a = a.rounded(toPlaces: a.scale - 1).normalized
            } else if b.scale > 0 {
                b = b.rounded(toPlaces: b.scale - 1).normalized
                if b.isZero { return nil }
            } else {
                return nil
            }
        }
    }

    /// `value × 10^power`, nil on overflow.
    private static func checkedScale(_ value: Int128, by power: Int) -> Int128? {
        var v = value
        for _ in 0..<max(power, 0) {
            let (m, o) = v.multipliedReportingOverflow(by: 10)
            if o { return nil }
            v = m
        }
        return v
    }

    /// Plain text with `.` as decimal point and no grouping: `136284`, `2.3`, `-0.05`.
    public var description: String {
        let n = self
        let neg = n.significand < 0
        var digits = String(n.significand.magnitude)
        if n.scale > 0 {
            if digits.count <= n.scale { digits = String(repeating: "0", count: n.scale - digits.count + 1) + digits }
            let idx = digits.index(digits.endIndex, offsetBy: -n.scale)
            digits = digits[..<idx] + "." + digits[idx...]
        }
        return (neg ? "-" : "") + digits
    }

    /// Vietnamese presentation: `136.284`, `2,30`, `2.304,717`; `places` fixes the decimals shown.
    public func formatted(_ locale: NumberLocale, places: Int? = nil) -> String {
        var v = self
        if let places { v = v.rounded(toPlaces: places) }
        // `description` is ASCII (`-`, digits, `.`): grouped on its bytes (messages format many numbers).
        let d = Array(v.description.utf8)
        var start = 0
        let neg = d.first == UInt8(ascii: "-")
        if neg { start = 1 }
        var dot = d.count
        for i in start..<d.count where d[i] == UInt8(ascii: ".") { dot = i; break }
        let fracStart = min(dot + 1, d.count)
        let fracCount = d.count - fracStart
        let group: UInt8 = locale == .vi ? UInt8(ascii: ".") : UInt8(ascii: ",")
        let point: UInt8 = locale == .vi ? UInt8(ascii: ",") : UInt8(ascii: ".")
        var out: [UInt8] = []
        out.reserveCapacity(d.count + d.count / 3 + (places ?? 0) + 2)
        if neg { out.append(UInt8(ascii: "-")) }
        let intCount = dot - start
        for i in 0..<intCount {
            if i > 0 && (intCount - i) % 3 == 0 { out.append(group) }
            out.append(d[start + i])
        }
        var padding = 0
        if let places, fracCount < places { padding = places - fracCount }
        if fracCount + padding > 0 {
            out.append(point)
            out.append(contentsOf: d[fracStart...])
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: padding))
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// For the spreadsheet writer only: XLSX stores numbers as IEEE doubles.
    /// The nearest `Double` (as `Double(description)` reads it). When the significand and the power
    /// of ten are both exact doubles (|significand| ≤ 2^53, scale ≤ 22), one correctly rounded
    /// division gives that nearest double (Clinger's fast path, as strtod takes it) without making
    /// and parsing the text: the writer converts every number of a merged workbook.
    public var doubleValue: Double {
        let m = significand.magnitude
        if m <= 1 << 53 && scale <= 22 {
            let d = Double(Int64(significand))
            return scale == 0 ? d : d / Self.exactPowersOfTen[scale]
        }
        return Double(description) ?? .nan
    }

    /// 10^0 … 10^22: every one an exact double.
    private static let exactPowersOfTen: [Double] = (0...22).map { e in (0..<e).reduce(1.0) { x, _ in x * 10 } }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let v = ExactDecimal(s) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a decimal: \(s)")
        }
        self = v
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

public enum NumberLocale: String, Sendable, Hashable, Codable {
    /// Thousands `.`, decimal `,` (`136.284`, `2,30`).
    case vi
    /// Thousands `,`, decimal `.`.
    case en
}
