import Foundation
import ODSInput
import SheetGrid
import Support
import Testing
import TestSupport

/// Fixtures built by scripts/fixtures/make-sheet-fixtures.sh (see Fixtures/README.md).
enum ODSFixtures {
    static let folder = TestPaths.packageRoot.appendingPathComponent("Tests/ODSInputTests/Fixtures")
    static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
}

@Suite("ODS reader: cells, styles, sheets (LibreOffice-written fixture)")
struct ODSCellTests {
    @Test func sheetsInOrderWithTheHiddenOneMarked() throws {
        let doc = try ODSDocument(path: ODSFixtures.path("features.ods"))
        #expect(doc.sheetEntries == [SheetEntry(name: "Số liệu"), SheetEntry(name: "Ẩn", isHidden: true),
                                     SheetEntry(name: "Trang 3")])
        #expect(doc.firstVisibleSheet == 0)
        let third = try doc.grid(ofSheet: 2)
        #expect(value(third, "B2") == .text("ô B2"))
        #expect(value(third, "C5") == .number("42"))
        #expect(third.rows.map(\.index) == [1, 4])
        let hidden = try doc.grid(ofSheet: 1)
        #expect(value(hidden, "A1") == .text("trang tính ẩn"))
    }

    @Test func typedValuesKeepTheStoredNumberAndTheirFormats() throws {
        let g = try ODSDocument(path: ODSFixtures.path("features.ods")).grid(ofSheet: 0)
        #expect(value(g, "A1") == .text("BIỂU THỐNG KÊ SỐ LIỆU"))
        #expect(cell(g, "A1")?.style.bold == true)
        #expect(value(g, "C3") == .number("13"))
        #expect(value(g, "C4") == .number("136284"))
        #expect(cell(g, "C4")?.style.formatDecimals == 0)
        #expect(cell(g, "C4")?.style.isPercentFormat == false)
        #expect(value(g, "C5") == .number("0.25"))
        #expect(cell(g, "C5")?.style.isPercentFormat == true)
        #expect(cell(g, "C5")?.style.formatDecimals == 0)
        #expect(value(g, "C6") == .number("0.125"))
        #expect(cell(g, "C6")?.style.isPercentFormat == true)
        #expect(cell(g, "C6")?.style.formatDecimals == 2)
        #expect(value(g, "C7") == .number("2.3"))
        #expect(cell(g, "C7")?.style.formatDecimals == 1)
        #expect(value(g, "C8") == .date("2023-03-14"))
        #expect(value(g, "C9") == .date("2023-03-14T08:30:00"))
        // LibreOffice turns an .xlsx boolean into the formula =TRUE() with the number 1 (text.ods has a
        // real office:boolean-value cell).
        #expect(value(g, "C10") == .number("1"))
        #expect(cell(g, "C10")?.formula == "TRUE()")
        #expect(value(g, "C11") == .number("136297"))
        #expect(cell(g, "C11")?.formula == "[.C3]+[.C4]")
        #expect(cell(g, "A11")?.style.italic == true)
        #expect(cell(g, "A3")?.style.bold == false)
    }

    @Test func mergedAreasAndHiddenRows() throws {
        let g = try ODSDocument(path: ODSFixtures.path("features.ods")).grid(ofSheet: 0)
        #expect(Set(g.merges.map(\.a1)) == ["A1:C1", "A13:A14"])
        #expect(g.rows.first(where: { $0.index == 11 })?.hidden == true)
        #expect(g.rows.first(where: { $0.index == 10 })?.hidden == false)
        #expect(g.source == .workbook(file: ODSFixtures.path("features.ods"), sheet: "Số liệu"))
    }

    @Test func coveredCellsCountTheirPlaceButNotTheirText() throws {
        let g = try ODSDocument(path: ODSFixtures.path("covered.ods")).grid(ofSheet: 0)
        #expect(Set(g.merges.map(\.a1)) == ["A1:C1", "A2:A3"])
        #expect(value(g, "A1") == .text("Tiêu đề"))
        #expect(value(g, "D1") == .text("D1"))
        #expect(value(g, "B2") == .text("B2"))
        #expect(value(g, "A3") == .empty)
        #expect(value(g, "B3") == .text("B3"))
    }

    @Test func paragraphsSpacesCommentsAndOtherValueTypes() throws {
        let g = try ODSDocument(path: ODSFixtures.path("text.ods")).grid(ofSheet: 0)
        // text:s c=3 → three spaces; a tab; a line break; a run of spaces in text collapses to one
        // (ODF white-space rule); a second paragraph on a new line.
        #expect(value(g, "A1") == .text("a   b\tc\nd e\nđoạn hai"))
        // office:value is the number; the displayed "136.284" and the comment are not.
        #expect(value(g, "B1") == .number("136284"))
        #expect(value(g, "C1") == .text("in đậm"))
        #expect(value(g, "A2") == .date("12:30:00"))
        #expect(value(g, "B2") == .number("1500000"))
        #expect(value(g, "C2") == .error("#DIV/0!"))
        #expect(cell(g, "C2")?.formula == "1/0")
        #expect(value(g, "D2") == .bool(false))
        #expect(value(g, "E2") == .date("2023-03-14"))
        #expect(value(g, "F2") == .number("0.001"))
        #expect(cell(g, "F2")?.style.isPercentFormat == true)
    }
}

@Suite("ODS reader: repeated rows and columns, hostile files")
struct ODSBoundsTests {
    @Test func aMillionRepeatedEmptyRowsCostNothing() throws {
        let clock = ContinuousClock()
        var g: Grid?
        let elapsed = try clock.measure {
            g = try ODSDocument(path: ODSFixtures.path("repeated.ods")).grid(ofSheet: 0)
        }
        let grid = try #require(g)
        #expect(grid.rows.map(\.index) == [0, 1_000_001, 1_000_002, 1_000_003, 1_000_004])
        #expect(value(grid, "A1") == .text("đầu"))
        let row = try #require(grid.rows.first(where: { $0.index == 1_000_001 }))
        #expect(row.cells.map(\.column) == [0, 1, 2, 16_003])
        #expect(row.cells.prefix(3).allSatisfy { $0.value == .number("5") })
        #expect(row.cells.last?.value == .text("cuối dòng"))
        #expect(grid.rows.suffix(3).allSatisfy { $0.cells.map(\.value) == [.text("x")] })
        #expect(elapsed < .seconds(120), "a hang guard; the sparse row indexes above show the repeats cost nothing (speed: Benchmarks/)")
    }

    @Test func aBillionRepeatedEmptyRowsAfterTheDataAreIgnored() throws {
        let g = try ODSDocument(path: ODSFixtures.path("billion-empty.ods")).grid(ofSheet: 0)
        #expect(g.rows.count == 1)
        #expect(value(g, "A1") == .text("đầu"))
    }

    @Test func aBillionRepeatedRowsWithAValueAreRefusedQuickly() throws {
        let clock = ContinuousClock()
        var error: BieuMauError?
        let elapsed = clock.measure {
            error = refusal { _ = try ODSDocument(path: ODSFixtures.path("billion-rows.ods")).grid(ofSheet: 0) }
        }
        let e = try #require(error)
        #expect(e.status == .dataError)
        #expect(e.message.vi.contains("1048576"))
        #expect(e.location?.sheet == "Tỷ dòng")
        #expect(elapsed < .seconds(120), "a hang guard, not a speed target")
    }

    @Test func aSmallerCellLimitCountsRepeatedCells() throws {
        var limits = ODSLimits()
        limits.maxCellsPerSheet = 4
        let e = try #require(refusal { _ = try ODSDocument(path: ODSFixtures.path("repeated.ods"), limits: limits).grid(ofSheet: 0) })
        #expect(e.status == .dataError)
        #expect(e.message.en.contains("more than 4 cells"))
    }

    @Test func zipBombIsRefusedBeforeInflating() throws {
        let clock = ContinuousClock()
        var error: BieuMauError?
        let elapsed = clock.measure {
            error = refusal { _ = try ODSDocument(path: ODSFixtures.path("zip-bomb.ods")) }
        }
        let e = try #require(error)
        #expect(e.status == .dataError)
        #expect(e.message.vi.contains("bom zip"))
        #expect(elapsed < .seconds(120), "a hang guard, not a speed target")
    }

    @Test func passwordProtectedFileIsRefusedWithWhatToDo() throws {
        let e = try #require(refusal { _ = try ODSDocument(path: ODSFixtures.path("encrypted.ods")) })
        #expect(e.status == .dataError)
        #expect(e.message.vi.contains("mật khẩu"))
        #expect(e.location?.file == ODSFixtures.path("encrypted.ods"))
    }

    @Test func notAnODSAndMissingFiles() throws {
        let dir = TestPaths.temporaryFolder("ods-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = dir.appendingPathComponent("a.ods").path
        try Data("STT,Chỉ tiêu\n1,a\n".utf8).write(to: URL(fileURLWithPath: text))
        let notZip = try #require(refusal { _ = try ODSDocument(path: text) })
        #expect(notZip.status == .dataError)
        #expect(notZip.message.en.contains("not an .ods"))
        let missing = try #require(refusal { _ = try ODSDocument(path: dir.appendingPathComponent("none.ods").path) })
        #expect(missing.status == .noInput)
        // Cut short: the zip directory is gone.
        let whole = try Data(contentsOf: URL(fileURLWithPath: ODSFixtures.path("covered.ods")))
        let cut = dir.appendingPathComponent("cut.ods").path
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: cut))
        let truncated = try #require(refusal { _ = try ODSDocument(path: cut) })
        #expect(truncated.status == .dataError)
    }

    @Test func malformedContentIsRefusedNamingThePart() throws {
        let dir = TestPaths.temporaryFolder("ods-malformed")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("bad.ods").path
        let made = try Run.python("""
        import sys, zipfile
        with zipfile.ZipFile(sys.argv[1], 'w') as z:
            z.writestr('mimetype', 'application/vnd.oasis.opendocument.spreadsheet')
            z.writestr('content.xml', '<office:document-content><office:body><office:spreadsheet><table:table table:name="A"><table:table-row><table:table-cell>')
        """, [path])
        #expect(made.status == 0, "\(made.stderr)")
        let e = try #require(refusal { _ = try ODSDocument(path: path) })
        #expect(e.status == .dataError)
        #expect(e.message.vi.contains("content.xml"))
    }
}

/// pandas with odfpy, a reader written by others, must see the same values.
@Suite("ODS reader agrees with pandas (odf engine)")
struct ODSReferenceTests {
    static let dumpScript = #"""
import sys, json, datetime, pandas as pd
sheets = pd.read_excel(sys.argv[1], engine="odf", sheet_name=None, header=None)
out = {}
for name, df in sheets.items():
    cells = {}
    for r in range(df.shape[0]):
        for c in range(df.shape[1]):
            v = df.iat[r, c]
            if v is None or (isinstance(v, float) and v != v) or v is pd.NaT:
                continue
            if isinstance(v, (pd.Timestamp, datetime.datetime)):
                v = v.isoformat()
                if v.endswith("T00:00:00"): v = v[:-9]
            elif isinstance(v, bool):
                v = "TRUE" if v else "FALSE"
            elif isinstance(v, float) and v.is_integer():
                v = str(int(v))
            else:
                v = str(v)
            cells["%d,%d" % (r, c)] = v
    out[name] = cells
print(json.dumps(out, ensure_ascii=False))
"""#

    @Test(.enabled(if: Tools.python("pandas", "odf"), "needs python3 with pandas and odfpy"),
          arguments: ["features.ods", "seed.ods", "covered.ods"])
    func sameValuesAsPandas(fixture: String) throws {
        let path = ODSFixtures.path(fixture)
        let r = try Run.python(Self.dumpScript, [path])
        #expect(r.status == 0, "\(r.stderr)")
        let reference = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: [String: String]])
        let doc = try ODSDocument(path: path)
        #expect(Set(reference.keys) == Set(doc.sheetEntries.map(\.name)))
        for (i, entry) in doc.sheetEntries.enumerated() {
            let g = try doc.grid(ofSheet: i)
            var ours: [String: String] = [:]
            for row in g.rows {
                for c in row.cells where c.value != .empty {
                    var text = c.value.plainText
                    if case .bool(let b) = c.value { text = b ? "TRUE" : "FALSE" }
                    ours["\(row.index),\(c.column)"] = text
                }
            }
            let theirs = reference[entry.name] ?? [:]
            // pandas reads booleans as numbers 1/0 in .ods; compare those as booleans.
            for (k, v) in theirs {
                let mine = ours[k]
                if mine == "TRUE" || mine == "FALSE" {
                    #expect((v == "1" || v == "TRUE") == (mine == "TRUE"), "\(fixture) \(entry.name) \(k)")
                } else if let a = Decimal(string: v), let b = mine.flatMap({ Decimal(string: $0) }), v.first?.isNumber == true {
                    #expect(a == b, "\(fixture) \(entry.name) \(k): pandas \(v), ours \(mine ?? "nil")")
                } else {
                    #expect(mine == v, "\(fixture) \(entry.name) \(k): pandas \(v), ours \(mine ?? "nil")")
                }
            }
            #expect(Set(ours.keys) == Set(theirs.keys), "\(fixture) \(entry.name)")
        }
    }
}

/// Text typed in legacy Vietnamese fonts, saved as .ods by LibreOffice (from the openpyxl
/// workbooks of scripts/fixtures/make-legacy-font-workbooks.sh): the cell style's
/// `style:font-name` and each `text:span`'s say the encoding.
@Suite("ODS reader: text in legacy Vietnamese fonts")
struct ODSLegacyFontTests {
    static let legacy = TestPaths.packageRoot.appendingPathComponent("Tests/CLITests/Fixtures/legacy")

    @Test func spansTakeTheirOwnFonts() throws {
        let doc = try ODSDocument(path: Self.legacy.appendingPathComponent("legacy-font-runs.ods").path)
        #expect(doc.notices.isEmpty)
        let g = try doc.grid(ofSheet: 0)
        #expect(value(g, "A1") == .text("Sè café văn bản"), "only the .VnTime span of a Calibri cell")
        #expect(value(g, "A2") == .text("Số văn bản"))
        #expect(value(g, "A3") == .text("Xin chào café"))
        #expect(value(g, "A4") == .text("Sè v¨n b¶n"), "Arial text is kept as stored")
        #expect(doc.notices.count == 2)
    }

    @Test(arguments: ["tcvn3", "vni"])
    func theSeedInLegacyFontsReadsAsTheUnicodeText(encoding: String) throws {
        let doc = try ODSDocument(path: Self.legacy.appendingPathComponent("ngan-son-q1-2023-\(encoding)-font.ods").path)
        let g = try doc.grid(ofSheet: 0)
        #expect(value(g, "A2") == .text("BIỂU THỐNG KÊ SỐ LIỆU VỀ KẾT QUẢ THỰC HIỆN CÔNG TÁC"))
        #expect(value(g, "A3") == .text("(Kèm theo Báo cáo số /BC-UBND ngày /3/2022 của UBND huyện Ngân Sơn)"))
        #expect(value(g, "B5") == .text("Chỉ tiêu thống kê"))
        #expect(doc.notices.count == 1)
    }
}
