@testable import AppendixModel
import Foundation
import Support
import Testing

/// Periods and report dates in plain text are read without regular expressions; the readings
/// agree with the regular expressions on thousands of generated texts.
@Suite struct PlainMatchTests {
    static func cleaned(_ text: String) -> String {
        TextNormalization.collapseWhitespace(TextNormalization.nfc(text)).lowercased()
    }

    static func combinations(_ parts: [[String]]) -> [String] {
        parts.reduce([""]) { acc, options in acc.flatMap { a in options.map { a + $0 } } }
    }

    @Test func periodsAgreeWithTheRegularExpressions() {
        let heads = ["", "quý ", "quí ", "q", "Quý ", "QUÝ ", "quý  ", "xquý ", "báo cáo quý ", "6 ", "6", "sáu ", "9 ", "chín ",
                     "kỳ ", "cả ", "16 ", "a6 ", "_6 ", "năm", "Năm ", "year ", "hết "]
        let middles = ["", "i", "ii", "iii", "iv", "1", "3", "I", "III", "tháng", "tháng đầu năm", "months", "month", "năm",
                       "i_", "3a", "ix", "cả năm", " ", "/", "-"]
        let tails = ["", " ", "/", " năm ", "_"]
        let years = ["2023", "1999", "202", "x20234", "2023 quý i", "١٢٣٤"]
        var plain = 0
        for text in Self.combinations([heads, middles, tails, years]) {
            let t = Self.cleaned(text)
            let s = Array(t.unicodeScalars)
            let expected = Period.parseWithExpressions(lowered: t)
            #expect(Period.parse(text) == expected, "\(text.debugDescription)")
            if PlainText.isPlain(s) {
                #expect(Period.parsePlain(s) == expected, "\(text.debugDescription)")
                plain += 1
            }
        }
        #expect(plain > 10_000)
    }

    @Test func reportDatesAgreeWithTheRegularExpressions() {
        let heads = ["", "ngân sơn, ", "Ngày", "ngày", "NGÀY ", "xngày", "ngàyngày ", "ngày ngày 5/", "số 1/bc ngày "]
        let days = ["", " 1", "15", "015", "…", "a"]
        let seps = ["/", " / ", " tháng ", "-"]
        let months = ["", "3", "123", " 12 "]
        let seps2 = ["/", " năm ", "năm", "/ /"]
        let years = ["2023", "202", "20231", "…/2023"]
        var plain = 0
        for text in Self.combinations([heads, days, seps, months, seps2, years]) {
            let t = Self.cleaned(text).replacingOccurrences(of: "…", with: "").replacingOccurrences(of: "...", with: "")
            let s = Array(t.unicodeScalars)
            let expected = ReportDate.parseWithExpressions(lowered: t)
            #expect(ReportDate.parse(text) == expected, "\(text.debugDescription)")
            if PlainText.isPlain(s) {
                #expect(ReportDate.parsePlain(s) == expected, "\(text.debugDescription)")
                plain += 1
            }
        }
        #expect(plain > 10_000)
    }

    @Test func textThatIsNotPlainTakesTheRegularExpressions() {
        for text in ["Quý I/2023 – bổ sung", "quý i/2023 ①", "ngày 15/3/2023\u{0301}", "ſ 2023", "İ 2023", "×2023"] {
            #expect(!PlainText.isPlain(Array(Self.cleaned(text).unicodeScalars)), "\(text.debugDescription)")
        }
        #expect(Period.parse("Quý I/2023 – bổ sung") == Period(kind: .q1, year: 2023))
        #expect(Period.parse("Quý I/2023") == Period(kind: .q1, year: 2023))
        #expect(Period.parse("6 tháng đầu năm 2023") == Period(kind: .sixMonths, year: 2023))
        #expect(ReportDate.parse("Ngân Sơn, ngày 15 tháng 3 năm 2023") == ReportDate(day: 15, month: 3, year: 2023))
        #expect(ReportDate.parse("ngày …/3/2022") == ReportDate(day: nil, month: 3, year: 2022))
    }
}
