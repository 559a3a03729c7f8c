import BieuMau
import Crosscheck
import Foundation
import Support
import Testing
import TestSupport

/// The seed report as a Word document (Examples/ngan-son-q1-2023.docx, built by
/// scripts/make-seed-docx.py with python-docx): narrative and appendix read from the one file.
@Suite struct SeedDocxTests {
    static let seedDocx = TestPaths.examples.appendingPathComponent("ngan-son-q1-2023.docx").path
    static let editScript = TestPaths.packageRoot.appendingPathComponent("scripts/fixtures/edit-docx.py").path

    static func check(_ path: String) throws -> CrosscheckReport {
        try ReportCrosscheck(library: SeedReport.library).check(report: path).report
    }

    /// A copy of the seed edited by scripts/fixtures/edit-docx.py (python-docx).
    static func edited(_ edits: [String]) throws -> String {
        let out = TestPaths.temporaryFolder("crosscheck-docx").appendingPathComponent("edited.docx").path
        let r = try Run.process(try Tools.require("python3"), [editScript, seedDocx, out] + edits)
        #expect(r.status == 0, "\(r.stderr)")
        return out
    }

    static let corrections = ["--text", "cấp huyện 256 thủ tục", "cấp huyện 265 thủ tục",
                              "--text", "cấp xã 108 thủ tục", "cấp xã 110 thủ tục",
                              "--text", "= 8,25 %KH", "= 8,23 %KH"]

    @Test func seedDocxDisagreements() throws {
        let result = try ReportCrosscheck(library: SeedReport.library).check(report: Self.seedDocx)
        let report = result.report
        #expect(report.mismatches.map { "\($0.link.rowID) \($0.finding.found ?? "") → \($0.finding.expected ?? "")" }.sorted()
                == ["r3_1_4_huyen 256 thủ tục → 265", "r3_1_4_xa 108 thủ tục → 110"])
        #expect(report.arithmetic.map { "\($0.found ?? "") → \($0.expected ?? "")" } == ["8,25% → 8,23%"])
        // The paragraph number is the Word body's: that paragraph holds the quoted sentence.
        let xa = try #require(report.mismatches.first { $0.link.rowID == "r3_1_4_xa" })
        let paragraph = try #require(result.narrative.paragraphs.first { $0.number == xa.link.number.paragraph })
        #expect(paragraph.text.contains(xa.link.number.sentence))
        // The appendix cell is the Word table's.
        #expect(xa.finding.location != nil)
        #expect(report.agreements.count >= 10)
    }

    @Test(.enabled(if: Tools.python("docx"), "needs python3 with python-docx"))
    func correctedDocxRaisesNoAlarm() throws {
        let report = try Self.check(try Self.edited(Self.corrections))
        #expect(report.findings.isEmpty, "\(report.findings.map { $0.message.text(.en) })")
        #expect(Set(report.agreements.map(\.rowID)).isSuperset(of: ["r3_1_4_huyen", "r3_1_4_xa"]))
    }

    @Test(.enabled(if: Tools.python("docx"), "needs python3 with python-docx"))
    func editedDocxCopies() throws {
        // In the text.
        var r = try Self.check(try Self.edited(Self.corrections + ["--text", "đúng hạn là 993 hồ sơ", "đúng hạn là 989 hồ sơ"]))
        #expect(r.mismatches.map(\.link.rowID) == ["r3_3_2_dunghan"])
        // In the appendix table.
        r = try Self.check(try Self.edited(Self.corrections + ["--table", "136.284", "137.284"]))
        #expect(r.mismatches.map(\.link.rowID) == ["r6_1_1"])
        // In both, to the same value: nothing to report.
        r = try Self.check(try Self.edited(Self.corrections + ["--text", "và 56 nhiệm vụ", "và 60 nhiệm vụ", "--table", "56", "60"]))
        #expect(r.mismatches.isEmpty)
    }
}
