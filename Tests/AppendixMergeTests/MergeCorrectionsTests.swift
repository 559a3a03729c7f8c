import AppendixMerge
import AppendixModel
import Support
import Foundation
import TestSupport
import Testing

/// Merges of files a careless unit or a confused collector sends (issues #9 and #10): each test
/// builds the files that showed the problem and checks what the collector sees.
@Suite("bieumau merge: conflicting, re-merged and forged inputs", .serialized)
struct MergeCorrectionsTests {
    static let parent = "UBND HUYỆN THỬ NGHIỆM"

    func threeUnits(_ dir: URL) throws {
        for (i, name) in ["UBND xã An Bình", "UBND xã Bắc Sơn", "UBND xã Cao Kỳ"].enumerated() {
            let spec = UnitSpec(unit: name, values: ["r4_1": .text("\(i + 1)"), "r1_6": .text(i == 1 ? "Không" : "Có")])
            try spec.write("csv", to: dir.appendingPathComponent("u\(i).csv"))
        }
    }

    func merge(_ inputs: [URL], _ out: URL, _ extra: [String] = []) throws -> ProcessResult {
        try Run.bieumau(["merge"] + inputs.map(\.path) + ["-o", out.path, "--unit", Self.parent] + extra)
    }

    func json(_ r: ProcessResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stdout) \(r.stderr)")
    }

    func sheetNames(_ path: URL) throws -> [String] {
        try openpyxl(path, "print(json.dumps(wb.sheetnames))") as? [String] ?? []
    }

    // MARK: Two files of one unit

    @Test("two files of one unit that disagree: the text summary names the unit, both files and the rows",
          .enabled(if: Tools.python("openpyxl"), "needs python3 with openpyxl"))
    func conflictInTheTextSummary() throws {
        let dir = TestPaths.temporaryFolder("merge-conflict-text")
        defer { try? FileManager.default.removeItem(at: dir) }
        try threeUnits(dir)
        // Bắc Sơn sends a second, corrected file: 4.1 and 1.6 changed.
        try UnitSpec(unit: "Ủy ban nhân dân xã Bắc Sơn", values: ["r4_1": .text("20"), "r1_6": .text("Có")])
            .write("csv", to: dir.appendingPathComponent("u1-sua.csv"))
        let out = dir.appendingPathComponent("out/tong-hop.xlsx")
        try FileManager.default.createDirectory(at: out.deletingLastPathComponent(), withIntermediateDirectories: true)
        let strict = try merge([dir], out)
        #expect(strict.status == 65)
        #expect(!FileManager.default.fileExists(atPath: out.path))
        #expect(strict.stderr.contains("u1.csv") && strict.stderr.contains("u1-sua.csv"))

        let r = try merge([dir], out, ["--allow-partial"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.components(separatedBy: "\n")
        #expect(lines.contains { $0.contains("Đơn vị gửi nhiều tệp có số liệu khác nhau") && $0.hasSuffix(": 1") })
        #expect(lines.contains { $0.uppercased().contains("UBND XÃ BẮC SƠN") && $0.contains("u1.csv") && $0.contains("u1-sua.csv") })
        #expect(lines.contains { $0.contains("1.6:") && $0.contains("u1.csv = Không") && $0.contains("u1-sua.csv = Có") })
        #expect(lines.contains { $0.contains("4.1:") && $0.contains("u1.csv = 2") && $0.contains("u1-sua.csv = 20") })
        // Counted missing: the sum has An Bình and Cao Kỳ only.
        #expect(lines.contains("Đơn vị thiếu: 1"))
        #expect(r.stderr.contains("1 đơn vị thiếu"))
        let detail = try openpyxl(out, "ws = wb['Chi tiết']\nprint(json.dumps([c.value for c in ws[3]][5:7]))") as? [String]
        #expect(detail?.map { $0.uppercased() } == ["UBND XÃ AN BÌNH", "UBND XÃ CAO KỲ"])
    }

    @Test("the same file sent twice, or a copy under another name, is one submission")
    func identicalCopies() throws {
        let dir = TestPaths.temporaryFolder("merge-copies")
        defer { try? FileManager.default.removeItem(at: dir) }
        try threeUnits(dir)
        try FileManager.default.copyItem(at: dir.appendingPathComponent("u2.csv"), to: dir.appendingPathComponent("u2 - Copy.csv"))
        let out = dir.appendingPathComponent("out.xlsx")
        let r = try merge([dir], out, ["--format", "json"])
        #expect(r.status == 0, "copies are not an error: \(r.stderr)")
        let doc = try json(r)
        #expect(doc["unitCount"] as? Int == 3)
        #expect(valueText(try mergedValues(r.stdout), "r4_1") == "6")
        let rejected = doc["rejected"] as? [[String: Any]] ?? []
        #expect(rejected.map { $0["kind"] as? String } == ["same-submission"])
    }

    // MARK: --format json when the merge is refused

    @Test("a refused merge with --format json prints the rejections as JSON, and writes nothing")
    func refusalAsJSON() throws {
        let dir = TestPaths.temporaryFolder("merge-refused-json")
        defer { try? FileManager.default.removeItem(at: dir) }
        try threeUnits(dir)
        try Data("PK\u{3}\u{4}không phải bảng tính".utf8).write(to: dir.appendingPathComponent("hong.xlsx"))
        let out = dir.appendingPathComponent("out.xlsx")
        let r = try merge([dir], out, ["--format", "json"])
        #expect(r.status == 65)
        #expect(!FileManager.default.fileExists(atPath: out.path))
        let doc = try json(r)
        #expect(doc["refused"] as? Bool == true)
        let rejected = try #require(doc["rejected"] as? [[String: Any]])
        #expect(rejected.map { (($0["file"] as? String ?? "") as NSString).lastPathComponent } == ["hong.xlsx"])
        #expect(rejected.first?["kind"] as? String == "unreadable")
        #expect((rejected.first?["reason"] as? String ?? "").isEmpty == false)
        #expect(doc["missing"] as? [String] == [])
        // Nothing readable at all: still a JSON answer.
        let only = dir.appendingPathComponent("hong.xlsx")
        let none = try merge([only], out, ["--format", "json"])
        #expect(none.status == 65)
        #expect(try json(none)["refused"] as? Bool == true)
    }

    // MARK: A previous merge output among the inputs (#10.4)

    @Test("last run's merged workbook left in the input folder is set aside, not counted again",
          .enabled(if: Tools.python("openpyxl"), "needs python3 with openpyxl"))
    func previousOutputInTheFolder() throws {
        let dir = TestPaths.temporaryFolder("merge-again")
        defer { try? FileManager.default.removeItem(at: dir) }
        try threeUnits(dir)
        let first = dir.appendingPathComponent("tong-hop-quy-1.xlsx")   // written into the folder it merges
        #expect(try merge([dir], first).status == 0)
        // Next run, under another output name: the old output is now an input of the folder.
        let second = TestPaths.temporaryFolder("merge-again-out").appendingPathComponent("lan-2.xlsx")
        let strict = try merge([dir], second, ["--format", "json"])
        #expect(strict.status == 65, "\(strict.stdout)")
        #expect(strict.stderr.contains("tong-hop-quy-1.xlsx"))
        let r = try merge([dir], second, ["--format", "json", "--allow-partial"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(valueText(try mergedValues(r.stdout), "r4_1") == "6")       // not 12
        #expect(try json(r)["unitCount"] as? Int == 3)
        let rejected = try json(r)["rejected"] as? [[String: Any]] ?? []
        #expect(rejected.map { $0["kind"] as? String } == ["previous-merge"])
        #expect((rejected.first?["reason"] as? String ?? "").contains("UBND xã An Bình"))
    }

    @Test("a merged workbook of the unit being produced is set aside even alone with new units")
    func outputOfTheSameUnit() throws {
        let dir = TestPaths.temporaryFolder("merge-same-unit")
        defer { try? FileManager.default.removeItem(at: dir) }
        try threeUnits(dir)
        let old = TestPaths.temporaryFolder("merge-same-unit-old").appendingPathComponent("huyen.xlsx")
        #expect(try merge([dir], old).status == 0)
        // A new commune's file and the district's own old output, merged again as the district.
        let more = TestPaths.temporaryFolder("merge-same-unit-new")
        try UnitSpec(unit: "UBND xã Dương Quang", values: ["r4_1": .text("4")]).write("csv", to: more.appendingPathComponent("u3.csv"))
        let out = more.appendingPathComponent("out.xlsx")
        let r = try merge([old, more.appendingPathComponent("u3.csv")], out, ["--format", "json", "--allow-partial"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(valueText(try mergedValues(r.stdout), "r4_1") == "4")
        let rejected = try json(r)["rejected"] as? [[String: Any]] ?? []
        #expect(rejected.map { $0["kind"] as? String } == ["previous-merge"])
        #expect((rejected.first?["reason"] as? String ?? "").contains("chính đơn vị đang tổng hợp"))
    }

    // MARK: Forged properties (#10.5)

    @Test("a commune's file claiming kind=merged, units=1000 counts as one unit",
          .enabled(if: Tools.python("openpyxl"), "needs python3 with openpyxl"))
    func forgedMergedProperties() throws {
        let dir = TestPaths.temporaryFolder("merge-forged")
        defer { try? FileManager.default.removeItem(at: dir) }
        try threeUnits(dir)
        // A fourth commune writes 1000 on the Có/không row and forges the properties a merged workbook has.
        let forged = dir.appendingPathComponent("u3.xlsx")
        try UnitSpec(unit: "UBND xã Dương Quang", values: ["r4_1": .text("4"), "r1_6": .number("1000")])
            .write("openpyxl", to: forged)
        try? FileManager.default.removeItem(at: dir.appendingPathComponent("u3.json"))
        let py = try Run.forgeMergedProperties(forged.path, units: 1000)
        #expect(py.status == 0, "\(py.stderr)")
        let out = TestPaths.temporaryFolder("merge-forged-out").appendingPathComponent("out.xlsx")
        let r = try merge([dir], out, ["--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try json(r)
        #expect(doc["unitCount"] as? Int == 4)                       // not 1003
        let rows = try mergedValues(r.stdout)
        #expect(valueText(rows, "r1_6") == "2")                      // An Bình and Cao Kỳ said Có; 1000 is no answer
        #expect(valueText(rows, "r4_1") == "10")
        let accepted = doc["accepted"] as? [[String: Any]] ?? []
        let u3 = try #require(accepted.first { ($0["file"] as? String ?? "").hasSuffix("u3.xlsx") })
        #expect(u3["merged"] as? Bool == false)
        #expect(((u3["notes"] as? [String]) ?? []).contains { $0.contains("1000") && $0.contains("Nguồn") })
        #expect((u3["errors"] as? Int ?? 0) >= 1)                    // 1000 on a Có/không row is checked as such
    }

    // MARK: Sheets of the merged workbook (#9, #10.13)

    @Test("--unit-sheets no writes Tổng hợp, Chi tiết and Nguồn only; auto and yes add one sheet per unit",
          .enabled(if: Tools.python("openpyxl"), "needs python3 with openpyxl"))
    func unitSheetsOption() throws {
        let dir = TestPaths.temporaryFolder("merge-unit-sheets")
        defer { try? FileManager.default.removeItem(at: dir) }
        try threeUnits(dir)
        let outs = TestPaths.temporaryFolder("merge-unit-sheets-out")
        let no = outs.appendingPathComponent("no.xlsx"), auto = outs.appendingPathComponent("auto.xlsx")
        let yes = outs.appendingPathComponent("yes.xlsx")
        #expect(try merge([dir], no, ["--unit-sheets", "no"]).status == 0)
        #expect(try merge([dir], auto).status == 0)
        #expect(try merge([dir], yes, ["--unit-sheets", "yes"]).status == 0)
        #expect(try sheetNames(no) == ["Tổng hợp", "Chi tiết", "Nguồn"])
        let withUnits = ["Tổng hợp", "Chi tiết", "Nguồn", "XÃ AN BÌNH", "XÃ BẮC SƠN", "XÃ CAO KỲ"]
        #expect(try sheetNames(auto) == withUnits)
        #expect(try sheetNames(yes) == withUnits)
        let bad = try merge([dir], outs.appendingPathComponent("x.xlsx"), ["--unit-sheets", "maybe"])
        #expect(bad.status == 64)
        let help = try Run.bieumau(["merge", "--help"])
        #expect(help.stdout.contains("--unit-sheets"))
    }

    @Test("a unit kept for the merge is compact: values, notes and finding counts, nothing of the reading")
    func compactUnit() throws {
        var u = unit("Xã A", errors: 2, ["r4_1": "1.234", "r6_1": "2,30", "r6_1_1": "Chưa thực hiện"])
        u.appendix.values["r4_1"]?.location = SourceLocation(file: "a.csv", line: 70, column: 4)
        u.appendix.values["r4_1"]?.note = "ghi chú"
        u.appendix.readingFindings = [Finding(severity: .warning, rule: .ambiguousNumber, message: Localized(vi: "x", en: "x"))]
        let c = u.compacted()
        #expect(c.findings.isEmpty && c.appendix.readingFindings.isEmpty)
        #expect(c.errorCount == 2 && c.warningCount == 0)
        #expect(c.appendix.values["r4_1"]?.location == nil)
        #expect(c.appendix.values["r4_1"]?.classification == nil)
        // What the merge and the sheets use is unchanged.
        for id in ["r4_1", "r6_1", "r6_1_1"] {
            #expect(c.appendix.values[id]?.raw == u.appendix.values[id]?.raw)
            #expect(c.appendix.values[id]?.value == u.appendix.values[id]?.value)
            #expect(c.appendix.values[id]?.decimals == u.appendix.values[id]?.decimals)
        }
        #expect(c.appendix.values["r4_1"]?.note == "ghi chú")
        let b = unit("Xã B", ["r4_1": "6"])
        let options = MergeOptions(parentUnit: "Huyện", period: q1, allowPartial: true)
        let whole = try Merger.merge([u, b], unreadable: [], form: cchc, options: options)
        let compact = try Merger.merge([c, b.compacted()], unreadable: [], form: cchc, options: options)
        #expect(compact.merged.values == whole.merged.values)
        #expect(compact.accepted.map(\.errorCount) == [2, 0])
    }

    @Test("auto means one sheet per unit up to 200 units")
    func unitSheetsAutoLimit() {
        #expect(UnitSheets.auto.enabled(units: 200))
        #expect(!UnitSheets.auto.enabled(units: 201))
        #expect(UnitSheets.yes.enabled(units: 3_400))
        #expect(!UnitSheets.no.enabled(units: 1))
    }

    @Test("a unit named History does not get a sheet named History (Excel reserves it)",
          .enabled(if: Tools.python("openpyxl"), "needs python3 with openpyxl"))
    func historySheetName() throws {
        let dir = TestPaths.temporaryFolder("merge-history")
        defer { try? FileManager.default.removeItem(at: dir) }
        try UnitSpec(unit: "UBND History", values: ["r4_1": .text("1")]).write("csv", to: dir.appendingPathComponent("h.csv"))
        try UnitSpec(unit: "UBND xã An Bình", values: ["r4_1": .text("2")]).write("csv", to: dir.appendingPathComponent("a.csv"))
        let out = TestPaths.temporaryFolder("merge-history-out").appendingPathComponent("out.xlsx")
        let r = try merge([dir], out)
        #expect(r.status == 0, "\(r.stderr)")
        let names = try sheetNames(out)
        #expect(names.count == 5)
        #expect(!names.contains { $0.lowercased() == "history" }, "\(names)")
        #expect(names.contains { $0.lowercased().hasPrefix("history (") }, "\(names)")
    }
}
