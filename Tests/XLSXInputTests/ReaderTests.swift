import Foundation
import SheetGrid
import Support
import Testing
import TestSupport
@testable import XLSXInput
import XMLScan

private func open(_ f: WorkbookFixture) throws -> XLSXWorkbook {
    try XLSXWorkbook(path: try f.write())
}

private func grid(_ f: WorkbookFixture, sheet: String = "1") throws -> Grid {
    let wb = try open(f)
    return try wb.readGrid(try wb.sheet(sheet))
}

@Suite struct CellValueTests {
    @Test func sharedStringsRichTextPhoneticAndEscapes() throws {
        var f = WorkbookFixture(sheetData: """
        <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>\
        <c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c></row>
        """)
        f.sharedStrings = """
        <sst xmlns="\(WorkbookFixture.ns)"><si><t>Chỉ tiêu</t></si>\
        <si><r><rPr><b/></rPr><t>Tổng </t></r><r><t xml:space="preserve">số  </t></r><rPh sb="0" eb="1"><t>ソウ</t></rPh></si>\
        <si><t>line1_x000D_&#10;line2</t></si><si><t>_x005F_x000D_ literal &amp; &lt;ok&gt;</t></si>\
        <si><t xml:space="preserve">  padded\t</t></si></sst>
        """
        let g = try grid(f)
        #expect(value(g, "A1") == .text("Chỉ tiêu"))
        #expect(value(g, "B1") == .text("Tổng số  "))
        #expect(value(g, "C1") == .text("line1\r\nline2"))
        #expect(value(g, "D1") == .text("_x000D_ literal & <ok>"))
        #expect(value(g, "E1") == .text("  padded\t"))
    }

    @Test func cellTypesAndExactNumbers() throws {
        let f = WorkbookFixture(sheetData: """
        <row r="1"><c r="A1"><v>0.1</v></c><c r="B1" t="n"><v>1E-3</v></c><c r="C1"><v>136284</v></c>\
        <c r="D1" t="b"><v>1</v></c><c r="E1" t="b"><v>0</v></c><c r="F1" t="e"><v>#DIV/0!</v></c>\
        <c r="G1" t="d"><v>2023-03-14T08:30:00</v></c><c r="H1" t="inlineStr"><is><t>inline _x0041_</t></is></c>\
        <c r="I1" t="str"><f>"a"&amp;"b"</f><v>ab</v></c><c r="J1"><f>SUM(A1:C1)</f><v>136284.101</v></c>\
        <c r="K1" t="inlineStr"><is><r><t>rich </t></r><r><t>inline</t></r></is></c><c r="L1" s="0"/></row>
        """)
        let g = try grid(f)
        #expect(value(g, "A1") == .number("0.1"))
        #expect(value(g, "B1") == .number("1E-3"))
        #expect(value(g, "C1") == .number("136284"))
        #expect(value(g, "D1") == .bool(true))
        #expect(value(g, "E1") == .bool(false))
        #expect(value(g, "F1") == .error("#DIV/0!"))
        #expect(value(g, "G1") == .date("2023-03-14T08:30:00"))
        #expect(value(g, "H1") == .text("inline A"))
        #expect(value(g, "I1") == .text("ab"))
        #expect(g.rows[0].cell(at: 8)?.formula == "\"a\"&\"b\"")
        #expect(value(g, "J1") == .number("136284.101"))
        #expect(g.rows[0].cell(at: 9)?.formula == "SUM(A1:C1)")
        #expect(value(g, "K1") == .text("rich inline"))
        #expect(g.rows[0].cell(at: 11) == nil, "an empty styled cell is not kept")
    }

    @Test func sharedFormulaUsesCachedValue() throws {
        let f = WorkbookFixture(sheetData: """
        <row r="1"><c r="A1"><f t="shared" ref="A1:A2" si="0">B1*2</f><v>4</v></c><c r="B1"><v>2</v></c></row>\
        <row r="2"><c r="A2"><f t="shared" si="0"/><v>6</v></c><c r="B2"><v>3</v></c></row>
        """)
        let g = try grid(f)
        #expect(value(g, "A1") == .number("4"))
        #expect(value(g, "A2") == .number("6"))
        #expect(g.rows[1].cell(at: 0)?.formula == nil)
    }

    @Test func missingReferencesCountByPosition() throws {
        let f = WorkbookFixture(sheetData: """
        <row><c><v>1</v></c><c><v>2</v></c></row><row><c t="inlineStr"><is><t>x</t></is></c></row>\
        <row r="5"><c r="C5"><v>3</v></c><c><v>4</v></c></row><row><c><v>5</v></c></row>
        """)
        let g = try grid(f)
        #expect(value(g, "A1") == .number("1"))
        #expect(value(g, "B1") == .number("2"))
        #expect(value(g, "A2") == .text("x"))
        #expect(value(g, "C5") == .number("3"))
        #expect(value(g, "D5") == .number("4"))
        #expect(value(g, "A6") == .number("5"))
    }

    @Test func unsortedAndDuplicateCellsAreOrdered() throws {
        let f = WorkbookFixture(sheetData: """
        <row r="1"><c r="C1"><v>3</v></c><c r="A1"><v>1</v></c><c r="C1"><v>33</v></c></row>
        """)
        let g = try grid(f)
        #expect(g.rows[0].cells.map(\.column) == [0, 2])
        #expect(value(g, "C1") == .number("33"))
    }
}

@Suite struct StyleAndDateTests {
    static let styles = """
    <styleSheet xmlns="\(WorkbookFixture.ns)"><numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>\
    <numFmt numFmtId="165" formatCode="&quot;Ngày&quot; 0.0"/><numFmt numFmtId="166" formatCode="[h]:mm:ss"/>\
    <numFmt numFmtId="167" formatCode="yyyy-mm-dd hh:mm"/></numFmts>\
    <fonts count="3"><font><sz val="11"/></font><font><b/><sz val="11"/></font><font><i/><b val="0"/></font></fonts>\
    <cellStyleXfs count="1"><xf numFmtId="14" fontId="1"/></cellStyleXfs>\
    <cellXfs count="10"><xf numFmtId="0" fontId="0"/><xf numFmtId="9" fontId="1"/><xf numFmtId="10" fontId="2"/>\
    <xf numFmtId="3" fontId="0"/><xf numFmtId="14" fontId="0"/><xf numFmtId="164" fontId="0"/>\
    <xf numFmtId="165" fontId="0"/><xf numFmtId="21" fontId="0"/><xf numFmtId="166" fontId="0"/><xf numFmtId="167" fontId="0"/></cellXfs>\
    <dxfs><dxf><font><b/></font></dxf></dxfs></styleSheet>
    """

    func fixture(_ date1904: Bool = false, _ cells: String) -> WorkbookFixture {
        var f = WorkbookFixture(sheetData: cells)
        f.styles = Self.styles
        if date1904 {
            f.workbook = f.workbook.replacingOccurrences(of: "<workbookPr/>", with: "<workbookPr date1904=\"1\"/>")
        }
        return f
    }

    @Test func numberFormatsAndFonts() throws {
        let g = try grid(fixture(false, """
        <row r="1"><c r="A1" s="1"><v>0.25</v></c><c r="B1" s="2"><v>0.125</v></c><c r="C1" s="3"><v>136284</v></c>\
        <c r="D1" s="6"><v>2.5</v></c><c r="E1" s="99"><v>7</v></c><c r="F1" s=""><v>8</v></c></row>
        """))
        let row = g.rows[0]
        #expect(row.cell(at: 0)?.style == CellStyle(bold: true, italic: false, numberFormat: "0%"))
        #expect(row.cell(at: 0)?.style.isPercentFormat == true)
        #expect(row.cell(at: 1)?.style == CellStyle(bold: false, italic: true, numberFormat: "0.00%"))
        #expect(row.cell(at: 2)?.style.numberFormat == "#,##0")
        #expect(row.cell(at: 3)?.value == .number("2.5"), "a quoted 'Ngày' is not a date token")
        #expect(row.cell(at: 4)?.value == .number("7"), "a style index out of range falls back to General")
        #expect(row.cell(at: 5)?.value == .number("8"))
    }

    @Test func dates1900() throws {
        let g = try grid(fixture(false, """
        <row r="1"><c r="A1" s="4"><v>45000</v></c><c r="B1" s="5"><v>59</v></c><c r="C1" s="5"><v>60</v></c>\
        <c r="D1" s="5"><v>61</v></c><c r="E1" s="7"><v>0.5</v></c><c r="F1" s="8"><v>1.5</v></c>\
        <c r="G1" s="9"><v>45000.75</v></c><c r="H1" s="5"><v>-3</v></c><c r="I1" s="4"><v>1</v></c>\
        <c r="J1" s="4"><v>45000.5</v></c><c r="K1" s="7"><v>1.25</v></c></row>
        """))
        #expect(value(g, "A1") == .date("2023-03-15"))
        #expect(value(g, "B1") == .date("1900-02-28"))
        #expect(value(g, "C1") == .number("60"), "1900-02-29 does not exist: the serial is kept")
        #expect(value(g, "D1") == .date("1900-03-01"))
        #expect(value(g, "E1") == .date("12:00:00"))
        #expect(value(g, "F1") == .number("1.5"), "elapsed [h]:mm:ss stays a number")
        #expect(value(g, "G1") == .date("2023-03-15T18:00:00"))
        #expect(value(g, "H1") == .number("-3"))
        #expect(value(g, "I1") == .date("1900-01-01"))
        #expect(value(g, "J1") == .date("2023-03-15T12:00:00"))
        #expect(value(g, "K1") == .date("1900-01-01T06:00:00"))
    }

    @Test func dates1904() throws {
        let g = try grid(fixture(true, """
        <row r="1"><c r="A1" s="4"><v>0</v></c><c r="B1" s="5"><v>43538</v></c><c r="C1" s="9"><v>1.75</v></c></row>
        """))
        #expect(value(g, "A1") == .date("1904-01-01"))
        #expect(value(g, "B1") == .date("2023-03-15"))
        #expect(value(g, "C1") == .date("1904-01-02T18:00:00"))
    }

    @Test func temporalKindOfFormatCodes() {
        #expect(NumberFormats.temporalKind("General") == .none)
        #expect(NumberFormats.temporalKind("0.00E+00") == .none)
        #expect(NumberFormats.temporalKind("#,##0 \"đồng\"") == .none)
        #expect(NumberFormats.temporalKind("[Red]0.00") == .none)
        #expect(NumberFormats.temporalKind("dd/mm/yyyy") == .date)
        #expect(NumberFormats.temporalKind("[$-42A]mmmm yyyy") == .date)
        #expect(NumberFormats.temporalKind("h:mm AM/PM") == .time)
        #expect(NumberFormats.temporalKind("mm:ss") == .time)
        #expect(NumberFormats.temporalKind("m/d/yy h:mm") == .dateTime)
        #expect(NumberFormats.temporalKind("[h]:mm") == .elapsed)
        #expect(NumberFormats.temporalKind("0.00;\"dd\"") == .none)
    }
}

@Suite struct PackageTests {
    @Test func strictNamespacesAndPrefixes() throws {
        var f = WorkbookFixture(sheetData: "")
        let strict = "http://purl.oclc.org/ooxml/spreadsheetml/main"
        f.workbook = """
        <x:workbook xmlns:x="\(strict)" xmlns:r="http://purl.oclc.org/ooxml/officeDocument/relationships">\
        <x:sheets><x:sheet name="Strict" sheetId="1" r:id="rId1"/></x:sheets></x:workbook>
        """
        f.rootRels = f.rootRels.replacingOccurrences(of: "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
                                                     with: "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument")
        f.workbookRels = f.workbookRels.replacingOccurrences(of: "http://schemas.openxmlformats.org/officeDocument/2006/relationships/",
                                                             with: "http://purl.oclc.org/ooxml/officeDocument/relationships/")
        f.sharedStrings = "<x:sst xmlns:x=\"\(strict)\"><x:si><x:t>strict text</x:t></x:si></x:sst>"
        f.sheets["xl/worksheets/sheet1.xml"] = """
        <x:worksheet xmlns:x="\(strict)"><x:sheetData><x:row x:r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c>\
        <x:c r="B1"><x:v>42</x:v></x:c></x:row></x:sheetData></x:worksheet>
        """
        let wb = try open(f)
        #expect(wb.sheets.map(\.name) == ["Strict"])
        let g = try wb.readGrid(wb.sheets[0])
        #expect(value(g, "A1") == .text("strict text"))
        #expect(value(g, "B1") == .number("42"))
    }

    @Test func backslashAbsoluteAndCaseInsensitiveTargets() throws {
        var f = WorkbookFixture(sheetData: "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>")
        f.workbook = """
        <workbook xmlns="\(WorkbookFixture.ns)" xmlns:r="\(WorkbookFixture.relNS)"><sheets>\
        <sheet name="One" sheetId="1" r:id="rId1"/><sheet name="Two" sheetId="2" r:id="rId4"/><sheet name="Three" sheetId="3" r:id="rId5"/></sheets></workbook>
        """
        f.workbookRels = f.workbookRels.replacingOccurrences(of: "Target=\"worksheets/sheet1.xml\"", with: "Target=\"worksheets\\sheet1.xml\"")
            .replacingOccurrences(of: "</Relationships>", with: """
            <Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet2.xml"/>\
            <Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="../xl/Worksheets/SHEET3.xml"/></Relationships>
            """)
        f.sheets["xl/worksheets/sheet2.xml"] = "<worksheet xmlns=\"\(WorkbookFixture.ns)\"><sheetData><row r=\"1\"><c r=\"A1\"><v>2</v></c></row></sheetData></worksheet>"
        f.sheets["xl/worksheets/sheet3.xml"] = "<worksheet xmlns=\"\(WorkbookFixture.ns)\"><sheetData><row r=\"1\"><c r=\"A1\"><v>3</v></c></row></sheetData></worksheet>"
        let wb = try open(f)
        #expect(wb.sheets.map(\.name) == ["One", "Two", "Three"])
        for (i, s) in wb.sheets.enumerated() {
            #expect(value(try wb.readGrid(s), "A1") == .number(String(i + 1)))
        }
    }

    @Test func sheetOrderStatesSelectionAndProperties() throws {
        var f = WorkbookFixture(sheetData: "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>")
        f.workbook = """
        <workbook xmlns="\(WorkbookFixture.ns)" xmlns:r="\(WorkbookFixture.relNS)"><sheets>\
        <sheet name="Ẩn" sheetId="7" state="hidden" r:id="rId1"/><sheet name="Rất ẩn" sheetId="2" state="veryHidden" r:id="rId1"/>\
        <sheet name="Phụ lục" sheetId="1" r:id="rId1"/></sheets>\
        <definedNames><definedName name="_xlnm.Print_Area" localSheetId="2">'Phụ lục'!$A$1:$D$20</definedName>\
        <definedName name="Tong" hidden="1">Data!$B$2</definedName></definedNames></workbook>
        """
        f.customProperties = """
        <Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" \
        xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">\
        <property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="MaBieu"><vt:lpwstr>001.H/BCB-BKHĐT</vt:lpwstr></property>\
        <property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="Ky"><vt:i4>2024</vt:i4></property></Properties>
        """
        let wb = try open(f)
        #expect(wb.sheets.map(\.name) == ["Ẩn", "Rất ẩn", "Phụ lục"])
        #expect(wb.sheets.map(\.state) == [.hidden, .veryHidden, .visible])
        #expect(wb.firstSheet.name == "Phụ lục")
        #expect(try wb.sheet("phụ lục").index == 3)
        #expect(try wb.sheet("2").name == "Rất ẩn")
        #expect(wb.definedNames.count == 2)
        #expect(wb.definedNames[0].localSheet == 2)
        #expect(wb.definedNames[0].formula == "'Phụ lục'!$A$1:$D$20")
        #expect(wb.definedNames[1].hidden)
        #expect(wb.properties == ["MaBieu": "001.H/BCB-BKHĐT", "Ky": "2024"])
        #expect(try wb.readGrid(wb.sheets[2]).properties["MaBieu"] == "001.H/BCB-BKHĐT")
        let e = refusal { _ = try wb.sheet("Biểu 01") }
        #expect(e?.status == .dataError)
        #expect(e?.message.vi.contains("3. Phụ lục") == true)
        #expect(e?.message.en.contains("2. Rất ẩn (ẩn/hidden)") == true)
        #expect(refusal { _ = try wb.sheet("4") } != nil)
    }

    @Test func mergesHiddenRowsAndStreaming() throws {
        let f = WorkbookFixture(sheetData: """
        <row r="1"><c r="A1" t="inlineStr"><is><t>Biểu</t></is></c></row><row r="2" hidden="1"><c r="A2"><v>1</v></c></row>\
        <row r="3" hidden="true"/><row r="4"><c r="B4"><v>2</v></c></row>
        """, after: "<mergeCells count=\"2\"><mergeCell ref=\"A1:D1\"/><mergeCell ref=\"B3:B2\"/></mergeCells>")
        let wb = try open(f)
        var seen: [(Int, Bool, Int)] = []
        let summary = try wb.forEachRow(in: wb.sheets[0]) { seen.append(($0.index, $0.hidden, $0.cells.count)) }
        #expect(seen.map(\.0) == [0, 1, 2, 3])
        #expect(seen.map(\.1) == [false, true, true, false])
        #expect(seen.map(\.2) == [1, 1, 0, 1])
        #expect(summary.merges == [CellRange(firstRow: 0, firstColumn: 0, lastRow: 0, lastColumn: 3),
                                   CellRange(firstRow: 1, firstColumn: 1, lastRow: 2, lastColumn: 1)])
        #expect(summary.cellCount == 3)
        let g = try wb.readGrid(wb.sheets[0])
        #expect(g.merges.count == 2)
        #expect(g.rows.filter(\.hidden).map(\.index) == [1, 2])
        #expect(g.source == .workbook(file: g.fileName, sheet: "Data"))
    }

    @Test func scannerSurvivesEveryChunkBoundary() throws {
        // Feed the same document in chunks of every size from 1 byte: results must not change.
        let xml = Array("""
        \u{FEFF}<?xml version="1.0"?><!-- c --><worksheet xmlns:x="u"><sheetData><row r="1"><c r="A1" t="inlineStr">\
        <is><t><![CDATA[a<b]]> &amp; &#x1EA0;&#7841;</t></is></c><c r="B1" t='n'><v>12.5</v></c></row></sheetData></worksheet>
        """.utf8)
        var reference: [GridRow]?
        for size in 1...40 {
            var scanner = XMLScanner(handler: SheetHandler(shared: [], formats: [], date1904: false, maxCells: 100, maxBytes: 100))
            var i = 0
            while i < xml.count {
                let end = min(xml.count, i + size)
                try Array(xml[i..<end]).withUnsafeBytes { try scanner.feed($0) }
                i = end
            }
            try scanner.finish()
            let rows = scanner.handler.ready
            #expect(rows.count == 1)
            #expect(rows.first?.value(at: 0) == .text("a<b & Ạạ"))
            #expect(rows.first?.value(at: 1) == .number("12.5"))
            if let reference { #expect(reference == rows) } else { reference = rows }
        }
    }

    @Test func malformedXMLIsRefused() throws {
        for bad in ["<a><b></a></b>", "<a>", "text<a/>", "<a/><b/>", "<a x=1/>", "<a/>trailing", "<a b=\"<\"/>", "<a></a >x"] {
            var scanner = XMLScanner(handler: RelationshipsHandler())
            let thrown: Bool
            do {
                try Array(bad.utf8).withUnsafeBytes { try scanner.feed($0) }
                try scanner.finish()
                thrown = false
            } catch is XMLScanError {
                thrown = true
            }
            #expect(thrown, "accepted: \(bad)")
        }
    }
}
