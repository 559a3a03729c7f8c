import Foundation
import Testing
import TestSupport

/// `bieumau crosscheck` as a user runs it: the seed report's text against its appendix.
@Suite("bieumau crosscheck")
struct CrosscheckCommandTests {
    static let narrative = TestPaths.packageRoot.appendingPathComponent("Tests/CrosscheckTests/Fixtures/seed-narrative.txt").path
    static let appendix = TestPaths.examples.appendingPathComponent("ngan-son-q1-2023.csv").path

    @Test func textReportNamesTheDisagreements() throws {
        let r = try Run.bieumau(["crosscheck", Self.narrative, "--appendix", Self.appendix])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("CẢNH BÁO text-mismatch 3.1.4"))
        #expect(r.stdout.contains("ghi 108 thủ tục"))
        #expect(r.stdout.contains("CẢNH BÁO text-arithmetic: 8,25% → 8,23%"))
        #expect(r.stdout.contains("Tổng cộng: 2 số lệch phụ lục, 1 tỷ lệ tính sai"))
    }

    @Test func jsonHasMismatchesAgreementsAndUnlinked() throws {
        let r = try Run.bieumau(["crosscheck", Self.narrative, "--appendix", Self.appendix, "--format", "json", "--lang", "en"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect((object["mismatches"] as? [Any])?.count == 3)
        #expect(((object["agreements"] as? [String: Any])?["count"] as? Int ?? 0) >= 10)
        #expect(object["unlinked"] is [Any])
    }

    @Test func annotatedCopyIsWritten() throws {
        let folder = TestPaths.temporaryFolder("crosscheck")
        let out = folder.appendingPathComponent("annotated.xlsx").path
        let r = try Run.bieumau(["crosscheck", Self.narrative, "--appendix", Self.appendix, "--annotate", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: out))
        // An existing output is not overwritten without --force (73).
        let again = try Run.bieumau(["crosscheck", Self.narrative, "--appendix", Self.appendix, "--annotate", out])
        #expect(again.status == 73)
    }

    @Test func wordReportWithItsOwnAppendix() throws {
        let docx = TestPaths.examples.appendingPathComponent("ngan-son-q1-2023.docx").path
        let r = try Run.bieumau(["crosscheck", docx, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let mismatches = try #require(object["mismatches"] as? [[String: Any]])
        #expect(mismatches.compactMap { $0["text"] as? String }.sorted() == ["108 thủ tục", "256 thủ tục", "8,25%"])
        // The appendix cell is named in the Word table.
        #expect(mismatches.contains { ($0["cell"] as? String)?.contains("bảng") == true })
    }

    @Test func aWorkbookIsNoReport() throws {
        // A CSV holds no narrative: a clear message and 65.
        let r = try Run.bieumau(["crosscheck", Self.appendix])
        #expect(r.status == 65)
        #expect(r.stderr.contains("crosscheck đọc báo cáo Word (.docx)"))
    }

    @Test func missingReportExits66() throws {
        let r = try Run.bieumau(["crosscheck", "/nonexistent/bao-cao.docx"])
        #expect(r.status == 66)
        #expect(r.stderr.contains("Không có tệp"))
    }
}
