import Foundation
import Testing
import TestSupport

/// `bieumau validate` as a user runs it, on the seed CSV and variants of it made here.
@Suite("bieumau validate")
struct ValidateCommandTests {
    static let seedPath = TestPaths.examples.appendingPathComponent("ngan-son-q1-2023.csv").path

    static var seedText: String { (try? String(contentsOfFile: seedPath, encoding: .utf8)) ?? "" }

    /// The seed with the value cell (4th field) of the row whose STT is `code` replaced; the
    /// lines are edited as text, so what is tested is what a person would change in the CSV.
    static func edit(_ text: String, values: [String: String] = [:], replacing: [(String, String)] = []) -> String {
        // The seed ends its records with CRLF (Excel's CSV); a quoted field inside may hold a bare LF.
        let newline = text.contains("\r\n") ? "\r\n" : "\n"
        var lines = text.components(separatedBy: newline)
        for (code, value) in values {
            guard let i = lines.firstIndex(where: { $0.hasPrefix(code + ",") }) else {
                Issue.record("no row \(code) in the CSV text (\(lines.count) lines)")
                continue
            }
            var fields = splitCSV(lines[i])
            fields[3] = value
            lines[i] = fields.map { $0.contains(",") ? "\"\($0)\"" : $0 }.joined(separator: ",")
        }
        var out = lines.joined(separator: newline)
        for (a, b) in replacing { out = out.replacingOccurrences(of: a, with: b) }
        return out
    }

    static func splitCSV(_ line: String) -> [String] {
        var fields: [String] = [], cur = "", quoted = false
        for ch in line {
            if ch == "\"" { quoted.toggle() } else if ch == "," && !quoted { fields.append(cur); cur = "" } else { cur.append(ch) }
        }
        fields.append(cur)
        return fields
    }

    /// The seed with the six genuine problems corrected.
    static var cleanText: String {
        edit(seedText, values: ["1.6": "Không", "2.3": "", "1.3.4": "", "3.4": "", "3.1.4": "375", "6.2.4": "32"],
             replacing: [("ngày /3/2022", "ngày 15/3/2023")])
    }

    static func write(_ text: String, _ name: String, in folder: URL) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func json(_ stdout: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
    }

    static func ruleCodes(_ object: [String: Any]) -> [String] {
        ((object["findings"] as? [[String: Any]]) ?? []).map { "\($0["rule"] as? String ?? "?") \($0["code"] as? String ?? "?")" }.sorted()
    }

    @Test func seedReportsExactlyItsGenuineProblems() throws {
        let r = try Run.bieumau(["validate", Self.seedPath, "--period", "Quý I/2023", "--format", "json"])
        #expect(r.status == 1, "\(r.stderr)")
        let object = try Self.json(r.stdout)
        #expect(Self.ruleCodes(object) == [
            "period-mismatch ", "sum-mismatch 3.1.4", "sum-mismatch 4.3", "type-error 1.6",
            "value-on-group-row 2.3", "zero-denominator 1.3.4", "zero-denominator 3.4",
        ])
        let findings = try #require(object["findings"] as? [[String: Any]])
        // Cells point at the CSV lines as a text editor numbers them.
        // Physical lines as an editor numbers them (every line break counts, CRLF as one).
        let lines = Self.seedText.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n")
        func line(_ code: String) -> Int { (lines.firstIndex { $0.hasPrefix(code + ",") } ?? -2) + 1 }
        for f in findings where !(f["code"] as! String).isEmpty {
            let code = f["code"] as! String
            #expect(f["cell"] as? String == "dòng \(line(code)), cột 4", "\(code)")
        }
        let total = try #require(findings.first { $0["code"] as? String == "3.1.4" })
        let districtPlusCommune = 265 + 110
        #expect(total["expected"] as? String == String(districtPlusCommune))
        #expect(total["severity"] as? String == "error")
        let units = try #require(findings.first { $0["code"] as? String == "4.3" })
        let autonomyGroups = 0 + 1 + 0 + 0 + 0 + 33  // 6.2.1, 6.2.2, the three parts of 6.2.3, 6.2.4
        #expect(units["expected"] as? String == String(autonomyGroups))
        #expect(units["severity"] as? String == "warning")
        let summary = try #require(object["summary"] as? [String: Int])
        #expect(summary == ["errors": 3, "warnings": 4])
        #expect(object["form"] as? String == "cchc-2023")
        #expect(object["unit"] as? String == "UBND huyện Ngân Sơn")
        #expect(object["period"] as? String == "Quý I năm 2023")
    }

    @Test func jsonKeysComeInTheDocumentedOrder() throws {
        let r = try Run.bieumau(["validate", Self.seedPath, "--period", "Quý I/2023", "--format", "json"])
        func order(_ keys: [String], in text: Substring) -> Bool {
            let positions = keys.map { text.range(of: "\"\($0)\":")?.lowerBound }
            guard positions.allSatisfy({ $0 != nil }) else { return false }
            return zip(positions, positions.dropFirst()).allSatisfy { $0! < $1! }
        }
        #expect(order(["file", "form", "unit", "period", "findings", "summary"], in: Substring(r.stdout)))
        let firstFinding = try #require(r.stdout.split(separator: "\n").first { $0.contains("\"severity\"") })
        #expect(order(["severity", "rule", "code", "label", "cell", "found", "expected", "message"], in: firstFinding))
        // Same input, same bytes.
        let again = try Run.bieumau(["validate", Self.seedPath, "--period", "Quý I/2023", "--format", "json"])
        #expect(again.stdout == r.stdout)
    }

    @Test func textReportGroupsBySectionErrorsFirst() throws {
        let r = try Run.bieumau(["validate", Self.seedPath, "--period", "Quý I năm 2023"])
        #expect(r.status == 1)
        let out = r.stdout
        #expect(out.contains("Tệp: \(Self.seedPath)") && out.contains("Biểu mẫu: cchc-2023"))
        #expect(out.contains("Đơn vị: UBND huyện Ngân Sơn") && out.contains("Kỳ báo cáo: Quý I năm 2023"))
        #expect(out.contains("Tổng cộng: 3 lỗi, 4 cảnh báo"))
        // Section 1 holds an error (1.6) after… no: before its warning (1.3.4), though 1.3.4 comes first in the form.
        let s1 = try #require(out.range(of: "[1] Công tác chỉ đạo điều hành CCHC"))
        let err = try #require(out.range(of: "LỖI type-error 1.6"))
        let warn = try #require(out.range(of: "CẢNH BÁO zero-denominator 1.3.4"))
        #expect(s1.upperBound < err.lowerBound && err.lowerBound < warn.lowerBound)
        #expect(out.contains("(trống) → 375"))
    }

    @Test func englishOnRequest() throws {
        let text = try Run.bieumau(["validate", Self.seedPath, "--period", "Quý I/2023", "--lang", "en"])
        #expect(text.stdout.contains("Summary: 3 errors, 4 warnings"))
        #expect(text.stdout.contains("ERROR type-error 1.6") && text.stdout.contains("line 27, column 4"))
        #expect(!text.stdout.contains("Tổng cộng"))
        let enRun = try Run.bieumau(["validate", Self.seedPath, "--period", "Quý I/2023", "--lang", "en", "--format", "json"])
        let json = try Self.json(enRun.stdout)
        let messages = (json["findings"] as! [[String: Any]]).map { $0["message"] as! String }
        #expect(messages.contains { $0.contains("Write the total 375") })
        #expect(!messages.contains { $0.contains("Ghi tổng") })
    }

    @Test func exitCodes() throws {
        let dir = TestPaths.temporaryFolder("validate-exit")
        defer { try? FileManager.default.removeItem(at: dir) }
        // No problems: 0.
        let clean = try Self.write(Self.cleanText, "clean.csv", in: dir)
        let ok = try Run.bieumau(["validate", clean, "--period", "Quý I/2023", "--unit", "Ủy ban nhân dân huyện Ngân Sơn"])
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        #expect(ok.stdout.contains("0 lỗi, 0 cảnh báo"))
        // Warnings only: still 0; with --strict: 1.
        let warned = try Self.write(Self.edit(Self.cleanText, values: ["6.2.4": "33"]), "warned.csv", in: dir)
        let w = try Run.bieumau(["validate", warned, "--format", "json"])
        #expect(w.status == 0)
        let warnedJSON = try Self.json(w.stdout)
        #expect(Self.ruleCodes(warnedJSON) == ["sum-mismatch 4.3"])
        let strict = try Run.bieumau(["validate", warned, "--strict"])
        #expect(strict.status == 1)
        // Another unit than expected: 1.
        let other = try Run.bieumau(["validate", clean, "--unit", "UBND huyện Ba Bể", "--format", "json"])
        let otherJSON = try Self.json(other.stdout)
        #expect(other.status == 1 && Self.ruleCodes(otherJSON) == ["unit-mismatch "])
        // A file that is not an appendix: 65, and the other file still gets its report.
        let junk = try Self.write("hello,world\n1,2\n", "junk.csv", in: dir)
        let mixed = try Run.bieumau(["validate", clean, junk])
        #expect(mixed.status == 65)
        #expect(mixed.stderr.contains("junk.csv"))
        #expect(mixed.stdout.contains("Tệp: \(clean)") && mixed.stdout.contains("không đọc được"))
        // A missing file: 66; usage errors: 64.
        let missing = try Run.bieumau(["validate", dir.appendingPathComponent("none.csv").path])
        #expect(missing.status == 66)
        let badPeriod = try Run.bieumau(["validate", clean, "--period", "mùa xuân"])
        #expect(badPeriod.status == 64)
        let twoAnnotated = try Run.bieumau(["validate", clean, junk, "--annotate", dir.appendingPathComponent("a.xlsx").path])
        #expect(twoAnnotated.status == 64)
    }

    @Test func severalFilesGetASummaryTable() throws {
        let dir = TestPaths.temporaryFolder("validate-many")
        defer { try? FileManager.default.removeItem(at: dir) }
        let clean = try Self.write(Self.cleanText, "clean.csv", in: dir)
        let r = try Run.bieumau(["validate", clean, Self.seedPath, "--period", "Quý I/2023"])
        #expect(r.status == 1)
        let table = try #require(r.stdout.components(separatedBy: "Tổng hợp 2 tệp:").last)
        let rows = table.split(separator: "\n").filter { $0.contains(".csv") }
        #expect(rows.count == 2)
        #expect(rows[0].contains("clean.csv") && rows[0].contains("đạt"))
        #expect(rows[1].contains("ngan-son-q1-2023.csv") && rows[1].contains("có lỗi"))
        #expect(rows[1].split(separator: " ").contains("3") && rows[1].split(separator: " ").contains("4"))
        let json = try Run.bieumau(["validate", clean, Self.seedPath, "--period", "Quý I/2023", "--format", "json"])
        let array = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(array.count == 2 && (array[0]["findings"] as? [Any])?.isEmpty == true)
    }

    @Test func previousPeriodComparison() throws {
        let dir = TestPaths.temporaryFolder("validate-previous")
        defer { try? FileManager.default.removeItem(at: dir) }
        let title = "BIỂU THỐNG KÊ SỐ LIỆU VỀ KẾT QUẢ THỰC HIỆN CÔNG TÁC,,,,\r\n"
        let q1 = try Self.write(Self.cleanText.replacingOccurrences(of: title, with: title + "QUÝ I NĂM 2023,,,,\r\n"), "q1.csv", in: dir)
        #expect(Self.cleanText.contains(title))
        // Six months: 1.1 (cumulative) went from 13 down to 10.
        let sixText = Self.edit(Self.cleanText, values: ["1.1": "10"], replacing: [("ngày 15/3/2023", "ngày 15/6/2023")])
        let six = try Self.write(sixText.replacingOccurrences(of: title, with: title + "6 THÁNG ĐẦU NĂM 2023,,,,\r\n"), "six.csv", in: dir)
        let r = try Run.bieumau(["validate", six, "--previous", q1, "--format", "json"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let object = try Self.json(r.stdout)
        #expect(Self.ruleCodes(object) == ["cumulative-decrease 1.1"])
        let f = try #require((object["findings"] as? [[String: Any]])?.first)
        #expect(f["found"] as? String == "10" && f["expected"] as? String == "≥ 13" && f["severity"] as? String == "warning")
        // Q3 is not cumulative: no comparison, and the report says why.
        let q3 = try Self.write(Self.edit(Self.cleanText, values: ["1.1": "2"], replacing: [("ngày 15/3/2023", "ngày 15/9/2023")])
            .replacingOccurrences(of: title, with: title + "QUÝ III NĂM 2023,,,,\r\n"), "q3.csv", in: dir)
        let t = try Run.bieumau(["validate", q3, "--previous", q1])
        #expect(t.status == 0)
        #expect(t.stdout.contains("Lưu ý: Không so sánh với kỳ trước") && t.stdout.contains("Quý III"))
        #expect(!t.stdout.contains("cumulative-decrease"))
    }
}

@Suite("bieumau validate --annotate")
struct ValidateAnnotateTests {
    /// Reads the annotated workbook with openpyxl and reports, as JSON, what a person would look at.
    static let inspect = #"""
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
main = wb[wb.sheetnames[0]]
cells = {}
for row in main.iter_rows():
    code = row[0].value
    if code is None:
        continue
    d = row[3]
    fill = d.fill.fgColor.rgb if d.fill is not None and d.fill.fill_type == "solid" else None
    cells.setdefault(str(code), []).append({"cell": d.coordinate, "fill": fill,
                                             "comment": d.comment.text if d.comment else None})
check = wb["Kiểm tra"]
header = None
findings = []
for row in check.iter_rows():
    values = [c.value for c in row]
    if header is None:
        if values and values[0] in ("STT", "No."):
            header = values
        continue
    if values[0] is None:
        continue
    link = row[5].hyperlink.location if row[5].hyperlink else None
    findings.append({"severity": values[1], "rule": values[2], "code": values[3] or "", "link": link})
print(json.dumps({"sheets": wb.sheetnames, "cells": cells, "findings": findings}))
"""#

    @Test(.enabled(if: Tools.python("openpyxl"), "needs python3 with openpyxl"))
    func problemCellsAreHighlightedCommentedAndListed() throws {
        let dir = TestPaths.temporaryFolder("validate-annotate")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("kiem-tra.xlsx").path
        let r = try Run.bieumau(["validate", ValidateCommandTests.seedPath, "--period", "Quý I/2023", "--annotate", out])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: out))
        let py = try Run.python(Self.inspect, [out])
        #expect(py.status == 0, "\(py.stderr)")
        let object = try #require(JSONSerialization.jsonObject(with: Data(py.stdout.utf8)) as? [String: Any])
        #expect(object["sheets"] as? [String] == ["Phụ lục", "Kiểm tra"])
        let cells = try #require(object["cells"] as? [String: [[String: Any]]])
        func cell(_ code: String) -> [String: Any]? { cells[code]?.first }
        // The six problem rows of the seed (hand-picked: see the task), errors and warnings.
        let errors = ["1.6", "3.1.4"], warnings = ["2.3", "1.3.4", "3.4", "4.3"]
        for code in errors + warnings {
            let c = try #require(cell(code), "row \(code) not found")
            #expect(c["fill"] is String, "\(code) has no fill")
            #expect((c["comment"] as? String)?.isEmpty == false, "\(code) has no comment")
        }
        let errorFills = Set(errors.compactMap { cell($0)?["fill"] as? String })
        let warningFills = Set(warnings.compactMap { cell($0)?["fill"] as? String })
        #expect(errorFills.count == 1 && warningFills.count == 1 && errorFills != warningFills)
        #expect((cell("3.1.4")?["comment"] as? String)?.contains("375") == true)
        // Rows without problems: no comment, not coloured like a problem.
        for code in ["1.1", "1.2", "6.1", "3.3.1"] {
            let c = try #require(cell(code))
            #expect(c["comment"] is NSNull || c["comment"] == nil, "\(code) has a comment")
            #expect(!errorFills.union(warningFills).contains(c["fill"] as? String ?? ""), "\(code) is highlighted")
        }
        // "Kiểm tra": one row per finding, each linking to its cell on the appendix sheet.
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings.count == 7)
        #expect(findings.map { "\($0["rule"] as? String ?? "") \($0["code"] as? String ?? "")" }.sorted() == [
            "period-mismatch ", "sum-mismatch 3.1.4", "sum-mismatch 4.3", "type-error 1.6",
            "value-on-group-row 2.3", "zero-denominator 1.3.4", "zero-denominator 3.4",
        ])
        for f in findings {
            let link = try #require(f["link"] as? String)
            #expect(link.hasPrefix("'Phụ lục'!"))
            let code = f["code"] as? String ?? ""
            if !code.isEmpty, let target = cell(code)?["cell"] as? String {
                #expect(link == "'Phụ lục'!\(target)", "\(code)")
            }
        }
    }

    /// A wrong ratio stays wrong in the annotated copy: the cell holds what the unit wrote (30 %), not
    /// a formula that a spreadsheet would recompute to the right value and so hide the problem.
    @Test(.enabled(if: Tools.python("openpyxl"), "needs python3 with openpyxl"))
    func annotatedRatioShowsWhatTheUnitWrote() throws {
        let dir = TestPaths.temporaryFolder("validate-annotate-ratio")
        defer { try? FileManager.default.removeItem(at: dir) }
        let seed = try String(contentsOfFile: ValidateCommandTests.seedPath, encoding: .utf8)
        let edited = seed.replacingOccurrences(of: "(lũy kế đến thời điểm báo cáo),%,25%,", with: "(lũy kế đến thời điểm báo cáo),%,30%,")
        #expect(edited != seed)
        let input = dir.appendingPathComponent("sai-ty-le.csv").path
        try edited.write(toFile: input, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("kiem-tra.xlsx").path
        let r = try Run.bieumau(["validate", input, "--format", "json", "--annotate", out])
        #expect(r.status == 1)
        #expect(r.stdout.contains("\"ratio-mismatch\""))
        let py = try Run.python("""
        import sys, openpyxl
        ws = openpyxl.load_workbook(sys.argv[1]).worksheets[0]
        for row in ws.iter_rows():
            if row[0].value == "1.2":
                print(repr(row[3].value))
        """, [out])
        #expect(py.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.3", "\(py.stdout) \(py.stderr)")
    }

    @Test func annotatedCopyIsWrittenAtomicallyAndNotOverwritten() throws {
        let dir = TestPaths.temporaryFolder("validate-annotate-force")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("a.xlsx").path
        try Data("keep".utf8).write(to: URL(fileURLWithPath: out))
        let refused = try Run.bieumau(["validate", ValidateCommandTests.seedPath, "--annotate", out])
        #expect(refused.status == 73)
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "keep")
        let forced = try Run.bieumau(["validate", ValidateCommandTests.seedPath, "--annotate", out, "--force"])
        #expect(forced.status == 1)
        let head = try #require(FileHandle(forReadingAtPath: out)?.readData(ofLength: 2))
        #expect(head == Data("PK".utf8))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test(.enabled(if: Tools.programs("soffice", "pdftoppm"), "needs LibreOffice (soffice) and pdftoppm"))
    func annotatedSeedRendersInLibreOffice() throws {
        let soffice = try Tools.require("soffice"), pdftoppm = try Tools.require("pdftoppm")
        let dir = TestPaths.temporaryFolder("validate-render")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("annotated.xlsx").path
        _ = try Run.bieumau(["validate", ValidateCommandTests.seedPath, "--period", "Quý I/2023", "--annotate", out])
        let pdf = try Run.process(soffice, ["--headless", "--convert-to", "pdf", "--outdir", dir.path, out],
                                  environment: ["HOME": dir.path])
        #expect(pdf.status == 0, "\(pdf.stderr)")
        let png = try Run.process(pdftoppm, ["-png", "-r", "60", "-f", "1", "-l", "1",
                                             dir.appendingPathComponent("annotated.pdf").path,
                                             dir.appendingPathComponent("page").path])
        #expect(png.status == 0)
        let pages = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".png") }
        #expect(pages.count == 1)
    }
}

@Suite("bieumau validate on workbooks")
struct ValidateWorkbookTests {
    @Test(.enabled(if: Tools.python("openpyxl"), "needs python3 with openpyxl"))
    func convertedSeedGivesTheSameFindingsAtItsCells() throws {
        let dir = TestPaths.temporaryFolder("validate-xlsx")
        defer { try? FileManager.default.removeItem(at: dir) }
        let xlsx = dir.appendingPathComponent("seed.xlsx").path
        let convert = try Run.bieumau(["convert", ValidateCommandTests.seedPath, "-o", xlsx])
        #expect(convert.status == 0, "\(convert.stderr)")
        let r = try Run.bieumau(["validate", xlsx, "--period", "Quý I/2023", "--format", "json"])
        #expect(r.status == 1, "\(r.stderr)")
        let object = try ValidateCommandTests.json(r.stdout)
        #expect(ValidateCommandTests.ruleCodes(object) == [
            "period-mismatch ", "sum-mismatch 3.1.4", "sum-mismatch 4.3", "type-error 1.6",
            "value-on-group-row 2.3", "zero-denominator 1.3.4", "zero-denominator 3.4",
        ])
        // Each cell named is the value cell (column D) of the row printing that code, read with openpyxl.
        let py = try Run.python("""
            import json, sys, openpyxl
            ws = openpyxl.load_workbook(sys.argv[1])["Phụ lục"]
            print(json.dumps({str(r[0].value): "'Phụ lục'!D%d" % r[0].row for r in ws.iter_rows() if r[0].value is not None}))
            """, [xlsx])
        let cellOf = try #require(JSONSerialization.jsonObject(with: Data(py.stdout.utf8)) as? [String: String])
        for f in (object["findings"] as? [[String: Any]]) ?? [] {
            guard let code = f["code"] as? String, !code.isEmpty else { continue }
            #expect(f["cell"] as? String == cellOf[code], "\(code)")
        }
    }
}
