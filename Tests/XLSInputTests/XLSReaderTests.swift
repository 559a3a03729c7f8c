import Foundation
import SheetGrid
import Support
import Testing
import FreeXLWrapper
import TestSupport
import XLSInput

/// Fixtures built by scripts/fixtures/make-sheet-fixtures.sh, and files from public test suites
/// (see Fixtures/README.md for each one's origin and licence).
enum XLSFixtures {
    static let folder = TestPaths.packageRoot.appendingPathComponent("Tests/XLSInputTests/Fixtures")
    static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
}

@Suite("XLS reader: cells, formats, sheets (LibreOffice-written fixture)")
struct XLSCellTests {
    @Test func sheetsInOrderWithTheHiddenOneMarked() throws {
        let doc = try XLSDocument(path: XLSFixtures.path("features.xls"))
        #expect(doc.sheetEntries == [SheetEntry(name: "Số liệu"), SheetEntry(name: "Ẩn", isHidden: true),
                                     SheetEntry(name: "Trang 3")])
        let third = try doc.grid(ofSheet: 2)
        #expect(value(third, "B2") == .text("ô B2"))
        #expect(value(third, "C5") == .number("42"))
        #expect(value(try doc.grid(ofSheet: 1), "A1") == .text("trang tính ẩn"))
    }

    @Test func valuesFormatsFormulaResultsAndBooleans() throws {
        let g = try XLSDocument(path: XLSFixtures.path("features.xls")).grid(ofSheet: 0)
        #expect(value(g, "A1") == .text("BIỂU THỐNG KÊ SỐ LIỆU"))
        #expect(cell(g, "A1")?.style.bold == true)
        #expect(cell(g, "A3")?.style.bold == false)
        #expect(value(g, "C3") == .number("13"))
        #expect(value(g, "C4") == .number("136284"))
        #expect(cell(g, "C4")?.style.numberFormat == "#,##0")
        #expect(value(g, "C5") == .number("0.25"))
        #expect(cell(g, "C5")?.style.isPercentFormat == true)
        #expect(cell(g, "C5")?.style.formatDecimals == 0)
        #expect(value(g, "C6") == .number("0.125"))
        #expect(cell(g, "C6")?.style.formatDecimals == 2)
        // The double 2.2999999999999998 in the file is read as the shortest text that is that double.
        #expect(value(g, "C7") == .number("2.3"))
        #expect(value(g, "C8") == .date("2023-03-14"))
        #expect(value(g, "C9") == .date("2023-03-14T08:30:00"))
        // Formula results (the FORMULA records' cached values).
        #expect(value(g, "C10") == .bool(true))
        #expect(value(g, "C11") == .number("136297"))
        #expect(cell(g, "A11")?.style.italic == true)
    }

    @Test func mergedAreasAndHiddenRows() throws {
        let g = try XLSDocument(path: XLSFixtures.path("features.xls")).grid(ofSheet: 0)
        #expect(Set(g.merges.map(\.a1)) == ["A1:C1", "A13:A14"])
        #expect(g.rows.first(where: { $0.index == 11 })?.hidden == true)
        #expect(g.rows.first(where: { $0.index == 10 })?.hidden == false)
    }
}

@Suite("XLS reader: damaged, encrypted and hostile files")
struct XLSRefusalTests {
    @Test func brokenRecordsAreRefusedWithAMessage() throws {
        let e = try #require(refusal { _ = try XLSDocument(path: XLSFixtures.path("broken-records.xls")) })
        #expect(e.status == .dataError)
        #expect(e.message.vi.contains("bị hỏng"))
        #expect(e.message.vi.contains(".xlsx"))
        #expect(e.location?.file == XLSFixtures.path("broken-records.xls"))
    }

    /// A shared string whose length runs past the table crashed FreeXL 1.0.6 (found by the fuzzer
    /// when FreeXL read the files): our reader refuses it with a message.
    @Test func sharedStringTableThatLiesIsRefused() throws {
        let e = try #require(refusal { _ = try XLSDocument(path: XLSFixtures.path("freexl-crash-sst.xls")) })
        #expect(e.status == .dataError)
        #expect(e.message.en.contains("shared-string table"))
    }

    @Test func truncatedFileIsRefused() throws {
        let e = try #require(refusal { _ = try XLSDocument(path: XLSFixtures.path("truncated.xls")) })
        #expect(e.status == .dataError)
    }

    @Test func notACompoundFileAndMissingFile() throws {
        let dir = TestPaths.temporaryFolder("xls-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = dir.appendingPathComponent("a.xls").path
        try Data("STT,Chỉ tiêu\n".utf8).write(to: URL(fileURLWithPath: text))
        let e = try #require(refusal { _ = try XLSDocument(path: text) })
        #expect(e.status == .dataError)
        #expect(e.message.en.contains("not an Excel 97–2003 workbook"))
        let missing = try #require(refusal { _ = try XLSDocument(path: dir.appendingPathComponent("none.xls").path) })
        #expect(missing.status == .noInput)
    }

    /// Crafted: two BOUNDSHEET records (features.xls, at file offsets 2868 and 2894) made to point
    /// at the same sheet. Sheets that overlap could make reading every sheet re-read the stream
    /// once per sheet; each sheet's records end where the next begins, and two sheets at one
    /// place are refused.
    @Test func twoSheetsAtOnePlaceAreRefused() throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: XLSFixtures.path("features.xls"))))
        #expect(bytes[2868] == 0x85 && bytes[2894] == 0x85, "the BOUNDSHEET records of the fixture")
        for k in 0..<4 { bytes[2894 + 4 + k] = bytes[2868 + 4 + k] }
        let dir = TestPaths.temporaryFolder("xls-overlap")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("overlap.xls").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let e = try #require(refusal { _ = try XLSDocument(path: path) })
        #expect(e.status == .dataError)
        #expect(e.message.en.contains("two sheets start at the same place"))
    }

    @Test func declaredSizeBeyondTheLimitIsRefused() throws {
        var limits = XLSLimits()
        limits.maxDeclaredCells = 10
        let e = try #require(refusal {
            let doc = try XLSDocument(path: XLSFixtures.path("features.xls"), limits: limits)
            _ = try doc.grid(ofSheet: 0)
        })
        #expect(e.status == .dataError)
        #expect(e.message.en.contains("declare"))
    }

    /// seed.xls holds 265 shared strings and 424 cells with a value (xlrd counts the same).
    @Test func moreCellsOrStringsThanTheLimitAreRefused() throws {
        var limits = XLSLimits()
        limits.maxCellsPerSheet = 300
        let e = try #require(refusal {
            let doc = try XLSDocument(path: XLSFixtures.path("seed.xls"), limits: limits)
            _ = try doc.grid(ofSheet: 0)
        })
        #expect(e.status == .dataError)
        #expect(e.message.en.contains("safety limit"))
        #expect(e.message.en.contains("more than 300 cells"))
        #expect(e.location?.sheet == "seed")
        limits.maxCellsPerSheet = 20
        let strings = try #require(refusal { _ = try XLSDocument(path: XLSFixtures.path("seed.xls"), limits: limits) })
        #expect(strings.message.en.contains("safety limit"))
        #expect(strings.message.en.contains("265 strings"))
    }
}

@Suite("XLS reader: files from public test suites (xlrd, Apache POI)")
struct XLSPublicFileTests {
    @Test(arguments: ["poi-password.xls", "poi-xor-encryption-abc.xls"])
    func encryptedWorkbooksAreRefusedWithWhatToDo(file: String) throws {
        let e = try #require(refusal { _ = try XLSDocument(path: XLSFixtures.path(file)) })
        #expect(e.status == .dataError)
        #expect(e.message.vi.contains("mật khẩu"))
        #expect(e.message.en.contains("remove the password"))
    }

    @Test func hiddenSheetFromPOI() throws {
        let doc = try XLSDocument(path: XLSFixtures.path("poi-TwoSheetsOneHidden.xls"))
        #expect(doc.sheetEntries.map(\.isHidden) == [true, false])
    }

    @Test func formulaResultsOfEveryKind() throws {
        let g = try XLSDocument(path: XLSFixtures.path("xlrd-formula_test_sjmachin.xls")).grid(ofSheet: 0)
        #expect(value(g, "B2") == .text("МОСКВА Москва"))
        #expect(value(g, "B3") == .number("0.14285714285714285"))
        #expect(value(g, "B4") == .text("ABCDEF"))
        #expect(value(g, "B5") == .empty)
        #expect(value(g, "B6") == .bool(true))
        #expect(value(g, "B7") == .error("#DIV/0!"))
        #expect(value(g, "B8") == .text("МОСКВА Москва"))
    }

    /// FreeXL 1.0.6 cannot parse xlrd's Formate.xls (it answers OK with no workbook); our reader
    /// reads it (and agrees with xlrd, below): German sheet names, dates and times, merged cells.
    @Test func aWorkbookFreeXLCannotParseIsRead() throws {
        let doc = try XLSDocument(path: XLSFixtures.path("xlrd-Formate.xls"))
        #expect(doc.sheetEntries.map(\.name) == ["Blätt1", "ÖÄÜ", "Blätt3", "Formate"])
        let g = try doc.grid(ofSheet: 0)
        #expect(value(g, "A2") == .text("Äcker"))
        // 2741 in a date format: xlrd reads 1907-07-03 too.
        #expect(value(g, "B1") == .date("1907-07-03"))
    }
}

/// xlrd, a reader written by others, must see the same values, sheets, visibility and merges.
@Suite("XLS reader agrees with xlrd")
struct XLSReferenceTests {
    static let dumpScript = #"""
import sys, json, datetime, xlrd
b = xlrd.open_workbook(sys.argv[1], formatting_info=True)
out = []
for s in b.sheets():
    cells = {}
    for r in range(s.nrows):
        for c in range(s.ncols):
            cell = s.cell(r, c)
            t, v = cell.ctype, cell.value
            if t in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK): continue
            if t == xlrd.XL_CELL_TEXT and v == "": continue  # a formula's empty text: an empty cell for us
            if t == xlrd.XL_CELL_DATE:
                d = xlrd.xldate_as_datetime(v, b.datemode).isoformat()
                v = d[:-9] if d.endswith("T00:00:00") else d
                # A serial below 1 in the 1900 system is a time of day (xlrd dates it 1899-12-31).
                if b.datemode == 0 and v.startswith("1899-12-31T"): v = v[11:]
            elif t == xlrd.XL_CELL_BOOLEAN: v = "TRUE" if v else "FALSE"
            elif t == xlrd.XL_CELL_ERROR: v = xlrd.error_text_from_code[v]
            elif t == xlrd.XL_CELL_NUMBER: v = repr(v)
            cells["%d,%d" % (r, c)] = v
    out.append({"name": s.name, "hidden": s.visibility != 0, "cells": cells,
                "merges": sorted("%d,%d,%d,%d" % (a, b_ - 1, c, d - 1) for a, b_, c, d in s.merged_cells)})
print(json.dumps(out, ensure_ascii=False))
"""#

    @Test(.enabled(if: Tools.python("xlrd"), "needs python3 with xlrd"),
          arguments: ["features.xls", "seed.xls", "poi-TwoSheetsOneHidden.xls", "poi-DateFormats.xls",
                      "poi-1904DateWindowing.xls", "poi-SimpleMultiCell.xls", "xlrd-xf_class.xls", "xlrd-ragged.xls",
                      "xlrd-formula_test_sjmachin.xls", "xlrd-profiles.xls", "xlrd-Formate.xls"])
    func sameValuesAsXlrd(fixture: String) throws {
        let path = XLSFixtures.path(fixture)
        let r = try Run.python(Self.dumpScript, [path])
        #expect(r.status == 0, "\(r.stderr)")
        let reference = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        let doc = try XLSDocument(path: path)
        #expect(reference.map { $0["name"] as? String ?? "" } == doc.sheetEntries.map(\.name))
        #expect(reference.map { $0["hidden"] as? Bool ?? false } == doc.sheetEntries.map(\.isHidden))
        for (i, sheet) in reference.enumerated() {
            let g = try doc.grid(ofSheet: i)
            var ours: [String: String] = [:]
            for row in g.rows {
                for c in row.cells where c.value != .empty { ours["\(row.index),\(c.column)"] = c.value.plainText }
            }
            let theirs = sheet["cells"] as? [String: String] ?? [:]
            #expect(Set(ours.keys) == Set(theirs.keys), "\(fixture) sheet \(i)")
            for (k, v) in theirs {
                guard let mine = ours[k] else { continue }
                if let a = Decimal(string: v), let b = Decimal(string: mine), v.first?.isNumber == true || v.first == "-" {
                    #expect(a == b, "\(fixture) \(k): xlrd \(v), ours \(mine)")
                } else {
                    #expect(mine == v, "\(fixture) \(k): xlrd \(v), ours \(mine)")
                }
            }
            let merges = Set(g.merges.map { "\($0.firstRow),\($0.lastRow),\($0.firstColumn),\($0.lastColumn)" })
            #expect(merges == Set(sheet["merges"] as? [String] ?? []), "\(fixture) sheet \(i)")
        }
    }
}

/// FreeXL (C; FreeXLWrapper), a second reader written by others and kept in the tests only: every
/// value it reads from a fixture, ours reads the same. (FreeXL leaves out formula results and
/// boolean/error cells, which xlrd checks above; it cannot parse xlrd-Formate.xls.)
@Suite("XLS reader agrees with FreeXL")
struct XLSFreeXLAgreementTests {
    static func freeXLValue(_ v: FreeXLCell) -> CellValue {
        switch v {
        case .empty: return .empty
        case .integer(let i): return .number(String(i))
        case .double(let d):
            if d == d.rounded(), abs(d) < 1e15 { return .number(String(Int64(d))) }
            return .number("\(d)")
        case .text(let s): return s.isEmpty ? .empty : .text(TextNormalization.nfc(s))
        case .date(let s), .time(let s): return .date(s)
        case .dateTime(let s): return .date(s.replacingOccurrences(of: " ", with: "T"))
        }
    }

    @Test(arguments: ["features.xls", "seed.xls", "poi-TwoSheetsOneHidden.xls", "poi-DateFormats.xls",
                      "poi-1904DateWindowing.xls", "poi-SimpleMultiCell.xls", "xlrd-xf_class.xls", "xlrd-ragged.xls",
                      "xlrd-formula_test_sjmachin.xls", "xlrd-profiles.xls"])
    func sameValuesAsFreeXL(fixture: String) throws {
        let path = XLSFixtures.path(fixture)
        let freexl = try FreeXLWorkbook(path: path)
        let doc = try XLSDocument(path: path)
        #expect(freexl.sheetCount == doc.sheetEntries.count)
        var compared = 0
        for i in 0..<min(freexl.sheetCount, doc.sheetEntries.count) {
            #expect(TextNormalization.nfc(try freexl.sheetName(i)) == doc.sheetEntries[i].name)
            let (rows, columns) = try freexl.select(sheet: i)
            let g = try doc.grid(ofSheet: i)
            for r in 0..<rows {
                for c in 0..<columns {
                    let theirs = Self.freeXLValue(try freexl.cell(row: r, column: c))
                    guard theirs != .empty else { continue }
                    let ours = g.rows.first(where: { $0.index == r })?.value(at: c) ?? .empty
                    compared += 1
                    if case .number(let a) = theirs, case .number(let b) = ours,
                       let x = Decimal(string: a), let y = Decimal(string: b) {
                        #expect(x == y, "\(fixture) sheet \(i) \(CellReference.a1(row: r, column: c)): FreeXL \(a), ours \(b)")
                    } else {
                        #expect(ours == theirs, "\(fixture) sheet \(i) \(CellReference.a1(row: r, column: c))")
                    }
                }
            }
        }
        #expect(compared > 0)
        print("FreeXL agreement: \(fixture): \(compared) cells compared")
    }
}

/// The seed typed in `.VnTime`/`.VnTimeH` and `VNI-Times` (LibreOffice's .xls from the openpyxl
/// workbooks; scripts/fixtures/make-legacy-font-workbooks.sh): FONT → XF → cell says the encoding.
@Suite("XLS reader: text in legacy Vietnamese fonts")
struct XLSLegacyFontTests {
    @Test(arguments: ["tcvn3", "vni"])
    func theSeedInLegacyFontsReadsAsTheUnicodeCSV(encoding: String) throws {
        let legacy = TestPaths.packageRoot.appendingPathComponent("Tests/CLITests/Fixtures/legacy")
        let doc = try XLSDocument(path: legacy.appendingPathComponent("ngan-son-q1-2023-\(encoding)-font.xls").path)
        #expect(doc.notices.isEmpty)
        let g = try doc.grid(ofSheet: 0)
        let csv = try String(contentsOf: TestPaths.examples.appendingPathComponent("ngan-son-q1-2023.csv"), encoding: .utf8)
        let expected = csvFields(csv).filter { !$0.isEmpty }
        let read = Set(g.rows.flatMap { $0.cells.map(\.value.plainText) })
        let missing = expected.filter { !read.contains($0) }
        #expect(expected.count > 300)
        #expect(missing.isEmpty, "\(missing.prefix(10))")
        #expect(doc.notices.count == 1)
        #expect(doc.notices.first?.vi.contains(encoding == "tcvn3" ? "TCVN3" : "VNI") == true)
    }
}

/// The same rich text saved as .xls by LibreOffice: shared strings with runs (FONT per run).
@Suite("XLS reader: rich-text runs in legacy fonts")
struct XLSLegacyFontRunTests {
    @Test func runsTakeTheirOwnFonts() throws {
        let path = TestPaths.packageRoot.appendingPathComponent("Tests/CLITests/Fixtures/legacy/legacy-font-runs.xls").path
        let doc = try XLSDocument(path: path)
        let g = try doc.grid(ofSheet: 0)
        #expect(value(g, "A1") == .text("Sè café văn bản"), "only the .VnTime run of a Calibri cell")
        #expect(value(g, "A2") == .text("Số văn bản"))
        #expect(value(g, "A3") == .text("Xin chào café"))
        #expect(value(g, "A4") == .text("Sè v¨n b¶n"), "Arial text is kept as stored")
        #expect(doc.notices.count == 2)
    }
}

/// No C code reads an .xls any more, so damaged files can be tried in the test process itself
/// (under FreeXL this test could not exist: a crafted file crashed the process). Each mutant is
/// either read or refused with a located BieuMauError, in bounded time.
@Suite("XLS reader: mutated files are read or refused, never crash")
struct XLSMutationTests {
    @Test(arguments: ["features.xls", "seed.xls", "xlrd-formula_test_sjmachin.xls", "xlrd-Formate.xls"])
    func bytesFlippedAndFilesCut(fixture: String) throws {
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: XLSFixtures.path(fixture))))
        let dir = TestPaths.temporaryFolder("xls-mutants")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("mutant.xls").path
        var rng = SplitMix64(state: UInt64(original.count))
        var read = 0, refused = 0
        for round in 0..<400 {
            var bytes = original
            if round % 10 == 9 {
                bytes = Array(bytes.prefix(Int(rng.next() % UInt64(bytes.count))))
            } else {
                for _ in 0..<(1 + Int(rng.next() % 4)) {
                    // Mostly past the 512-byte header, where the records lie.
                    let at = Int(rng.next() % UInt64(bytes.count))
                    bytes[at] = round % 3 == 0 ? 0xFF : UInt8(truncatingIfNeeded: rng.next())
                }
            }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                let doc = try XLSDocument(path: path)
                for i in doc.sheetEntries.indices { _ = try doc.grid(ofSheet: i) }
                read += 1
            } catch let e as BieuMauError {
                #expect(e.status == .dataError, "\(fixture) round \(round): \(e.message.en)")
                #expect(e.location?.file == path)
                refused += 1
            } catch {
                Issue.record("\(fixture) round \(round): not a BieuMauError: \(error)")
            }
        }
        #expect(read + refused == 400)
        #expect(refused > 0)
    }
}
