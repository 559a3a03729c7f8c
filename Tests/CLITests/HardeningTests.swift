import Foundation
import Testing
import TestSupport

/// Issue #10 ("Hardening"): what a careless or hostile file does. Each fixture is the seed CSV
/// (Examples/ngan-son-q1-2023.csv) edited here as a person or an attacker would edit it.
enum Seed {
    static let path = TestPaths.examples.appendingPathComponent("ngan-son-q1-2023.csv").path
    static var text: String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    /// The seed with whole lines replaced (`old line` → `new line`), failing loudly when a line is missing.
    static func replacing(_ pairs: [(String, String)], in base: String = Seed.text) -> String {
        var out = base
        for (a, b) in pairs {
            if !out.contains(a) { Issue.record("the seed has no text \(a)") }
            out = out.replacingOccurrences(of: a, with: b)
        }
        return out
    }

    static func write(_ text: String, _ name: String, in folder: URL) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }
}

private let binaryPresent = FileManager.default.isExecutableFile(atPath: Run.bieumauPath)

@Suite("Hardening: arithmetic on hostile numbers (#10.1)", .enabled(if: binaryPresent, "needs the bieumau binary (swift build)"))
struct HostileNumberCLITests {
    static let hugeAndTiny = Seed.replacing([
        ("Trong đó,Số TTHC cấp huyện,Thủ tục,265,", "Trong đó,Số TTHC cấp huyện,Thủ tục,200000000,"),
        (",Số TTHC cấp xã,Thủ tục,110,", ",Số TTHC cấp xã,Thủ tục,\"0,000000000000000000000000000001\","),
    ])

    @Test("validate on 200000000 + 0,000…01: exit 1 with the finding at the cell, not a crash")
    func validateHugeAndTinyDoesNotCrash() throws {
        let dir = TestPaths.temporaryFolder("hostile-numbers")
        let file = try Seed.write(Self.hugeAndTiny, "tiny.csv", in: dir)
        let r = try Run.bieumau(["validate", file, "--format", "json"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("\"rule\": \"out-of-range\""))
        #expect(r.stdout.contains("\"cell\": \"dòng 48, cột 4\""))
        // The rest of the file is still checked: the seed's own problems are reported beside it.
        #expect(r.stdout.components(separatedBy: "\"rule\":").count > 3)
    }

    @Test("validate on Int128.max with 1: exit 1, not a crash")
    func validateInt128MaxDoesNotCrash() throws {
        let dir = TestPaths.temporaryFolder("hostile-numbers")
        let file = try Seed.write(Seed.replacing([
            ("Trong đó,Số TTHC cấp huyện,Thủ tục,265,", "Trong đó,Số TTHC cấp huyện,Thủ tục,170141183460469231731687303715884105727,"),
            (",Số TTHC cấp xã,Thủ tục,110,", ",Số TTHC cấp xã,Thủ tục,1,"),
        ]), "max.csv", in: dir)
        let r = try Run.bieumau(["validate", file])
        #expect(r.status == 1)
        #expect(r.stdout.contains("vượt quá phạm vi"))
    }

    @Test("merge of two units holding 200000000 + 0,000…01: the merge completes, the rest is merged")
    func mergeHugeAndTinyDoesNotCrash() throws {
        let dir = TestPaths.temporaryFolder("hostile-numbers")
        let a = try Seed.write(Self.hugeAndTiny, "a.csv", in: dir)
        let b = try Seed.write(Self.hugeAndTiny.replacingOccurrences(of: "Ngân Sơn", with: "Bạch Thông"), "b.csv", in: dir)
        let out = dir.appendingPathComponent("m.xlsx").path
        let r = try Run.bieumau(["merge", a, b, "-o", out, "--unit", "UBND tỉnh Bắc Kạn", "--allow-partial"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: out))
    }
}

/// Loads a workbook with openpyxl and prints its sheet names, then every string cell, one per line.
private let openpyxlDump = """
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print("SHEETS", "|".join(wb.sheetnames))
print("TITLE", wb.properties.title or "")
for ws in wb.worksheets:
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str): print("CELL", c.coordinate, repr(c.value))
"""

@Suite("Hardening: XML-illegal characters never reach the workbook (#10.2)",
       .enabled(if: binaryPresent, "needs the bieumau binary (swift build)"))
struct XMLIllegalCharacterTests {
    /// The seed with U+FFFE/U+FFFF in a note and C0 controls (SOH, ESC) in the unit name of the header line.
    static let hostile = Seed.replacing([
        ("1.5.1,Số lượng phiếu khảo sát,Số lượng,,Chưa thực hiện",
         "1.5.1,Số lượng phiếu khảo sát,Số lượng,,Chưa thực hiện \u{FFFE}\u{FFFF} nữa"),
        ("của UBND huyện Ngân Sơn", "của UBND huyện Ngân\u{01}\u{1B} Sơn"),
    ])

    @Test("convert: U+FFFE/U+FFFF in a note and C0 in the unit name give a workbook openpyxl loads, later text intact",
          .enabled(if: Tools.python("openpyxl"), "needs python3 with openpyxl"))
    func convertWritesOnlyXMLLegalText() throws {
        let dir = TestPaths.temporaryFolder("xml-illegal")
        let input = try Seed.write(Self.hostile, "in.csv", in: dir)
        let out = dir.appendingPathComponent("out.xlsx").path
        let r = try Run.bieumau(["convert", input, "-o", out])
        #expect(r.status == 0, "\(r.stderr)")
        let py = try Run.python(openpyxlDump, [out])
        #expect(py.status == 0, "openpyxl refused the workbook: \(py.stderr)")
        #expect(py.stdout.contains("Chưa thực hiện \u{FFFD}\u{FFFD} nữa"))
        // A text cell written after the note is still there.
        #expect(py.stdout.contains("Số lượng phiếu khảo sát"))
        #expect(py.stdout.contains("Tỷ lệ thực hiện kế hoạch giải ngân vốn đầu tư công"))
        // Nothing XML-illegal is in any part of the package.
        let parts = try Run.python("""
            import sys, zipfile, re
            z = zipfile.ZipFile(sys.argv[1])
            bad = [n for n in z.namelist() if re.search('[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\ufffe\\uffff]', z.read(n).decode('utf-8', 'replace'))]
            print(bad)
            """, [out])
        #expect(parts.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
    }

    @Test("merge: a unit named with C0 controls (header line and --unit) gives sheets, links, chart and properties that load",
          .enabled(if: Tools.python("openpyxl"), "needs python3 with openpyxl"))
    func mergeWritesOnlyXMLLegalNames() throws {
        let dir = TestPaths.temporaryFolder("xml-illegal")
        let a = try Seed.write(Self.hostile, "a.csv", in: dir)
        let b = try Seed.write(Self.hostile.replacingOccurrences(of: "Ngân", with: "Bạch"), "b.csv", in: dir)
        let out = dir.appendingPathComponent("m.xlsx").path
        let r = try Run.bieumau(["merge", a, b, "-o", out, "--unit", "UBND tỉnh\u{01} Bắc\u{1B}[2J Kạn", "--allow-partial",
                                 "--period", "Quý I/2023"])
        #expect(r.status == 0, "\(r.stderr)")
        let py = try Run.python(openpyxlDump, [out])
        #expect(py.status == 0, "openpyxl refused the merged workbook: \(py.stderr)")
        #expect(py.stdout.contains("Ngân\u{FFFD}\u{FFFD} Sơn"))
        let parts = try Run.python("""
            import sys, zipfile, re
            z = zipfile.ZipFile(sys.argv[1])
            bad = [n for n in z.namelist() if re.search('[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\ufffe\\uffff]', z.read(n).decode('utf-8', 'replace'))]
            print(bad)
            """, [out])
        #expect(parts.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
    }
}
