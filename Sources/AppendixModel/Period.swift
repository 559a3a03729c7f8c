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
        guard let yearMatch = t.range(of: #"(19|20)\d\d"#, options: .regularExpression),
              let year = Int(t[yearMatch]) else { return nil }
        let head = String(t[..<yearMatch.lowerBound])
        func has(_ pattern: String) -> Bool { head.range(of: pattern, options: .regularExpression) != nil }
        if has(#"(quý|quí|q)\s*(iii|3)\b"#) { return Period(kind: .q3, year: year) }
        if has(#"(quý|quí|q)\s*(i|1)\b"#) { return Period(kind: .q1, year: year) }
        if has(#"\b6\s*tháng"#) || has(#"\bsáu\s*tháng"#) || has(#"\b6\s*months?"#) { return Period(kind: .sixMonths, year: year) }
        if has(#"\b9\s*tháng"#) || has(#"\bchín\s*tháng"#) || has(#"\b9\s*months?"#) { return Period(kind: .nineMonths, year: year) }
        if has(#"(^|\s)(năm|year|cả năm)\s*$"#) || head.trimmingCharacters(in: .whitespaces).isEmpty { return Period(kind: .year, year: year) }
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

    /// Reads `ngày /3/2022`, `ngày 15/3/2023`, `ngày 15 tháng 3 năm 2023`, `ngày  tháng 3 năm 2023`.
    /// Blank parts may be printed as `…` or `...` (`ngày …/3/2022`, as the official workbook prints them).
    public static func parse(_ text: String) -> ReportDate? {
        let t = TextNormalization.collapseWhitespace(TextNormalization.nfc(text)).lowercased()
            .replacingOccurrences(of: "…", with: "").replacingOccurrences(of: "...", with: "")
        if let r = t.range(of: #"ngày\s*(\d{0,2})\s*/\s*(\d{0,2})\s*/\s*(\d{4})"#, options: .regularExpression) {
            let parts = t[r].dropFirst(4).split(separator: "/", omittingEmptySubsequences: false)
                .map { Int($0.trimmingCharacters(in: .whitespaces)) }
            if parts.count == 3 { return ReportDate(day: parts[0], month: parts[1], year: parts[2]) }
        }
        if let r = t.range(of: #"ngày\s*(\d{0,2})\s*tháng\s*(\d{0,2})\s*năm\s*(\d{4})"#, options: .regularExpression) {
            let nums = t[r].replacingOccurrences(of: "ngày", with: "|").replacingOccurrences(of: "tháng", with: "|")
                .replacingOccurrences(of: "năm", with: "|").split(separator: "|", omittingEmptySubsequences: false)
                .dropFirst().map { Int($0.trimmingCharacters(in: .whitespaces)) }
            if nums.count == 3 { return ReportDate(day: nums[0], month: nums[1], year: nums[2]) }
        }
        return nil
    }

    public var vietnamese: String {
        "ngày \(day.map(String.init) ?? "…")/\(month.map(String.init) ?? "…")/\(year.map(String.init) ?? "…")"
    }
}
