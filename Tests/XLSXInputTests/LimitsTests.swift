import Foundation
import SheetGrid
import Support
import Testing
import TestSupport
@testable import XLSXInput

/// Opens `path` and reads every sheet; returns the refusal and the seconds it took.
private func timedRefusal(_ path: String, limits: XLSXLimits = .default) -> (BieuMauError?, TimeInterval) {
    let start = Date()
    do {
        let wb = try XLSXWorkbook(path: path, limits: limits)
        for s in wb.sheets { _ = try wb.readGrid(s) }
        return (nil, Date().timeIntervalSince(start))
    } catch let e as BieuMauError {
        return (e, Date().timeIntervalSince(start))
    } catch {
        Issue.record("not a BieuMauError: \(error)")
        return (nil, 0)
    }
}

/// Hostile workbooks are refused quickly, with a message that names the file (and the part).
@Suite struct XLSXLimitsTests {
    /// A deflated part of 256 MiB of blanks (about 250 KB compressed), made with zlib from python.
    @Test(.enabled(if: Tools.python("zipfile", "zlib"), "python3 with zlib makes the bomb"))
    func zipBombIsRefusedBeforeInflating() throws {
        let base = try WorkbookFixture(sheetData: "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>").write("bomb.xlsx")
        let r = try Run.python("""
        import sys, zipfile, zlib
        src = zipfile.ZipFile(sys.argv[1]); parts = {n: src.read(n) for n in src.namelist()}; src.close()
        head, tail = parts["xl/worksheets/sheet1.xml"].split(b"<sheetData>")
        with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
            for n, d in parts.items():
                if n != "xl/worksheets/sheet1.xml": z.writestr(n, d)
            with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
                f.write(head + b"<sheetData>")
                block = b" " * (1 << 20)
                for _ in range(256): f.write(block)
                f.write(tail)
        """, [base])
        #expect(r.status == 0, "\(r.stderr)")
        #expect((try FileManager.default.attributesOfItem(atPath: base)[.size] as? Int ?? 0) < 4 << 20)
        let (e, seconds) = timedRefusal(base)
        #expect(seconds < 120, "a hang guard, not a speed target")
        #expect(e?.status == .dataError)
        #expect(e?.location?.file == base || e?.message.en.contains(base) == true)
        #expect(e?.message.en.contains("zip bomb") == true)
        #expect(e?.message.en.contains("xl/worksheets/sheet1.xml") == true)
    }

    @Test func billionLaughsIsRefusedNotExpanded() throws {
        var f = WorkbookFixture(sheetData: "")
        let entities = (1...9).map { i in
            "<!ENTITY lol\(i) \"" + String(repeating: "&lol\(i - 1);", count: 10) + "\">"
        }.joined()
        f.sheets["xl/worksheets/sheet1.xml"] = """
        <?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">\(entities)]>\
        <worksheet><sheetData><row><c t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>
        """
        let path = try f.write("laughs.xlsx")
        let (e, seconds) = timedRefusal(path)
        #expect(seconds < 120, "a hang guard, not a speed target")
        #expect(e?.status == .dataError)
        #expect(e?.location?.file == path)
        #expect(e?.message.en.contains("DTD/ENTITY") == true)
    }

    /// A dimension claiming a million columns is not trusted (nothing is allocated for it), and a
    /// cell beyond column XFD is refused naming the sheet.
    @Test func millionColumnDimensionAndCellsBeyondXFD() throws {
        let claim = WorkbookFixture(sheetData: "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>")
        var f = claim
        f.sheets["xl/worksheets/sheet1.xml"] = """
        <?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="\(WorkbookFixture.ns)"><dimension ref="A1:ZZZZ1048576"/>\
        <sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>
        """
        let path = try f.write("dimension.xlsx")
        let start = Date()
        let wb = try XLSXWorkbook(path: path)
        let grid = try wb.readGrid(wb.firstSheet)
        #expect(Date().timeIntervalSince(start) < 120, "a hang guard, not a speed target")
        #expect(grid.rows.count == 1)
        #expect(grid.rows.first?.cells.count == 1)
        // dump pads CSV records to the declared width only up to 1024 columns.
        if let d = wb.declaredDimension(of: wb.firstSheet) { #expect(d.lastColumn + 1 > 1024) }

        let beyond = WorkbookFixture(sheetData: "<row r=\"1\"><c r=\"ZZZZ1\"><v>1</v></c></row>")
        let bpath = try beyond.write("beyond.xlsx")
        let (e, seconds) = timedRefusal(bpath)
        #expect(seconds < 120, "a hang guard, not a speed target")
        #expect(e?.status == .dataError)
        #expect(e?.location?.file == bpath)
        #expect(e?.location?.sheet == "Data")
        #expect(e?.message.en.contains("beyond XFD1048576") == true)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: Run.bieumauPath), "needs the built bieumau binary"))
    func dumpOfAMillionColumnClaimStaysSmall() throws {
        var f = WorkbookFixture(sheetData: "")
        f.sheets["xl/worksheets/sheet1.xml"] = """
        <?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="\(WorkbookFixture.ns)"><dimension ref="A1:ZZZZ1"/>\
        <sheetData><row r="1"><c r="A1"><v>1</v></c><c r="C1"><v>3</v></c></row></sheetData></worksheet>
        """
        let path = try f.write("wide.xlsx")
        let r = try Run.bieumau(["dump", path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "1,,3\r\n")
    }
}
