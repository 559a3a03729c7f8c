import Foundation
import SheetGrid
import Support
import Testing
import TestSupport
@testable import XLSXInput

/// Opens `path` and reads every sheet; returns the refusal, or nil when it was read.
private func refusal(_ path: String, limits: XLSXLimits = .default) -> BieuMauError? {
    TestSupport.refusal {
        let wb = try XLSXWorkbook(path: path, limits: limits)
        for s in wb.sheets { _ = try wb.readGrid(s) }
    }
}

private let simpleSheet = "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"

@Suite struct RefusalTests {
    @Test func notXLSXInputsAreRecognised() throws {
        let csv = try writeTemp(Array("Mã số,Chỉ tiêu,Giá trị\n01,Tổng,136284\n".utf8), name: "renamed.xlsx")
        let e1 = refusal(csv)
        #expect(e1?.status == .dataError)
        #expect(e1?.message.en.contains("plain text (perhaps CSV)") == true)
        #expect(e1?.location?.file == csv)

        let empty = try writeTemp([], name: "empty.xlsx")
        #expect(refusal(empty)?.message.en.contains("empty") == true)

        var ole: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array(repeating: 0, count: 1024)
        let legacy = try writeTemp(ole, name: "legacy.xlsx")
        #expect(refusal(legacy)?.message.en.contains("legacy Excel file (.xls)") == true)
        ole += "EncryptionInfo".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } + Array(repeating: 0, count: 64)
        let encrypted = try writeTemp(ole, name: "encrypted.xlsx")
        let e2 = refusal(encrypted)
        #expect(e2?.message.en.contains("password-protected (encrypted)") == true)
        #expect(e2?.message.vi.contains("mật khẩu") == true)

        let binary = try writeTemp([0x00, 0x01, 0x02, 0xFF, 0xFE, 0x00, 0x10], name: "binary.xlsx")
        #expect(refusal(binary)?.message.en.contains("unrecognised format") == true)

        let missing = TestPaths.temporaryFolder("xlsx").appendingPathComponent("nope.xlsx").path
        #expect(refusal(missing)?.status == .noInput)
    }

    @Test func odsIsRefused() throws {
        let ods = ZipBuilder.zip([("mimetype", Array("application/vnd.oasis.opendocument.spreadsheet".utf8)),
                                  ("content.xml", Array("<office:document-content/>".utf8))])
        let e = refusal(try writeTemp(ods, name: "sheet.xlsx"))
        #expect(e?.message.en.contains("OpenDocument") == true)
    }

    @Test func brokenPackagesAreRefused() throws {
        let f = WorkbookFixture(sheetData: simpleSheet)
        let full = f.bytes()
        let truncated = try writeTemp(Array(full[0..<(full.count / 2)]), name: "truncated.xlsx")
        #expect(refusal(truncated)?.status == .dataError)

        var noWorkbook = f
        noWorkbook.omit = ["xl/workbook.xml"]
        let e1 = refusal(try noWorkbook.write())
        #expect(e1?.message.en.contains("no workbook part") == true)

        let crc = try f.write(corruptCRCOf: "xl/worksheets/sheet1.xml")
        let e2 = refusal(crc)
        #expect(e2?.message.en.contains("CRC") == true)
        #expect(e2?.message.en.contains("xl/worksheets/sheet1.xml") == true)

        let zipEncrypted = try writeTemp(f.bytes(encrypted: ["xl/worksheets/sheet1.xml"]), name: "zipcrypto.xlsx")
        let e4 = refusal(zipEncrypted)
        #expect(e4?.message.en.contains("encrypted with a zip password") == true)
        #expect(e4?.message.en.contains("xl/worksheets/sheet1.xml") == true)

        var noSheets = f
        noSheets.workbook = "<workbook xmlns=\"\(WorkbookFixture.ns)\"><sheets/></workbook>"
        #expect(refusal(try noSheets.write())?.message.en.contains("no sheets") == true)

        var dangling = f
        dangling.workbook = dangling.workbook.replacingOccurrences(of: "rId1", with: "rId77")
        let e3 = refusal(try dangling.write())
        #expect(e3?.message.en.contains("broken relationship") == true)
        #expect(e3?.location?.sheet == "Data")
    }

    @Test func hostileXMLIsRefusedNotExpanded() throws {
        var f = WorkbookFixture(sheetData: simpleSheet)
        f.sheets["xl/worksheets/sheet1.xml"] = """
        <?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\
        <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><worksheet><sheetData><row><c t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData></worksheet>
        """
        let e = refusal(try f.write())
        #expect(e?.message.en.contains("DTD/ENTITY") == true)
        #expect(e?.message.en.contains("xl/worksheets/sheet1.xml") == true)

        var entity = WorkbookFixture(sheetData: "<row r=\"1\"><c r=\"A1\" t=\"str\"><v>&bogus;</v></c></row>")
        entity.styles = nil
        #expect(refusal(try entity.write())?.message.en.contains("invalid XML entity") == true)

        let deep = String(repeating: "<x>", count: 300) + String(repeating: "</x>", count: 300)
        let d = WorkbookFixture(sheetData: "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>", after: "<extLst>\(deep)</extLst>")
        #expect(refusal(try d.write())?.message.en.contains("nested deeper than") == true)
    }

    @Test func badReferencesAreRefusedWithTheirLocation() throws {
        var sst = WorkbookFixture(sheetData: "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>5</v></c></row>")
        sst.sharedStrings = "<sst xmlns=\"\(WorkbookFixture.ns)\"><si><t>only</t></si></sst>"
        let e1 = refusal(try sst.write())
        #expect(e1?.location?.cell == "B1")
        #expect(e1?.location?.sheet == "Data")
        #expect(e1?.message.en.contains("shared string 5") == true)

        let beyond = WorkbookFixture(sheetData: "<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>")
        #expect(refusal(try beyond.write())?.message.en.contains("beyond XFD1048576") == true)
        let row = WorkbookFixture(sheetData: "<row r=\"1048577\"><c><v>1</v></c></row>")
        #expect(refusal(try row.write())?.message.en.contains("beyond 1048576") == true)
        let lastCell = WorkbookFixture(sheetData: "<row r=\"1048576\"><c r=\"XFD1048576\"><v>1</v></c></row>")
        #expect(refusal(try lastCell.write()) == nil)
    }

    @Test func limitsAreEnforced() throws {
        let five = WorkbookFixture(sheetData: "<row r=\"1\">" + (1...5).map { "<c><v>\($0)</v></c>" }.joined() + "</row>")
        var limits = XLSXLimits()
        limits.maxCellsPerSheet = 3
        #expect(refusal(try five.write(), limits: limits)?.message.en.contains("more than 3 cells") == true)

        var text = WorkbookFixture(sheetData: "<row r=\"1\"><c t=\"inlineStr\"><is><t>\(String(repeating: "x", count: 100))</t></is></c></row>")
        text.styles = nil
        limits = XLSXLimits()
        limits.maxStringBytes = 50
        #expect(refusal(try text.write(), limits: limits)?.message.en.contains("longer than 50 bytes") == true)

        limits = XLSXLimits()
        limits.maxTotalUncompressedBytes = 500
        #expect(refusal(try five.write(), limits: limits)?.message.en.contains("total uncompressed size") == true)

        limits = XLSXLimits()
        limits.maxPartBytes = 100
        #expect(refusal(try five.write(), limits: limits)?.message.en.contains("inflates to more than 100 bytes") == true)
    }

    @Test(.enabled(if: Tools.python("zipfile", "zlib"), "python3 with zlib makes the deflated bomb"))
    func zipBombIsRefused() throws {
        // 64 MiB of blanks inside sheetData deflates about 1000:1.
        let f = WorkbookFixture(sheetData: simpleSheet)
        let base = try f.write("bomb.xlsx")
        let r = try Run.python("""
        import sys, zipfile
        src = zipfile.ZipFile(sys.argv[1]); parts = {n: src.read(n) for n in src.namelist()}; src.close()
        sheet = parts["xl/worksheets/sheet1.xml"].replace(b"<sheetData>", b"<sheetData>" + b" " * (64 << 20))
        parts["xl/worksheets/sheet1.xml"] = sheet
        with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
            for n, d in parts.items(): z.writestr(n, d)
        """, [base])
        #expect(r.status == 0, "\(r.stderr)")
        let e = refusal(base)
        #expect(e?.message.en.contains("zip bomb") == true)
        #expect(e?.message.en.contains("xl/worksheets/sheet1.xml") == true)
        // With the ratio check relaxed the same file reads (it is only blanks).
        var relaxed = XLSXLimits()
        relaxed.maxCompressionRatio = 10_000
        #expect(refusal(base, limits: relaxed) == nil)
    }
}

@Suite struct InteropTests {
    @Test(.enabled(if: Tools.python("openpyxl"), "needs python3 with openpyxl"))
    func openpyxlWorkbookReadsBack() throws {
        let path = TestPaths.temporaryFolder("xlsx").appendingPathComponent("openpyxl.xlsx").path
        let r = try Run.python("""
        import sys, datetime, openpyxl
        from openpyxl.styles import Font
        wb = openpyxl.Workbook()
        ws = wb.active; ws.title = "Phụ lục"
        ws["A1"] = "Biểu 01: Tổng hợp"; ws["A1"].font = Font(bold=True)
        ws.merge_cells("A1:D1")
        ws.append(["STT", "Chỉ tiêu", "Kế hoạch", "Tỉ lệ"])
        ws.append([1, "Dân số trung bình", 136284, 0.25])
        ws["D3"].number_format = "0.00%"
        ws["C3"].number_format = "#,##0"
        ws.append([2, "  có khoảng trắng  ", 0.1, None])
        ws["B5"] = datetime.date(2024, 12, 31); ws["B5"].number_format = "dd/mm/yyyy"
        ws["C5"] = "=C3*2"
        ws["B6"] = "Ghi chú"; ws["B6"].font = Font(italic=True)
        ws.row_dimensions[6].hidden = True
        hidden = wb.create_sheet("Ẩn"); hidden["A1"] = 1; hidden.sheet_state = "hidden"
        wb.save(sys.argv[1])
        """, [path])
        #expect(r.status == 0, "\(r.stderr)")
        let wb = try XLSXWorkbook(path: path)
        #expect(wb.sheets.map(\.name) == ["Phụ lục", "Ẩn"])
        #expect(wb.sheets[1].state == .hidden)
        let g = try wb.readGrid(try wb.sheet("Phụ lục"))
        func v(_ ref: String) -> Cell? {
            let (row, col) = CellReference.parse(ref)!
            return g.rows.first(where: { $0.index == row })?.cell(at: col)
        }
        #expect(v("A1")?.value == .text("Biểu 01: Tổng hợp"))
        #expect(v("A1")?.style.bold == true)
        #expect(g.merges == [CellRange(firstRow: 0, firstColumn: 0, lastRow: 0, lastColumn: 3)])
        #expect(v("C3")?.value == .number("136284"))
        #expect(v("C3")?.style.numberFormat == "#,##0")
        #expect(v("D3")?.value == .number("0.25"))
        #expect(v("D3")?.style.isPercentFormat == true)
        #expect(v("B4")?.value == .text("  có khoảng trắng  "))
        #expect(v("C4")?.value == .number("0.1"))
        #expect(v("B5")?.value == .date("2024-12-31"))
        #expect(v("C5")?.formula == "C3*2")
        #expect(v("B6")?.style.italic == true)
        #expect(g.rows.first(where: { $0.index == 5 })?.hidden == true)
    }
}
