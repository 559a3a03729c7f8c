@testable import AppendixModel
import Foundation
import Support
import Testing

/// Periods and report dates are read without regular expressions (one reading, `PlainText`); the
/// readings agree with the regular expressions they replace (kept here as the reference) on
/// thousands of generated texts, plain or not.
@Suite struct PlainMatchTests {
    static func cleaned(_ text: String) -> String {
        TextNormalization.collapseWhitespace(TextNormalization.nfc(text)).lowercased()
    }

    static func combinations(_ parts: [[String]]) -> [String] {
        parts.reduce([""]) { acc, options in acc.flatMap { a in options.map { a + $0 } } }
    }

    /// The reference: the reading with regular expressions (`t`: cleaned and lower-cased).
    static func periodByExpressions(lowered t: String) -> Period? {
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

    /// The reference for dates (`t`: cleaned, lower-cased, ellipses removed).
    static func dateByExpressions(lowered t: String) -> ReportDate? {
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

    @Test func periodsAgreeWithTheRegularExpressions() {
        let heads = ["", "quý ", "quí ", "q", "Quý ", "QUÝ ", "quý  ", "xquý ", "báo cáo quý ", "6 ", "6", "sáu ", "9 ", "chín ",
                     "kỳ ", "cả ", "16 ", "a6 ", "_6 ", "năm", "Năm ", "year ", "hết ", "① ", "– ", "é "]
        let middles = ["", "i", "ii", "iii", "iv", "1", "3", "I", "III", "tháng", "tháng đầu năm", "months", "month", "năm",
                       "i_", "3a", "ix", "cả năm", " ", "/", "-", "i\u{0301}", "iı", "ſ"]
        let tails = ["", " ", "/", " năm ", "_", " – "]
        let years = ["2023", "1999", "202", "x20234", "2023 quý i", "١٢٣٤", "20١٢ 2023"]
        var count = 0
        for text in Self.combinations([heads, middles, tails, years]) {
            #expect(Period.parse(text) == Self.periodByExpressions(lowered: Self.cleaned(text)), "\(text.debugDescription)")
            count += 1
        }
        #expect(count > 10_000)
    }

    @Test func reportDatesAgreeWithTheRegularExpressions() {
        let heads = ["", "ngân sơn, ", "Ngày", "ngày", "NGÀY ", "xngày", "ngàyngày ", "ngày ngày 5/", "số 1/bc ngày ", "– ngày "]
        let days = ["", " 1", "15", "015", "…", "a", "١", ".", "..", "...", "1...."]
        let seps = ["/", " / ", " tháng ", "-"]
        let months = ["", "3", "123", " 12 "]
        let seps2 = ["/", " năm ", "năm", "/ /"]
        let years = ["2023", "202", "20231", "…/2023", "2023\u{0301}"]
        var count = 0
        for text in Self.combinations([heads, days, seps, months, seps2, years]) {
            let t = Self.cleaned(text).replacingOccurrences(of: "…", with: "").replacingOccurrences(of: "...", with: "")
            #expect(ReportDate.parse(text) == Self.dateByExpressions(lowered: t), "\(text.debugDescription)")
            count += 1
        }
        #expect(count > 10_000)
    }

    @Test func textBeyondLatinIsReadToo() {
        #expect(Period.parse("Quý I/2023 – bổ sung") == Period(kind: .q1, year: 2023))
        #expect(Period.parse("Quý I/2023") == Period(kind: .q1, year: 2023))
        #expect(Period.parse("① quý iii 2023") == Period(kind: .q3, year: 2023))
        #expect(Period.parse("6 tháng đầu năm 2023") == Period(kind: .sixMonths, year: 2023))
        #expect(ReportDate.parse("Ngân Sơn, ngày 15 tháng 3 năm 2023") == ReportDate(day: 15, month: 3, year: 2023))
        #expect(ReportDate.parse("ngày …/3/2022") == ReportDate(day: nil, month: 3, year: 2022))
        #expect(ReportDate.parse("– ngày 15/3/2023\u{0301}") == ReportDate(day: 15, month: 3, year: 2023))
    }
}
