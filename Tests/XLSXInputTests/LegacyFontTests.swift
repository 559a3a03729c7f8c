import Foundation
import SheetGrid
import Testing
import TestSupport
@testable import XLSXInput

/// Text typed in legacy Vietnamese fonts: Excel stores each typed byte as the character
/// Windows-1252 reads it as ("Sè v¨n b¶n" for "Số văn bản" in `.VnTime`), and the cell's font
/// (styles.xml `<fonts>` → `cellXfs` fontId → the cell's `s`) or a rich run's `rFont` says which
/// encoding the bytes are in.
@Suite struct LegacyFontTests {
    static let styles = """
    <styleSheet xmlns="\(WorkbookFixture.ns)">\
    <fonts count="4"><font><sz val="11"/><name val="Calibri"/></font><font><sz val="13"/><name val=".VnTime"/></font>\
    <font><b/><name val="VNI-Times"/></font><font><name val=".VnTimeH"/></font></fonts>\
    <cellXfs count="5"><xf numFmtId="0" fontId="0"/><xf numFmtId="0" fontId="1"/><xf numFmtId="0" fontId="2"/>\
    <xf numFmtId="0" fontId="3"/><xf numFmtId="9" fontId="1"/></cellXfs>\
    <dxfs><dxf><font><name val=".VnArial"/></font></dxf></dxfs></styleSheet>
    """

    static func workbook(_ cells: String, shared: [String]) throws -> XLSXWorkbook {
        var f = WorkbookFixture(sheetData: cells)
        f.styles = styles
        f.sharedStrings = "<sst xmlns=\"\(WorkbookFixture.ns)\">" + shared.joined() + "</sst>"
        return try XLSXWorkbook(path: try f.write())
    }

    static func text(_ g: Grid, _ ref: String) -> CellValue {
        let (r, c) = CellReference.parse(ref)!
        return g.rows.first(where: { $0.index == r })?.value(at: c) ?? .empty
    }

    @Test func theCellFontSaysTheEncoding() throws {
        let wb = try Self.workbook("""
        <row r="1"><c r="A1" s="1" t="s"><v>0</v></c><c r="B1" s="2" t="inlineStr"><is><t>Xin chaøo caùc baïn</t></is></c>\
        <c r="C1" s="3" t="s"><v>1</v></c><c r="D1" s="0" t="s"><v>0</v></c><c r="E1" s="4"><v>0.25</v></c>\
        <c r="F1" t="s"><v>2</v></c><c r="G1" s="1" t="str"><f>"T"&amp;"æng"</f><v>Tæng</v></c></row>
        """, shared: ["<si><t>Sè v¨n b¶n</t></si>", "<si><t>biÓu thèng k£</t></si>", "<si><t>café</t></si>"])
        #expect(wb.notices.isEmpty, "nothing is reported before a sheet is read")
        let g = try wb.readGrid(wb.worksheets[0])
        #expect(Self.text(g, "A1") == .text("Số văn bản"))
        #expect(Self.text(g, "B1") == .text("Xin chào các bạn"))
        #expect(Self.text(g, "C1") == .text("BIỂU THỐNG KÊ"), "the .VnTimeH font shows capitals")
        #expect(Self.text(g, "D1") == .text("Sè v¨n b¶n"), "a Calibri cell is kept as stored (statistics are the library's job)")
        #expect(Self.text(g, "E1") == .number("0.25"), "a number in a legacy font stays a number")
        #expect(g.rows[0].cell(at: 4)?.style.isPercentFormat == true)
        #expect(Self.text(g, "F1") == .text("café"))
        #expect(Self.text(g, "G1") == .text("Tổng"), "a formula's cached text in a .VnTime cell")
        // Reported once per encoding, as information.
        #expect(wb.notices.count == 2)
        #expect(wb.notices.contains { $0.vi.contains("TCVN3") && $0.en.contains("converted") })
        #expect(wb.notices.contains { $0.vi.contains("VNI") })
    }

    @Test func richTextRunsTakeTheirOwnFont() throws {
        let wb = try Self.workbook("""
        <row r="1"><c r="A1" s="0" t="s"><v>0</v></c><c r="B1" s="1" t="s"><v>0</v></c>\
        <c r="C1" s="1" t="s"><v>1</v></c><c r="D1" t="s"><v>2</v></c></row>
        """, shared: [
            // A run without a font (the cell's), an Arial run, a .VnTime run.
            "<si><r><t xml:space=\"preserve\">Sè </t></r><r><rPr><rFont val=\"Arial\"/></rPr><t>café</t></r>"
                + "<r><rPr><b/><rFont val=\".VnTime\"/></rPr><t xml:space=\"preserve\"> v¨n b¶n</t></r></si>",
            // Every run names a font that is not a legacy one.
            "<si><r><rPr><rFont val=\"Arial\"/></rPr><t>Sè</t></r><r><rPr><rFont val=\"Times New Roman\"/></rPr><t> café</t></r></si>",
            // A VNI run in a cell without a style.
            "<si><r><rPr><rFont val=\"VNI-Helve\"/></rPr><t>Xin chaøo</t></r><r><t xml:space=\"preserve\"> (café)</t></r></si>",
        ])
        let g = try wb.readGrid(wb.worksheets[0])
        #expect(Self.text(g, "A1") == .text("Sè café văn bản"), "in a Calibri cell only the .VnTime run is converted")
        #expect(Self.text(g, "B1") == .text("Số café văn bản"), "in a .VnTime cell the run without a font is converted too")
        #expect(Self.text(g, "C1") == .text("Sè café"), "runs that name Arial/Times New Roman are kept in any cell")
        #expect(Self.text(g, "D1") == .text("Xin chào (café)"))
        #expect(wb.notices.count == 2)
    }

    @Test func aWorkbookWithoutLegacyFontsIsReadAsItIs() throws {
        var f = WorkbookFixture(sheetData: "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>")
        f.sharedStrings = "<sst xmlns=\"\(WorkbookFixture.ns)\"><si><t>Sè v¨n b¶n</t></si></sst>"
        let wb = try XLSXWorkbook(path: try f.write())
        let g = try wb.readGrid(wb.worksheets[0])
        #expect(Self.text(g, "A1") == .text("Sè v¨n b¶n"))
        #expect(wb.notices.isEmpty)
    }

    /// The seed appendix typed in `.VnTime`/`.VnTimeH` and in `VNI-Times` (openpyxl, from the
    /// TCVN3/VNI CSV files; scripts/fixtures/make-legacy-font-workbooks.sh): every text cell reads
    /// as the Unicode CSV's.
    @Test(arguments: ["tcvn3", "vni"])
    func theSeedInLegacyFontsReadsAsTheUnicodeCSV(encoding: String) throws {
        let legacy = TestPaths.packageRoot.appendingPathComponent("Tests/CLITests/Fixtures/legacy")
        let wb = try XLSXWorkbook(path: legacy.appendingPathComponent("ngan-son-q1-2023-\(encoding)-font.xlsx").path)
        let g = try wb.readGrid(wb.worksheets[0])
        let csv = try String(contentsOf: TestPaths.examples.appendingPathComponent("ngan-son-q1-2023.csv"), encoding: .utf8)
        // Every non-empty cell of the CSV, by its text.
        let expected = csvFields(csv).filter { !$0.isEmpty }
        let read = Set(g.rows.flatMap { $0.cells.map(\.value.plainText) })
        let missing = expected.filter { !read.contains($0) }
        #expect(expected.count > 300)
        #expect(missing.isEmpty, "\(missing.prefix(10))")
        #expect(wb.notices.count == 1)
    }
}

/// Rich text from openpyxl (inline strings with runs naming `rFont`): each run in its own font.
@Suite struct LegacyFontRunTests {
    @Test func openpyxlRichRunsTakeTheirOwnFonts() throws {
        let path = TestPaths.packageRoot.appendingPathComponent("Tests/CLITests/Fixtures/legacy/legacy-font-runs.xlsx").path
        let wb = try XLSXWorkbook(path: path)
        let g = try wb.readGrid(wb.worksheets[0])
        #expect(LegacyFontTests.text(g, "A1") == .text("Sè café văn bản"), "only the .VnTime run of a Calibri cell")
        #expect(LegacyFontTests.text(g, "A2") == .text("Số văn bản"))
        #expect(LegacyFontTests.text(g, "A3") == .text("Xin chào café"))
        #expect(LegacyFontTests.text(g, "A4") == .text("Sè v¨n b¶n"), "Arial text is kept as stored")
        #expect(wb.notices.count == 2)
    }
}
