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

/// Converts the seed to .xlsx in `dir` (the fixture every workbook case starts from).
func seedWorkbook(in dir: URL) throws -> String {
    let out = dir.appendingPathComponent("seed.xlsx").path
    let r = try Run.bieumau(["convert", Seed.path, "-o", out])
    if r.status != 0 { Issue.record("convert of the seed failed: \(r.stderr)") }
    return out
}

@Suite("Hardening: duplicate zip entry names are refused (#10.6)",
       .enabled(if: binaryPresent, "needs the bieumau binary (swift build)"))
struct DuplicateZipEntryTests {
    /// Copies `src` to `dst` with a second copy of the first sheet (named `name`) appended, in
    /// which 265 (3.1.4 cấp huyện) reads 999: what openpyxl/LibreOffice would show.
    static let addDuplicate = """
        import sys, zipfile, warnings
        warnings.simplefilter("ignore")
        src, dst, name = sys.argv[1], sys.argv[2], sys.argv[3]
        with zipfile.ZipFile(src) as z, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
            for n in z.namelist(): out.writestr(n, z.read(n))
            sheet = z.read("xl/worksheets/sheet1.xml").replace(b"<v>265</v>", b"<v>999</v>")
            out.writestr(name, sheet)
        """

    @Test("an exact duplicate of xl/worksheets/sheet1.xml: validate exits 65 naming the part",
          .enabled(if: Tools.programs("python3"), "needs python3"))
    func exactDuplicateIsRefused() throws {
        let dir = TestPaths.temporaryFolder("dup-zip")
        let seed = try seedWorkbook(in: dir)
        let forged = dir.appendingPathComponent("forged.xlsx").path
        let py = try Run.python(Self.addDuplicate, [seed, forged, "xl/worksheets/sheet1.xml"])
        #expect(py.status == 0, "\(py.stderr)")
        let r = try Run.bieumau(["validate", forged])
        #expect(r.status == 65)
        #expect(r.stderr.contains("xl/worksheets/sheet1.xml"))
        #expect(r.stderr.contains("trùng tên"))
    }

    @Test("a duplicate differing only by case (XL/Worksheets/Sheet1.xml): refused too, in convert and validate",
          .enabled(if: Tools.programs("python3"), "needs python3"))
    func caseOnlyDuplicateIsRefused() throws {
        let dir = TestPaths.temporaryFolder("dup-zip")
        let seed = try seedWorkbook(in: dir)
        let forged = dir.appendingPathComponent("forged.xlsx").path
        let py = try Run.python(Self.addDuplicate, [seed, forged, "XL/Worksheets/Sheet1.xml"])
        #expect(py.status == 0, "\(py.stderr)")
        let out = dir.appendingPathComponent("out.xlsx").path
        let c = try Run.bieumau(["convert", forged, "-o", out])
        #expect(c.status == 65)
        #expect(!FileManager.default.fileExists(atPath: out))
        let v = try Run.bieumau(["validate", forged])
        #expect(v.status == 65)
    }
}


@Suite("Hardening: bounded work and memory on huge or pathological appendices (#10.3)",
       .enabled(if: binaryPresent, "needs the bieumau binary (swift build)"))
struct BoundedAppendixTests {
    /// A minimal workbook of N one-digit cells, 100 to a row (a 3.7 MB file of 30 M such cells took 3.2 GB).
    static let tinyCells = #"""
import sys, zipfile
out, n = sys.argv[1], int(sys.argv[2])
cols = 100
def sheet():
    yield b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    rows = (n + cols - 1) // cols
    for r in range(1, rows + 1):
        yield (f'<row r="{r}">' + ''.join(f'<c><v>1</v></c>' for _ in range(cols)) + '</row>').encode()
    yield b'</sheetData></worksheet>'
with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
    z.writestr('_rels/.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    z.writestr('xl/workbook.xml', '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Phụ lục" sheetId="1" r:id="rId1"/></sheets></workbook>')
    z.writestr('xl/_rels/workbook.xml.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
    with z.open('xl/worksheets/sheet1.xml', 'w') as f:
        for chunk in sheet(): f.write(chunk)
"""#

    @Test("a sheet of 3 M tiny cells (the 30 M case, scaled down): validate refuses it at the appendix cell limit, in bounded memory",
          .enabled(if: Tools.programs("python3", "time"), "needs python3 and /usr/bin/time"))
    func thirtyMillionTinyCellsAreRefusedInBoundedMemory() throws {
        let dir = TestPaths.temporaryFolder("tiny-cells")
        let file = dir.appendingPathComponent("tiny.xlsx").path
        let py = try Run.python(Self.tinyCells, [file, "3000000"])
        #expect(py.status == 0, "\(py.stderr)")
        let r = try Run.process(try Tools.require("time"), ["-f", "MAXRSS %M", Run.bieumauPath, "validate", file])
        #expect(r.status == 65)
        #expect(r.stderr.contains("hơn 1000000 ô"))
        let kb = r.stderr.components(separatedBy: "MAXRSS ").last.flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? .max
        #expect(kb < 500_000, "peak memory \(kb) KB")
    }

    @Test("8,000 label-only rows in the seed: validate finishes quickly and reports them as rows",
          .enabled(if: Tools.programs("python3"), "needs python3"))
    func eightThousandContinuationRowsAreLinear() throws {
        let dir = TestPaths.temporaryFolder("continuations")
        let extra = (0..<8_000).map { ",dòng nối tiếp số \($0),,," }.joined(separator: "\r\n")
        let text = Seed.replacing([("1.1,\"Số văn bản chỉ đạo CCHC đã ban hành (kết luận, chỉ thị, công văn chỉ đạo, quán triệt)\",Văn bản,13,\r\n",
                                    "1.1,\"Số văn bản chỉ đạo CCHC đã ban hành (kết luận, chỉ thị, công văn chỉ đạo, quán triệt)\",Văn bản,13,\r\n" + extra + "\r\n")])
        let file = try Seed.write(text, "cont.csv", in: dir)
        let start = Date()
        let r = try Run.bieumau(["validate", file, "--format", "json"])
        let seconds = Date().timeIntervalSince(start)
        #expect(r.status == 1)
        // 487 s in a debug build before (O(N²) gluing); ~2 s after.
        #expect(seconds < 60)
        #expect(r.stdout.contains("dòng nối tiếp số 7999"))
    }
}

@Suite("Hardening: an output is never an input, and never overwrites a file made meanwhile (#10.9, #10.10)",
       .enabled(if: binaryPresent, "needs the bieumau binary (swift build)"))
struct OutputIsNotInputTests {
    func sha(_ path: String) -> Data { FileManager.default.contents(atPath: path) ?? Data() }

    @Test("convert in.csv -o in.csv --force: refused (73), the input unchanged")
    func convertOntoItsCSVInputIsRefused() throws {
        let dir = TestPaths.temporaryFolder("out-is-in")
        let input = try Seed.write(Seed.text, "in.csv", in: dir)
        let before = sha(input)
        let r = try Run.bieumau(["convert", input, "-o", input, "--force"])
        #expect(r.status == 73)
        #expect(r.stderr.contains("chính là tệp đầu vào"))
        #expect(sha(input) == before)
    }

    @Test("convert x.xlsx -o link-to-x.xlsx --force, through a symbolic link and a hard link: refused")
    func convertOntoItsWorkbookThroughLinksIsRefused() throws {
        let dir = TestPaths.temporaryFolder("out-is-in")
        let x = try seedWorkbook(in: dir)
        let before = sha(x)
        let sym = dir.appendingPathComponent("sym.xlsx").path
        let hard = dir.appendingPathComponent("hard.xlsx").path
        try FileManager.default.createSymbolicLink(atPath: sym, withDestinationPath: x)
        try FileManager.default.linkItem(atPath: x, toPath: hard)
        for out in [x, sym, hard] {
            let r = try Run.bieumau(["convert", x, "-o", out, "--force"])
            #expect(r.status == 73, "output \(out)")
        }
        #expect(sha(x) == before)
    }

    @Test("validate x --annotate x --force and merge a e -o a --force: refused, inputs unchanged")
    func annotateAndMergeOntoAnInputAreRefused() throws {
        let dir = TestPaths.temporaryFolder("out-is-in")
        let a = try seedWorkbook(in: dir)
        let e = try Seed.write(Seed.text.replacingOccurrences(of: "Ngân Sơn", with: "Bạch Thông"), "e.csv", in: dir)
        let before = sha(a)
        let v = try Run.bieumau(["validate", a, "--annotate", a, "--force"])
        #expect(v.status == 73)
        let m = try Run.bieumau(["merge", a, e, "-o", a, "--force", "--unit", "UBND tỉnh Bắc Kạn", "--allow-partial"])
        #expect(m.status == 73)
        #expect(sha(a) == before)
    }
}

@Suite("Hardening: terminal escapes and CSV formulas from cells (#10.11, #10.12)",
       .enabled(if: binaryPresent, "needs the bieumau binary (swift build)"))
struct TerminalAndCSVTests {
    static let hostile = Seed.replacing([
        ("1.1,\"Số văn bản chỉ đạo CCHC đã ban hành (kết luận, chỉ thị, công văn chỉ đạo, quán triệt)\",Văn bản,13,",
         "1.1,\"Số văn bản chỉ đạo CCHC đã ban hành (kết luận, chỉ thị, công văn chỉ đạo, quán triệt)\",Văn bản,\"\u{1B}[2J13\u{1B}]52;c;ZXZpbA==\u{07}\",=HYPERLINK(\"\"http://x\"\";\"\"bấm\"\")"),
        ("của UBND huyện Ngân Sơn", "của UBND huyện Ngân Sơn\u{9B}31m"),
    ])

    @Test("validate prints cell text and unit names with control characters made visible")
    func validateShowsControlCharacters() throws {
        let dir = TestPaths.temporaryFolder("terminal")
        let file = try Seed.write(Self.hostile, "in.csv", in: dir)
        let r = try Run.bieumau(["validate", file])
        #expect(r.status == 1)
        #expect(!r.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x9B })
        #expect(!r.stderr.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x9B })
        #expect(r.stdout.contains("\\u001B[2J13"))
    }

    @Test("export to CSV escapes a formula-like note; --raw-values keeps it; numbers like -12 are untouched")
    func exportEscapesFormulas() throws {
        let dir = TestPaths.temporaryFolder("csv-formula")
        let file = try Seed.write(Self.hostile, "in.csv", in: dir)
        let out = dir.appendingPathComponent("out.csv").path
        _ = try Run.bieumau(["export", file, "-o", out])
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text.contains("'=HYPERLINK("))
        #expect(!text.contains(",=HYPERLINK("))
        let raw = dir.appendingPathComponent("raw.csv").path
        _ = try Run.bieumau(["export", file, "-o", raw, "--raw-values"])
        #expect(try String(contentsOfFile: raw, encoding: .utf8).contains(",\"=HYPERLINK("))
    }

    @Test("dump of a workbook to CSV escapes formula-like text, not negative numbers")
    func dumpEscapesFormulas() throws {
        let dir = TestPaths.temporaryFolder("csv-formula")
        let text = Self.hostile.replacingOccurrences(of: "\u{1B}[2J13\u{1B}]52;c;ZXZpbA==\u{07}", with: "13")
            .replacingOccurrences(of: "1.3.1,Số UBND cấp xã đã kiểm tra,Đơn vị,0,", with: "1.3.1,Số UBND cấp xã đã kiểm tra,Đơn vị,0,-12")
        let input = try Seed.write(text, "in.csv", in: dir)
        let xlsx = dir.appendingPathComponent("x.xlsx").path
        let c = try Run.bieumau(["convert", input, "-o", xlsx])
        #expect(c.status == 0, "\(c.stderr)")
        let out = dir.appendingPathComponent("x.csv").path
        let d = try Run.bieumau(["dump", xlsx, "-o", out])
        #expect(d.status == 0, "\(d.stderr)")
        let csv = try String(contentsOfFile: out, encoding: .utf8)
        #expect(csv.contains("'=HYPERLINK("))
        #expect(csv.contains(",-12"))
    }
}

@Suite("Hardening: validate does not pass a date that does not exist (#10.7)",
       .enabled(if: binaryPresent, "needs the bieumau binary (swift build)"))
struct ImpossibleReportDateTests {
    @Test("a report dated 45/13/2023 is an error in validate (exit 1), not a warning")
    func impossibleDateIsAnErrorInValidate() throws {
        let dir = TestPaths.temporaryFolder("date")
        let file = try Seed.write(Seed.replacing([("ngày /3/2022", "ngày 45/13/2023")]), "in.csv", in: dir)
        let r = try Run.bieumau(["validate", file, "--format", "json"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("không có thật"))
        #expect(r.stdout.contains("\"severity\": \"error\", \"rule\": \"period-mismatch\""))
    }

    @Test("convert --report-date 45/13/2023 is refused as a usage error, nothing written")
    func impossibleDateIsRefusedByConvert() throws {
        let dir = TestPaths.temporaryFolder("date")
        let out = dir.appendingPathComponent("out.xlsx").path
        let r = try Run.bieumau(["convert", Seed.path, "-o", out, "--report-date", "45/13/2023"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("không có thật"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
