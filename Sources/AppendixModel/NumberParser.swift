import Support

/// A number read from text: its value, whether it carried `%`, and the decimals as printed.
public struct NumberReading: Sendable, Hashable {
    public var value: ExactDecimal
    public var isPercent: Bool
    /// Fraction digits as printed (`2,30` → 2).
    public var decimals: Int
    public init(value: ExactDecimal, isPercent: Bool, decimals: Int) {
        self.value = value
        self.isPercent = isPercent
        self.decimals = decimals
    }
}

/// How a text reads as a number in the two conventions users mix.
/// Indirect: a `RowValue` carries one, and rows of hundreds of units are held at once (a merge).
public indirect enum NumberClassification: Sendable, Hashable {
    case notANumber
    /// Reads the same in both (`13`, `03`, `268763`, `25%`).
    case plain(NumberReading)
    /// Only Vietnamese makes sense (`2,30`, `2.304,717`, `1.234.567`).
    case onlyVietnamese(NumberReading)
    /// Only English makes sense (`2.30`, `1,234.5`, `1,234,567`).
    case onlyEnglish(NumberReading)
    /// Both make sense and differ (`136.284`: 136284 or 136.284; `1,234`).
    case ambiguous(vietnamese: NumberReading, english: NumberReading)
    /// Written as a number but beyond what is summed exactly (more than
    /// `ExactDecimal.maxIntegerDigits` digits before the decimal point or `ExactDecimal.maxDecimals`
    /// after it): a finding at its cell, never a trap.
    case outOfRange

    public func reading(in locale: NumberLocale) -> NumberReading? {
        switch self {
        case .notANumber, .outOfRange: return nil
        case .plain(let r): return r
        case .onlyVietnamese(let r): return r
        case .onlyEnglish(let r): return r
        case .ambiguous(let vi, let en): return locale == .vi ? vi : en
        }
    }

    public var isNumber: Bool {
        switch self {
        case .notANumber, .outOfRange: return false
        default: return true
        }
    }
}

/// Parses numbers as Vietnamese offices type them. See `docs/` for the rules.
public enum NumberParser {
    /// Classifies `text` (white space around it and `%` with or without a space are allowed).
    public static func classify(_ text: String) -> NumberClassification {
        var overflowed = false
        let c = classify(text, overflowed: &overflowed)
        switch c {
        case .notANumber: return overflowed ? .outOfRange : c
        case .outOfRange: return c
        case .plain(let r), .onlyVietnamese(let r), .onlyEnglish(let r):
            return r.value.isWithinSupportedRange ? c : .outOfRange
        case .ambiguous(let vi, let en):
            return vi.value.isWithinSupportedRange && en.value.isWithinSupportedRange ? c : .outOfRange
        }
    }

    private static func classify(_ text: String, overflowed: inout Bool) -> NumberClassification {
        var s = Substring(TextNormalization.collapseWhitespace(TextNormalization.stripMarkup(text)))
        guard !s.isEmpty else { return .notANumber }
        var percent = false
        if s.hasSuffix("%") {
            percent = true
            s = s.dropLast()
            while s.last == " " { s = s.dropLast() }
        }
        var negative = false
        if let f = s.first, f == "-" || f == "+" || f == "\u{2212}" {
            negative = f != "+"
            s = s.dropFirst()
            while s.first == " " { s = s.dropFirst() }
        }
        guard !s.isEmpty else { return .notANumber }
        // Only digits and separators from here.
        var dots = 0, commas = 0, spaces = 0
        for ch in s {
            switch ch {
            case "0"..."9": continue
            case ".": dots += 1
            case ",": commas += 1
            case " ", "\u{202F}", "\u{2009}": spaces += 1
            default: return .notANumber
            }
        }
        guard s.first!.isNumber || s.first == "." || s.first == "," else { return .notANumber }
        func make(_ intDigits: String, _ frac: String) -> NumberReading? {
            let body = frac.isEmpty ? intDigits : "\(intDigits.isEmpty ? "0" : intDigits).\(frac)"
            guard var v = ExactDecimal(body) else {
                // Only digits and one point reach here: failing means too many digits.
                overflowed = true
                return nil
            }
            if negative { v = -v }
            return NumberReading(value: v, isPercent: percent, decimals: frac.count)
        }
        func validGroups(_ text: Substring, separator: Character) -> String? {
            let groups = text.split(separator: separator, omittingEmptySubsequences: false)
            guard let first = groups.first, (1...3).contains(first.count), first.allSatisfy(\.isNumber) else { return nil }
            for g in groups.dropFirst() where g.count != 3 || !g.allSatisfy(\.isNumber) { return nil }
            return groups.joined()
        }
        // Spaces can only group thousands.
        if spaces > 0 {
            guard dots + commas <= 1 else { return .notANumber }
            var intPart = s, frac = Substring("")
            var decimalSep: Character?
            if let i = s.lastIndex(where: { $0 == "," || $0 == "." }) {
                decimalSep = s[i]
                intPart = s[..<i]
                frac = s[s.index(after: i)...]
            }
            guard let digits = validGroups(Substring(intPart.replacingOccurrences(of: "\u{202F}", with: " ")
                .replacingOccurrences(of: "\u{2009}", with: " ")), separator: " "),
                  frac.allSatisfy(\.isNumber), let r = make(digits, String(frac)) else { return .notANumber }
            if decimalSep == "," { return .onlyVietnamese(r) }
            if decimalSep == "." { return .onlyEnglish(r) }
            return .plain(r)
        }
        if dots == 0 && commas == 0 {
            guard let r = make(String(s), "") else { return .notANumber }
            return .plain(r)
        }
        if dots > 0 && commas > 0 {
            let lastDot = s.lastIndex(of: ".")!, lastComma = s.lastIndex(of: ",")!
            let decimalIsComma = lastComma > lastDot
            let decimalSep: Character = decimalIsComma ? "," : "."
            let groupSep: Character = decimalIsComma ? "." : ","
            if (decimalIsComma ? commas : dots) != 1 { return .notANumber }
            let i = decimalIsComma ? lastComma : lastDot
            let intPart = s[..<i], frac = s[s.index(after: i)...]
            guard !frac.isEmpty, frac.allSatisfy(\.isNumber), !intPart.contains(decimalSep),
                  let digits = validGroups(intPart, separator: groupSep),
                  let r = make(digits, String(frac)) else { return .notANumber }
            return decimalIsComma ? .onlyVietnamese(r) : .onlyEnglish(r)
        }
        // Exactly one kind of separator.
        let sep: Character = dots > 0 ? "." : ","
        let count = dots > 0 ? dots : commas
        // As grouping: the Vietnamese reading for '.', the English one for ','.
        let grouped = validGroups(s, separator: sep).flatMap { make($0, "") }
        var asDecimal: NumberReading?
        if count == 1 {
            let i = s.firstIndex(of: sep)!
            let intPart = s[..<i], frac = s[s.index(after: i)...]
            if !frac.isEmpty && frac.allSatisfy(\.isNumber) && intPart.allSatisfy(\.isNumber) {
                asDecimal = make(String(intPart), String(frac))
            }
        }
        let groupingLocaleIsVi = sep == "."
        switch (grouped, asDecimal) {
        case (nil, nil): return .notANumber
        case (let g?, nil): return groupingLocaleIsVi ? .onlyVietnamese(g) : .onlyEnglish(g)
        case (nil, let d?): return groupingLocaleIsVi ? .onlyEnglish(d) : .onlyVietnamese(d)
        case (let g?, let d?):
            return groupingLocaleIsVi ? .ambiguous(vietnamese: g, english: d) : .ambiguous(vietnamese: d, english: g)
        }
    }

    /// The document's convention, decided from the numbers that can only be read one way.
    /// Vietnamese wins ties and documents with no evidence; `mixed` is true when both appear.
    public static func decideLocale(_ classifications: [NumberClassification]) -> (locale: NumberLocale, mixed: Bool) {
        var vi = 0, en = 0
        for c in classifications {
            switch c {
            case .onlyVietnamese: vi += 1
            case .onlyEnglish: en += 1
            default: break
            }
        }
        return (en > vi ? .en : .vi, vi > 0 && en > 0)
    }
}
