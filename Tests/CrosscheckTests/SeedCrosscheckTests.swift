import AppendixModel
import Crosscheck
import Foundation
import Support
import Testing
import TestSupport

/// The seed report (UBND huyện Ngân Sơn, CCHC quý I/2023), read by a careful reviewer: the genuine
/// disagreements listed in docs/crosscheck.md ("The seed report, reviewed by hand").
@Suite struct SeedCrosscheckTests {
    static func run(_ narrative: String = SeedReport.narrativeText, csv: String? = nil) throws -> CrosscheckReport {
        Crosscheck.run(narrative: Narrative(plainText: narrative), appendix: try SeedReport.appendix(csv: csv), file: "seed")
    }

    /// The narrative with its three wrong figures corrected to what the appendix and the parts say.
    static var corrected: String {
        SeedReport.narrativeText
            .replacingOccurrences(of: "cấp huyện 256 thủ tục, cấp xã 108 thủ tục", with: "cấp huyện 265 thủ tục, cấp xã 110 thủ tục")
            .replacingOccurrences(of: "= 8,25 %KH", with: "= 8,23 %KH")
    }

    @Test func findsEveryGenuineDisagreementAndNothingElse() throws {
        let report = try Self.run()
        let mismatches = report.mismatches.map { "\($0.link.rowID) \($0.finding.found ?? "") → \($0.finding.expected ?? "")" }
        #expect(mismatches.sorted() == ["r3_1_4_huyen 256 thủ tục → 265", "r3_1_4_xa 108 thủ tục → 110"])
        #expect(report.arithmetic.map { "\($0.found ?? "") → \($0.expected ?? "")" } == ["8,25% → 8,23%"])
        #expect(report.findings.allSatisfy { $0.severity == .warning })
        #expect(Set(report.findings.map(\.rule)) == [.textMismatch, .textArithmetic])
    }

    @Test func mismatchQuotesTheSentenceNamesTheRowAndExplainsTheLink() throws {
        let report = try Self.run()
        let xa = try #require(report.mismatches.first { $0.link.rowID == "r3_1_4_xa" })
        #expect(xa.link.number.sentence == "Số TTHC thuộc thẩm quyền cấp huyện 256 thủ tục, cấp xã 108 thủ tục.")
        #expect(xa.link.number.paragraph == 49)
        #expect(xa.link.code == "3.1.4")
        #expect(xa.link.evidence.level == "xã")
        #expect(xa.link.evidence.unit == "thủ tục")
        #expect(xa.link.evidence.words.contains("thẩm quyền"))
        #expect(xa.finding.location?.line == 48)  // the appendix cell: line 48 of the CSV, column D
        let message = xa.finding.message.text(.vi)
        #expect(message.contains("Đoạn 49"))
        #expect(message.contains("«Số TTHC thuộc thẩm quyền cấp huyện 256 thủ tục, cấp xã 108 thủ tục.»"))
        #expect(message.contains("ghi 110"))
        #expect(message.contains("cấp xã"))
    }

    @Test func numbersThatAgreeAreCounted() throws {
        let report = try Self.run()
        let agreed = Set(report.agreements.map { "\($0.rowID)=\($0.number.raw)" })
        // The figures a reviewer checks and finds right (docs/crosscheck.md).
        for expected in ["r1_2_1=56", "r3_3_1_dunghan=199", "r3_3_2_dunghan=993", "r4_5_2=63", "r4_5_1=72", "r4_6_1=610",
                         "r4_6_giao=693", "r6_1_1=136.284,0", "r6_1_2=3.135", "r6_1=2,30"] {
            #expect(agreed.contains(expected), "\(expected) should agree")
        }
    }

    @Test func doubtfulNumbersAreListedApartNeverReported() throws {
        let report = try Self.run()
        let unlinked = report.unlinked.map(\.number.raw)
        // 32/56 counts "nội dung" under way, not tasks completed (1.2.2 = 14): not the same figure.
        #expect(unlinked.contains("32"))
        // 100% of agencies, not 97% of civil servants in their posts (5.1.1).
        #expect(report.unlinked.contains { $0.number.raw == "100" && $0.number.paragraph == 66 })
        // The budget revenue (2.304,717/28.000) is not the public investment of 6.1.
        #expect(unlinked.contains("2.304,717") && unlinked.contains("28.000"))
        // 258/1568 speaks of 7.2.4, which the appendix leaves blank.
        #expect(report.unlinked.contains { $0.number.raw == "258" && $0.reason == .blankRow })
    }

    @Test func correctedCopyRaisesNoAlarm() throws {
        let report = try Self.run(Self.corrected)
        #expect(report.findings.isEmpty, "\(report.findings.map { $0.message.text(.en) })")
        #expect(Set(report.agreements.map(\.rowID)).isSuperset(of: ["r3_1_4_huyen", "r3_1_4_xa"]))
    }

    @Test func jsonKeepsTheThreeLists() throws {
        let report = try Self.run()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        let mismatches = try #require(object["mismatches"] as? [[String: Any]])
        #expect(mismatches.count == 3)
        #expect(Set(mismatches.compactMap { $0["rule"] as? String }) == ["text-mismatch", "text-arithmetic"])
        let agreements = try #require(object["agreements"] as? [String: Any])
        #expect(agreements["count"] as? Int == report.agreements.count)
        #expect((agreements["list"] as? [Any])?.count == report.agreements.count)
        let unlinked = try #require(object["unlinked"] as? [[String: Any]])
        #expect(unlinked.count == report.unlinked.count)
        let first = try #require(mismatches.first { ($0["code"] as? String) == "3.1.4" })
        let link = try #require(first["link"] as? [String: Any])
        #expect(link["unit"] as? String == "thủ tục")
        #expect((link["words"] as? [String])?.isEmpty == false)
    }

    @Test func englishMessages() throws {
        let text = try Self.run().text(.en)
        #expect(text.contains("WARNING text-mismatch 3.1.4"))
        #expect(text.contains("says 108 thủ tục"))
        #expect(text.contains("Summary: 2 mismatch(es), 1 arithmetic problem(s)"))
    }
}

/// Numbers as Vietnamese reports print them, and what is not a number of the report.
@Suite struct TextNumberTests {
    static func numbers(_ text: String) throws -> [TextNumber] {
        Crosscheck.numbers(in: Narrative(texts: [text]), form: try SeedReport.appendix().form)
    }

    @Test func vietnameseFormats() throws {
        let n = try Self.numbers("Hồ sơ phải giải quyết là 1.010 hồ sơ, đạt 8,25%; đã ban hành 02 thủ tục và 2.304,717 triệu đồng.")
        #expect(n.map(\.value) == [ExactDecimal(1010), ExactDecimal("8.25")!, ExactDecimal(2), ExactDecimal("2304.717")!])
        #expect(n.map(\.unit) == ["hồ sơ", nil, "thủ tục", "triệu đồng"])
        #expect(n.map(\.isPercent) == [false, true, false, false])
        #expect(n[1].decimals == 2)
    }

    @Test func datesDocumentNumbersYearsAndHeadingsAreNotFigures() throws {
        let n = try Self.numbers("4.7. Theo Kế hoạch số 15/KH-UBND ngày 27/01/2023 và Nghị định số 61/2018/NĐ-CP, nhiệm kỳ 2019-2023, quý I/2023, ngày 17 tháng 02 năm 2023, mức độ 3, 4, đã có 12 hồ sơ.")
        #expect(n.map(\.raw) == ["12"])
    }

    @Test func fractionsAndPercentages() throws {
        let n = try Self.numbers("Tỷ lệ hồ sơ phát sinh trực tuyến là: 258/1568 hồ sơ, đạt tỷ lệ 16,45%.")
        #expect(n.map(\.raw) == ["258", "1568", "16,45"])
        #expect(n.map(\.fractionRole) == [.numerator, .denominator, nil])
        #expect(n[0].unit == "hồ sơ")
    }

    @Test func levelsNamedInTheSentence() throws {
        let n = try Self.numbers("Số TTHC thuộc thẩm quyền cấp huyện 256 thủ tục, cấp xã 108 thủ tục.")
        #expect(n.map(\.level) == ["huyện", "xã"])
    }

    @Test func arithmeticAtThePrintedPrecision() throws {
        let appendix = try SeedReport.appendix()
        func check(_ s: String) -> [String] {
            Crosscheck.run(narrative: Narrative(texts: [s]), appendix: appendix).arithmetic.compactMap(\.expected)
        }
        #expect(check("Thu ngân sách: 2.304,717 triệu đồng/28.000 triệu đồng = 8,25 %KH.") == ["8,23%"])
        #expect(check("Thu ngân sách: 2.304,717 triệu đồng/28.000 triệu đồng = 8,23 %KH.").isEmpty)
        // Cut rather than rounded (8,2311… printed 8,2) passes too.
        #expect(check("Thu ngân sách: 2.304,717 triệu đồng/28.000 triệu đồng = 8,2 %KH.").isEmpty)
        #expect(check("Tỷ lệ hồ sơ phát sinh trực tuyến là: 258/1568 hồ sơ, đạt tỷ lệ 16,45%.").isEmpty)
        #expect(check("Tổng số vốn: 136.284,0 triệu đồng, giải ngân là 3.135 triệu đồng, đạt 2,40% so với kế hoạch.") == ["2,30%"])
    }
}

/// No text makes the check slow or crash.
@Suite struct CrosscheckLimitsTests {
    @Test func hugeParagraphOfNumbersStaysBounded() throws {
        let appendix = try SeedReport.appendix()
        let text = String(repeating: "cấp xã 108 thủ tục, đúng hạn là 993 hồ sơ, 2,30% ", count: 3_000)
        let start = Date()
        let report = Crosscheck.run(narrative: Narrative(texts: [text, "", "%%%/ / 1/ /2 ,,, 9.9.9.9 1,2,3"]), appendix: appendix)
        #expect(report.agreements.count + report.mismatches.count + report.unlinked.count > 0)
        // A hang guard, not a speed target.
        #expect(Date().timeIntervalSince(start) < 120)
    }
}
