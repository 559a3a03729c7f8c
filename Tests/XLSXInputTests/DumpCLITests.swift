import Foundation
import SheetGrid
import Support
import Testing
import TestSupport

/// `bieumau dump` through the built binary.
@Suite struct DumpCLITests {
    static var binaryPresent: Bool { FileManager.default.isExecutableFile(atPath: Run.bieumauPath) }

    func fixture() throws -> String {
        var f = WorkbookFixture(sheetData: """
        <row r="1"><c r="A1" t="inlineStr"><is><t>Mã, số</t></is></c><c r="B1" t="inlineStr"><is><t>Chỉ "tiêu"</t></is></c>\
        <c r="C1" t="inlineStr"><is><t>dòng 1_x000D_
        dòng 2</t></is></c></row>\
        <row r="3"><c r="A3"><v>136284</v></c><c r="B3" s="1"><v>45000</v></c><c r="D3" t="e"><v>#DIV/0!</v></c></row>\
        <row r="4"><c r="B4" t="b"><v>1</v></c><c r="C4"><v>0.1</v></c></row>
        """)
        f.sheets["xl/worksheets/sheet1.xml"] = f.sheets["xl/worksheets/sheet1.xml"]!
            .replacingOccurrences(of: "<sheetData>", with: "<dimension ref=\"A1:D4\"/><sheetData>")
        f.styles = """
        <styleSheet xmlns="\(WorkbookFixture.ns)"><cellXfs><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>
        """
        f.workbook = """
        <workbook xmlns="\(WorkbookFixture.ns)" xmlns:r="\(WorkbookFixture.relNS)"><sheets>\
        <sheet name="Phụ lục" sheetId="1" r:id="rId1"/><sheet name="Ẩn" sheetId="2" state="hidden" r:id="rId1"/></sheets></workbook>
        """
        return try f.write("input.xlsx")
    }

    static let expectedCSV = "\"Mã, số\",\"Chỉ \"\"tiêu\"\"\",\"dòng 1\r\ndòng 2\",\r\n,,,\r\n136284,2023-03-15,,#DIV/0!\r\n,TRUE,0.1,\r\n"

    @Test(.enabled(if: binaryPresent, "needs the built bieumau binary"))
    func dumpsToStdoutAndFile() throws {
        let input = try fixture()
        let r = try Run.bieumau(["dump", input])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == Self.expectedCSV)

        let out = TestPaths.temporaryFolder("dump").appendingPathComponent("out.csv").path
        let r2 = try Run.bieumau(["dump", input, "--sheet", "Phụ lục", "-o", out])
        #expect(r2.status == 0, "\(r2.stderr)")
        #expect(try String(contentsOfFile: out, encoding: .utf8) == Self.expectedCSV)

        // No overwrite without --force; the file is untouched.
        let r3 = try Run.bieumau(["dump", input, "-o", out, "--sheet", "2"])
        #expect(r3.status == 73)
        #expect(r3.stderr.contains("--force"))
        #expect(try String(contentsOfFile: out, encoding: .utf8) == Self.expectedCSV)
        let r4 = try Run.bieumau(["dump", input, "-o", out, "--sheet", "2", "--force"])
        #expect(r4.status == 0)

        let r5 = try Run.bieumau(["dump", input, "-o", "-"])
        #expect(r5.stdout == Self.expectedCSV)
    }

    @Test(.enabled(if: binaryPresent, "needs the built bieumau binary"))
    func listsSheets() throws {
        let r = try Run.bieumau(["dump", "--list", try fixture()])
        #expect(r.status == 0)
        #expect(r.stdout == "index\tname\tstate\tkind\n1\tPhụ lục\tvisible\tworksheet\n2\tẨn\thidden\tworksheet\n")
    }

    @Test(.enabled(if: binaryPresent, "needs the built bieumau binary"))
    func failuresHaveTheirExitCodesAndLeaveNoOutput() throws {
        let dir = TestPaths.temporaryFolder("dump")
        let out = dir.appendingPathComponent("out.csv").path

        let missing = try Run.bieumau(["dump", dir.appendingPathComponent("missing.xlsx").path, "-o", out])
        #expect(missing.status == 66)

        let csv = dir.appendingPathComponent("renamed.xlsx")
        try Data("a,b\n1,2\n".utf8).write(to: csv)
        let bad = try Run.bieumau(["dump", csv.path, "-o", out, "--lang", "en"])
        #expect(bad.status == 65)
        #expect(bad.stderr.contains("renamed.xlsx"))
        #expect(bad.stderr.contains("CSV"))

        let noSheet = try Run.bieumau(["dump", try fixture(), "--sheet", "Biểu 99", "-o", out])
        #expect(noSheet.status == 65)
        #expect(noSheet.stderr.contains("Phụ lục"))

        // A failure in the middle of a sheet (shared string out of range on row 2).
        var f = WorkbookFixture(sheetData: "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"2\"><c r=\"A2\" t=\"s\"><v>9</v></c></row>")
        f.sharedStrings = "<sst xmlns=\"\(WorkbookFixture.ns)\"><si><t>x</t></si></sst>"
        let midway = try Run.bieumau(["dump", try f.write(), "-o", out])
        #expect(midway.status == 65)
        #expect(midway.stderr.contains("A2"))

        let noFolder = try Run.bieumau(["dump", try fixture(), "-o", dir.appendingPathComponent("no/such/out.csv").path])
        #expect(noFolder.status == 73)

        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".csv") || $0.contains(".tmp-") }
        #expect(left.isEmpty, "left behind: \(left)")
    }
}
