import Foundation
import Support

/// A reporting period kind (guidance 581/BNV-CCHC; cut-off rule of Nghị định 09/2019/NĐ-CP).
public enum PeriodKind: String, Sendable, Hashable, CaseIterable, Codable {
    case q1 = "quy-1", sixMonths = "6-thang", q3 = "quy-3", nineMonths = "9-thang", year = "nam"

    /// Cumulative periods run from 15/12 of the previous year; Q3 stands alone.
    public var isCumulative: Bool { self != .q3 }

    /// Months covered, for ordering cumulative periods of a year.
    public var endMonth: Int {
        switch self {
        case .q1: return 3
        case .sixMonths: return 6
        case .q3, .nineMonths: return 9
        case .year: return 12
        }
    }

    public var vietnamese: String {
        switch self {
        case .q1: return "Quý I"
        case .sixMonths: return "6 tháng"
        case .q3: return "Quý III"
        case .nineMonths: return "9 tháng"
        case .year: return "Năm"
        }
    }

    public var english: String {
        switch self {
        case .q1: return "Q1"
        case .sixMonths: return "6 months"
        case .q3: return "Q3"
        case .nineMonths: return "9 months"
        case .year: return "Year"
        }
    }
}

public struct Period: Sendable, Hashable, Codable, CustomStringConvertible {
    public var kind: PeriodKind
    public var year: Int
    public init(kind: PeriodKind, year: Int) {
        self.kind = kind
        self.year = year
    }

    /// `Quý I năm 2023`, `6 tháng đầu năm 2023`, `Năm 2023`.
    public var vietnamese: String {
        switch kind {
        case .year: return "Năm \(year)"
        case .sixMonths: return "6 tháng đầu năm \(year)"
        case .nineMonths: return "9 tháng đầu năm \(year)"
        default: return "\(kind.vietnamese) năm \(year)"
        }
    }

    public var description: String { vietnamese }

    /// A period given on the command line (`--period`): the forms `parse` reads, or the stored
    /// form `quy-1/2023`; otherwise a usage error with examples.
    public static func option(_ text: String) throws -> Period {
        if let p = WorkbookProperty.decodePeriod(text) { return p }
        throw BieuMauError(.usage,
            vi: "Không hiểu kỳ báo cáo \"\(text)\". Ví dụ: \"Quý I/2023\", \"6 tháng đầu năm 2023\", \"Quý III/2023\", \"9 tháng 2023\", \"Năm 2023\".",
            en: "Cannot read the period \"\(text)\". Examples: \"Quý I/2023\", \"6 tháng đầu năm 2023\", \"Quý III/2023\", \"9 tháng 2023\", \"Năm 2023\".")
    }

    /// Reads `Quý I/2023`, `Quý I năm 2023`, `quý 1 2023`, `Q1/2023`, `6 tháng đầu năm 2023`,
    /// `Năm 2023`, `năm 2023`; nil when no period is named.
    public static func parse(_ text: String) -> Period? {
        let t = TextNormalization.collapseWhitespace(TextNormalization.nfc(text)).lowercased()
        return parse(scalars: Array(t.unicodeScalars))
    }

    /// The reading of cleaned, lower-cased text, as the regular expressions
    /// `(19|20)\d\d` (the year, leftmost), then before it `(quý|quí|q)\s*(iii|3)\b`,
    /// `(quý|quí|q)\s*(i|1)\b`, `\b(6|sáu)\s*tháng`, `\b6\s*month`, the same for 9, and
    /// `(^|\s)(năm|year|cả năm)\s*$` or nothing (written without NSRegularExpression, see `PlainText`).
    static func parse(scalars s: [Unicode.Scalar]) -> Period? {
        // (19|20)\d\d, leftmost.
        var yearAt: Int?
        var i = 0
        while i + 3 < s.count {
            if ((s[i] == "1" && s[i + 1] == "9") || (s[i] == "2" && s[i + 1] == "0"))
                && PlainText.isDigit(s[i + 2]) && PlainText.isDigit(s[i + 3]) { yearAt = i; break }
            i += 1
        }
        guard let y = yearAt, let year = Int(PlainText.string(s[y..<(y + 4)])) else { return nil }
        let head = Array(s[..<y])
        let n = head.count
        // (quý|quí|q)\s*(alternatives)\b
        func quarter(_ alternatives: [String]) -> Bool {
            for p in 0..<n {
                var starts: [Int] = []
                if PlainText.has(head, at: p, "quý") || PlainText.has(head, at: p, "quí") { starts.append(p + 3) }
                if head[p] == "q" { starts.append(p + 1) }
                for start in starts {
                    let k = PlainText.skipSpaces(head, start)
                    for a in alternatives where PlainText.has(head, at: k, a) {
                        let end = k + a.unicodeScalars.count
                        if end == n || !PlainText.isWord(head[end]) { return true }
                    }
                }
            }
            return false
        }
        // \b(word)\s*(tail)
        func wordThen(_ word: String, _ tail: String) -> Bool {
            for p in 0..<n where p == 0 || !PlainText.isWord(head[p - 1]) {
                guard PlainText.has(head, at: p, word) else { continue }
                let k = PlainText.skipSpaces(head, p + word.unicodeScalars.count)
                if PlainText.has(head, at: k, tail) { return true }
            }
            return false
        }
        if quarter(["iii", "3"]) { return Period(kind: .q3, year: year) }
        if quarter(["i", "1"]) { return Period(kind: .q1, year: year) }
        if wordThen("6", "tháng") || wordThen("sáu", "tháng") || wordThen("6", "month") { return Period(kind: .sixMonths, year: year) }
        if wordThen("9", "tháng") || wordThen("chín", "tháng") || wordThen("9", "month") { return Period(kind: .nineMonths, year: year) }
        // (^|\s)(năm|year|cả năm)\s*$, or nothing but spaces before the year.
        let e = n - (head.reversed().firstIndex { $0 != " " } ?? n)
        for w in ["năm", "year", "cả năm"] {
            let len = w.unicodeScalars.count
            if e >= len && PlainText.has(head, at: e - len, w) && (e - len == 0 || head[e - len - 1] == " ") {
                return Period(kind: .year, year: year)
            }
        }
        if e == 0 { return Period(kind: .year, year: year) }
        return nil
    }
}

/// A date as printed in "(Kèm theo Báo cáo số …/BC-UBND ngày …)": parts may be blank.
public struct ReportDate: Sendable, Hashable, Codable {
    public var day: Int?
    public var month: Int?
    public var year: Int?
    public init(day: Int? = nil, month: Int? = nil, year: Int? = nil) {
        self.day = day
        self.month = month
        self.year = year
    }

    /// False when a printed part cannot be a date: month outside 1–12, day outside the month
    /// (`45/13/2023`, `31/4/2023`, `29/2/2023`). Blank parts are fine (`ngày /3/2022`).
    public var isValid: Bool {
        if let m = month, !(1...12).contains(m) { return false }
        if let d = day {
            var days = 31
            if let m = month {
                switch m {
                case 4, 6, 9, 11: days = 30
                case 2:
                    if let y = year { days = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28 } else { days = 29 }
                default: days = 31
                }
            }
            if !(1...days).contains(d) { return false }
        }
        return true
    }

    /// Reads `ngày /3/2022`, `ngày 15/3/2023`, `ngày 15 tháng 3 năm 2023`, `ngày  tháng 3 năm 2023`.
    /// Blank parts may be printed as `…` or `...` (`ngày …/3/2022`, as the official workbook prints them).
    public static func parse(_ text: String) -> ReportDate? {
        var t = TextNormalization.lowercased(TextNormalization.collapseWhitespace(TextNormalization.nfc(text)))
        // Most lines print no ellipsis: the (Foundation) replacements only when there is one.
        if mayHoldEllipsis(t) {
            t = t.replacingOccurrences(of: "…", with: "").replacingOccurrences(of: "...", with: "")
        }
        return parse(scalars: Array(t.unicodeScalars))
    }

    /// True unless `t` certainly holds neither `…` (U+2026) nor `...`.
    static func mayHoldEllipsis(_ t: String) -> Bool {
        var dots = 0, previous: UInt8 = 0, beforePrevious: UInt8 = 0
        for b in t.utf8 {
            if b == UInt8(ascii: ".") {
                dots += 1
                if dots == 3 { return true }
            } else {
                dots = 0
            }
            if beforePrevious == 0xE2 && previous == 0x80 && b == 0xA6 { return true }
            beforePrevious = previous
            previous = b
        }
        return false
    }

    /// The reading of cleaned, lower-cased text without ellipses, as the regular expressions
    /// `ngày\s*(\d{0,2})\s*/\s*(\d{0,2})\s*/\s*(\d{4})`, else
    /// `ngày\s*(\d{0,2})\s*tháng\s*(\d{0,2})\s*năm\s*(\d{4})` (leftmost; see `PlainText`).
    static func parse(scalars s: [Unicode.Scalar]) -> ReportDate? {
        // ngày\s*(\d{0,2})\s*/\s*(\d{0,2})\s*/\s*(\d{4}), leftmost.
        func slashed(from p: Int) -> Int? {
            guard PlainText.has(s, at: p, "ngày") else { return nil }
            var k = PlainText.skipDigits(s, PlainText.skipSpaces(s, p + 4), limit: 2)
            k = PlainText.skipSpaces(s, k)
            guard k < s.count, s[k] == "/" else { return nil }
            k = PlainText.skipDigits(s, PlainText.skipSpaces(s, k + 1), limit: 2)
            k = PlainText.skipSpaces(s, k)
            guard k < s.count, s[k] == "/" else { return nil }
            k = PlainText.skipSpaces(s, k + 1)
            guard PlainText.skipDigits(s, k, limit: 4) == k + 4 else { return nil }
            return k + 4
        }
        // ngày\s*(\d{0,2})\s*tháng\s*(\d{0,2})\s*năm\s*(\d{4}), leftmost.
        func worded(from p: Int) -> Int? {
            guard PlainText.has(s, at: p, "ngày") else { return nil }
            var k = PlainText.skipDigits(s, PlainText.skipSpaces(s, p + 4), limit: 2)
            k = PlainText.skipSpaces(s, k)
            guard PlainText.has(s, at: k, "tháng") else { return nil }
            k = PlainText.skipDigits(s, PlainText.skipSpaces(s, k + 5), limit: 2)
            k = PlainText.skipSpaces(s, k)
            guard PlainText.has(s, at: k, "năm") else { return nil }
            k = PlainText.skipSpaces(s, k + 3)
            guard PlainText.skipDigits(s, k, limit: 4) == k + 4 else { return nil }
            return k + 4
        }
        for p in s.indices {
            if let end = slashed(from: p) {
                return fromSlashed(PlainText.string(s[p..<end])[...])
            }
        }
        for p in s.indices {
            if let end = worded(from: p) {
                return fromWorded(PlainText.string(s[p..<end])[...])
            }
        }
        return nil
    }

    static func fromSlashed(_ match: Substring) -> ReportDate? {
        let parts = match.dropFirst(4).split(separator: "/", omittingEmptySubsequences: false)
            .map { Int($0.trimmingCharacters(in: .whitespaces)) }
        return parts.count == 3 ? ReportDate(day: parts[0], month: parts[1], year: parts[2]) : nil
    }

    static func fromWorded(_ match: Substring) -> ReportDate? {
        let nums = match.replacingOccurrences(of: "ngày", with: "|").replacingOccurrences(of: "tháng", with: "|")
            .replacingOccurrences(of: "năm", with: "|").split(separator: "|", omittingEmptySubsequences: false)
            .dropFirst().map { Int($0.trimmingCharacters(in: .whitespaces)) }
        return nums.count == 3 ? ReportDate(day: nums[0], month: nums[1], year: nums[2]) : nil
    }

    public var vietnamese: String {
        "ngày \(day.map(String.init) ?? "…")/\(month.map(String.init) ?? "…")/\(year.map(String.init) ?? "…")"
    }
}
