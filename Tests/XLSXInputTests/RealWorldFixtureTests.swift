import Foundation
import SheetGrid
import Support
import Testing
import TestSupport
@testable import XLSXInput

/// One test per real-world file behind a decision of docs/xlsx-reader.md ("Decisions where readers
/// disagree"). The files are committed (Fixtures/real-world, origin and licence in its README);
/// expectations are what the file's XML holds, read as the decision says.
@Suite("real-world XLSX fixtures")
struct RealWorldFixtureTests {
    static func path(_ name: String) -> String {
        TestPaths.packageRoot.appendingPathComponent("Tests/XLSXInputTests/Fixtures/real-world/\(name)").path
    }

    static func firstSheet(_ name: String) throws -> (XLSXWorkbook, Grid) {
        let wb = try XLSXWorkbook(path: path(name))
        return (wb, try wb.readGrid(wb.firstSheet))
    }

    static func value(_ g: Grid, _ ref: String) -> CellValue {
        let (r, c) = CellReference.parse(ref)!
        return g.rows.first(where: { $0.index == r })?.value(at: c) ?? .empty
    }

    static func cell(_ g: Grid, _ ref: String) -> Cell? {
        let (r, c) = CellReference.parse(ref)!
        return g.rows.first(where: { $0.index == r })?.cell(at: c)
    }

    @Test("Excel's _x000D_ escape in a shared string is decoded to a carriage return")
    func x000DEscape() throws {
        let (_, g) = try Self.firstSheet("x000D-escape-excel.xlsx")
        // sharedStrings.xml: <t>ABC_x000D_⏎DEF</t>
        #expect(Self.value(g, "A1") == .text("ABC\r\nDEF"))
    }

    @Test("white space around and inside inline strings is kept exactly")
    func whitespaceKept() throws {
        let (_, g) = try Self.firstSheet("whitespace-inline-strings.xlsx")
        #expect(Self.value(g, "A1") == .text("  trimmed value  "))
        #expect(Self.value(g, "B1") == .text("\t\n value with tabs \n"))
        #expect(Self.value(g, "D1") == .text("clean text"))
        #expect(Self.value(g, "A2") == .text("  line1\nline2  "))
        #expect(Self.value(g, "B2") == .text("  line1\nline2  "))
        #expect(Self.value(g, "A3") == .text("日期 时间"))
        // A cell of white space only is a value too (the grid keeps it; the locator decides).
        #expect(Self.value(g, "C1") == .text(" \t\n"))
    }

    @Test("a literal CR LF inside <t> or <v> is read as LF; _x000D_ before it is still a CR")
    func literalCRLF() throws {
        let (_, g) = try Self.firstSheet("literal-crlf-excel-mac.xlsx")
        #expect(Self.value(g, "A1") == .text("Normal"))
        #expect(Self.value(g, "B1") == .text("abc\ndef"))           // <t>abc⏎␍def</t>: CR LF normalised
        #expect(Self.value(g, "B2") == .text("abc\r\ndef"))         // <v>abc_x000D_␍⏎def</v> (t="str")
        let b2 = Self.cell(g, "B2")
        #expect(b2?.formula?.contains("CHAR(13)") == true)
    }

    @Test("merged ranges: the top-left cell holds the value, the ranges are listed")
    func mergedRanges() throws {
        let (_, g) = try Self.firstSheet("merged-ranges-excel.xlsx")
        #expect(Self.value(g, "A1") == .text("A1"))
        #expect(Self.value(g, "A2") == .empty)
        #expect(Self.value(g, "C1") == .text("C1"))
        #expect(Self.value(g, "D1") == .empty)
        #expect(Self.value(g, "C3") == .text("C3"))
        #expect(Set(g.merges.map(\.a1)) == ["H1:H2", "A1:A2", "B1:B2", "C1:D2", "C3:D3", "C4:D4", "E1:E2", "F1:F2", "G1:G2"])
    }

    @Test("LibreOffice's inlineStr with the text in <v> keeps the text")
    func inlineStrInV() throws {
        let (_, g) = try Self.firstSheet("inlinestr-in-v-libreoffice.xlsx")
        #expect(Self.value(g, "A1") == .number("10"))
        #expect(Self.value(g, "A2") == .text("POI rocks!"))
        #expect(Self.value(g, "A3") == .bool(true))
    }

    @Test("error cells are kept as errors, with their formulas")
    func errorCells() throws {
        let (_, g) = try Self.firstSheet("error-cells-excel2007.xlsx")
        let codes = (1...7).map { Self.value(g, "A\($0)") }
        #expect(codes == ["#DIV/0!", "#NAME?", "#VALUE!", "#NULL!", "#REF!", "#NUM!", "#N/A"].map(CellValue.error))
        #expect(Self.cell(g, "A1")?.formula == "5/0")
    }

    @Test("t=\"d\" ISO dates are kept as written")
    func isoDateCells() throws {
        let (_, g) = try Self.firstSheet("t-d-iso-dates-openpyxl.xlsx")
        #expect(Self.value(g, "A1") == .date("2021-01-01"))
        #expect(Self.value(g, "A2") == .date("2021-01-01T10:10:10"))
        #expect(Self.value(g, "A3") == .date("10:10:10"))
        #expect(Self.value(g, "A4") == .text("This workbook contains datetime in ISO 8601"))
    }

    @Test("the 1904 date system; an elapsed [hh]:mm:ss duration stays a number")
    func date1904AndElapsed() throws {
        let (wb, g) = try Self.firstSheet("date1904-libreoffice.xlsx")
        #expect(wb.date1904)
        #expect(Self.value(g, "A1") == .date("2021-01-01"))
        #expect(Self.value(g, "A2") == .date("2021-01-02"))
        guard case .number(let n) = Self.value(g, "A3") else {
            Issue.record("A3 (format [hh]:mm:ss) should stay a number, got \(Self.value(g, "A3"))")
            return
        }
        #expect(n.hasPrefix("10.63206"))
        #expect(Self.value(g, "B3") == .number("17"))
    }

    @Test("a package whose only sheet has an empty <sheetData/> opens as an empty sheet")
    func emptySheetData() throws {
        let (wb, g) = try Self.firstSheet("empty-sheetdata-excel-mac.xlsx")
        #expect(wb.sheets.count >= 1)
        #expect(g.rows.allSatisfy { $0.isBlank })
    }

    @Test("a workbook.xml.rels that is not XML is refused, naming the part")
    func garbageRelationships() throws {
        do {
            _ = try XLSXWorkbook(path: Self.path("garbage-workbook-rels.xlsx"))
            Issue.record("the file was opened")
        } catch let e as BieuMauError {
            #expect(e.status == .dataError)
            #expect(e.message.vi.contains("xl/_rels/workbook.xml.rels"))
        }
    }
}
