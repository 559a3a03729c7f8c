import Foundation
import Testing
import TestSupport

/// The corrections of issue #9 found by trying files as a reviewer would, each on the file that
/// showed it (made here from the seed CSV, edited as a person would edit it).
@Suite("corrections found on review")
struct ReviewerCorrectionsTests {
    typealias V = ValidateCommandTests

    static func findings(_ stdout: String) throws -> [[String: Any]] {
        (try V.json(stdout)["findings"] as? [[String: Any]]) ?? []
    }

    // MARK: A non-zero ratio over a zero denominator

    /// 1.3.4 "Tỷ lệ xử lý các vấn đề phát hiện qua kiểm tra" = 50 % while 1.3.2 (vấn đề phát hiện) = 0.
    @Test func fiftyPercentOfNothingIsAnError() throws {
        let dir = TestPaths.temporaryFolder("ratio-of-zero")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try V.write(V.edit(V.cleanText, values: ["1.3.4": "50%"]), "ratio-50-of-zero.csv", in: dir)
        let r = try Run.bieumau(["validate", file, "--period", "Quý I/2023", "--format", "json"])
        #expect(r.status == 1, "a non-zero ratio of nothing fails validation: \(r.stdout) \(r.stderr)")
        let f = try Self.findings(r.stdout)
        let hit = f.filter { $0["rule"] as? String == "zero-denominator" }
        #expect(hit.count == 1)
        #expect(hit.first?["code"] as? String == "1.3.4")
        #expect(hit.first?["severity"] as? String == "error")
        #expect(hit.first?["found"] as? String == "50%")
    }

    @Test func zeroPercentOfNothingStaysAWarning() throws {
        let dir = TestPaths.temporaryFolder("ratio-of-zero")
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, value) in [("ratio-0-of-zero.csv", "0"), ("ratio-0pc-of-zero.csv", "0%")] {
            let file = try V.write(V.edit(V.cleanText, values: ["1.3.4": value]), name, in: dir)
            let r = try Run.bieumau(["validate", file, "--period", "Quý I/2023", "--format", "json"])
            #expect(r.status == 0, "\(name): only a warning: \(r.stdout) \(r.stderr)")
            let f = try Self.findings(r.stdout)
            #expect(f.map { "\($0["severity"] as? String ?? "") \($0["rule"] as? String ?? "") \($0["code"] as? String ?? "")" }
                    == ["warning zero-denominator 1.3.4"], "\(name)")
        }
        // Blank over zero: nothing to say (the clean seed has 1.3.4 blank and 1.3.2 = 0).
        let blank = try V.write(V.cleanText, "ratio-blank-of-zero.csv", in: dir)
        let r = try Run.bieumau(["validate", blank, "--period", "Quý I/2023", "--format", "json"])
        #expect(r.status == 0)
        #expect(try Self.findings(r.stdout).filter { $0["code"] as? String == "1.3.4" }.isEmpty)
    }

    // MARK: A count of files written 1.234 in an English-format document

    /// The clean seed written the English way: 6.1 = 2.30 (only English reads it: the document's
    /// convention), 6.1.1 and 6.1.2 with commas grouping thousands, and 1.1 (Văn bản: a count) = 1.234.
    static var englishText: String {
        V.edit(V.cleanText, values: ["6.1": "2.30", "6.1.1": "136,284", "6.1.2": "3,135", "1.1": "1.234"])
    }

    @Test func countRowOfAnEnglishDocumentReadsTheDotAsThousands() throws {
        let dir = TestPaths.temporaryFolder("english-count")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try V.write(Self.englishText, "english-count-1.234.csv", in: dir)
        let r = try Run.bieumau(["validate", file, "--period", "Quý I/2023", "--format", "json"])
        #expect(r.status == 0, "a warning only: \(r.stdout) \(r.stderr)")
        let f = try Self.findings(r.stdout)
        // Exactly one finding: the warning on 1.1, read as 1234 (no type error, no false sums).
        #expect(f.map { "\($0["severity"] as? String ?? "") \($0["rule"] as? String ?? "") \($0["code"] as? String ?? "")" }
                == ["warning ambiguous-number 1.1"])
        #expect(f.first?["found"] as? String == "1.234")
        #expect(f.first?["expected"] as? String == "1234")

        // The value a user exports is 1234; the money row of the same document keeps English reading.
        let out = dir.appendingPathComponent("english.json").path
        let e = try Run.bieumau(["export", file, "-o", out])
        #expect(e.status == 0, "\(e.stderr)")
        let py = try Run.python("""
        import json, sys, decimal
        d = json.load(open(sys.argv[1], encoding='utf-8'), parse_float=decimal.Decimal)
        rows = {r['id']: r for r in d['rows']}
        print(rows['r1_1']['value'], rows['r6_1_1']['value'], rows['r6_1']['value'])
        """, [out])
        #expect(py.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "1234 136284 2.3", "\(py.stderr)")
    }

    @Test func moneyAndRatioRowsOfAnEnglishDocumentKeepTheDecimalPoint() throws {
        // 6.1.1 is money (Triệu đồng): 136.284 million is a real amount; only counts are regrouped.
        let dir = TestPaths.temporaryFolder("english-money")
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = V.edit(V.cleanText, values: ["6.1": "2.30", "6.1.1": "136.284", "6.1.2": "3.135"])
        let file = try V.write(text, "english-money.csv", in: dir)
        let out = dir.appendingPathComponent("english.json").path
        let e = try Run.bieumau(["export", file, "-o", out])
        #expect(e.status == 0, "\(e.stderr)")
        let py = try Run.python("""
        import json, sys
        d = json.load(open(sys.argv[1], encoding='utf-8'))
        rows = {r['id']: r for r in d['rows']}
        print(rows['r6_1_1']['raw'], str(rows['r6_1_1']['value']))
        """, [out])
        #expect(py.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "136.284 136.284", "\(py.stderr)")
    }
}

/// `validate` decides a file's claim to be a merged workbook as `merge` and the portal do: a
/// commune's file whose custom properties say "merged, 1000 units" is checked as one unit's.
@Suite("validate and forged merge properties")
struct ValidateForgedMergeTests {
    typealias V = ValidateCommandTests

    @Test("a commune's workbook forging kind=merged, units=1000 is validated as one unit's appendix, with the reason",
          .enabled(if: Tools.python("openpyxl"), "needs python3 with openpyxl"))
    func forgedPropertiesAreNotBelieved() throws {
        let dir = TestPaths.temporaryFolder("validate-forged")
        defer { try? FileManager.default.removeItem(at: dir) }
        // 1000 on the Có/không row 1.6: a merge of 1000 units could say so, one commune cannot.
        let csv = try V.write(V.edit(V.cleanText, values: ["1.6": "1000"]), "xa.csv", in: dir)
        let forged = dir.appendingPathComponent("xa.xlsx").path
        let convert = try Run.bieumau(["convert", csv, "-o", forged, "--period", "Quý I/2023"])
        #expect(convert.status == 0 || convert.status == 1, "\(convert.stderr)")
        let py = try Run.forgeMergedProperties(forged, units: 1000)
        #expect(py.status == 0, "\(py.stderr)")
        let r = try Run.bieumau(["validate", forged, "--format", "json"])
        #expect(r.status == 1, "1000 on a yes/no row of one unit is an error: \(r.stdout) \(r.stderr)")
        let doc = try V.json(r.stdout)
        let findings = (doc["findings"] as? [[String: Any]]) ?? []
        #expect(findings.contains { $0["code"] as? String == "1.6" && $0["severity"] as? String == "error" }, "\(findings)")
        let notes = (doc["notes"] as? [String]) ?? []
        #expect(notes.contains { $0.contains("1000") && $0.contains("Nguồn") }, "\(notes)")
        // The text output says why, too.
        let text = try Run.bieumau(["validate", forged])
        #expect(text.stdout.contains("Lưu ý:") && text.stdout.contains("Nguồn"), "\(text.stdout)")
    }
}
