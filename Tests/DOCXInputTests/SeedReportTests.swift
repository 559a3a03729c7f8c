import DOCXInput
import Foundation
import SheetGrid
import Support
import Testing
import TestSupport

/// The seed report as a Word document (Examples/ngan-son-q1-2023.docx, built by
/// scripts/make-seed-docx.py), read by this reader and by python-docx.
@Suite("the seed report as a Word document")
struct SeedReportTests {
    static let seed = TestPaths.examples.appendingPathComponent("ngan-son-q1-2023.docx").path

    /// python-docx's view: body paragraphs, and per table the grid with merged cells' text in their
    /// first cell only (python-docx repeats a merged cell at every grid position it covers).
    static let reference = #"""
import sys, json, docx
d = docx.Document(sys.argv[1])
def clean(t):
    return "\n".join(l for l in t.split("\n") if l.strip())
out = {"paragraphs": [p.text for p in d.paragraphs], "tables": []}
for t in d.tables:
    grid = []
    above = None
    for r in t.rows:
        row = []
        cells = r.cells
        for c, cell in enumerate(cells):
            first = (c == 0 or cells[c - 1]._tc is not cell._tc) and (above is None or c >= len(above) or above[c]._tc is not cell._tc)
            row.append(clean(cell.text) if first else "")
        grid.append(row)
        above = cells
    out["tables"].append(grid)
print(json.dumps(out, ensure_ascii=False))
"""#

    @Test(.enabled(if: Tools.python("docx"), "needs python3 with python-docx"))
    func agreesWithPythonDocx() throws {
        let r = try Run.python(Self.reference, [Self.seed])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let paragraphs = try #require(object["paragraphs"] as? [String])
        let tables = try #require(object["tables"] as? [[[String]]])

        let doc = try DOCXDocument(path: Self.seed)
        let got = doc.paragraphs.map(\.text)
        #expect(got.count == paragraphs.count)
        for (k, (a, b)) in zip(got, paragraphs).enumerated() where a != TextNormalization.nfc(b) {
            Issue.record("paragraph \(k): \(a.debugDescription) ≠ python-docx \(b.debugDescription)")
            break
        }
        #expect(doc.tables.count == tables.count)
        #expect(doc.tables.count == 3)
        for (t, expected) in zip(doc.tables, tables) {
            #expect(t.rows.count == expected.count, "table \(t.number)")
            let grid = doc.grid(of: t)
            let titleRows = grid.rows.count - t.rows.count
            for (r, expectedRow) in expected.enumerated() {
                let row = grid.rows[titleRows + r]
                let got = (0..<expectedRow.count).map { row.value(at: $0).plainText }
                #expect(got == expectedRow, "table \(t.number), row \(r + 1)")
            }
        }
    }

    @Test func appendixTableHasItsTitleLinesHeaderAndMerges() throws {
        let doc = try DOCXDocument(path: Self.seed)
        #expect(doc.sheetEntries.map(\.name) == ["Bảng 1", "Bảng 2", "Bảng 3"])
        let grid = try doc.grid(ofSheet: 2)
        // The three lines above the table on its page, as in the printed appendix.
        #expect(grid.rows.prefix(3).map { $0.value(at: 0).plainText } == [
            "Phụ lục",
            "BIỂU THỐNG KÊ SỐ LIỆU VỀ KẾT QUẢ THỰC HIỆN CÔNG TÁC",
            "(Kèm theo Báo cáo số /BC-UBND ngày /3/2022 của UBND huyện Ngân Sơn)",
        ])
        #expect(grid.source == .document(file: Self.seed, table: 3, titleRows: 3))
        let header = grid.rows[3]
        #expect(header.cells.map(\.value.plainText) == ["STT", "Chỉ tiêu thống kê", "Kết quả thống kê", "Ghi chú"])
        #expect(header.cells.map(\.column) == [0, 1, 2, 4])
        #expect(grid.rows[4].cells.map(\.value.plainText) == ["Đơn vị tính", "Số liệu"])
        // "Kết quả thống kê" over two columns; STT, Chỉ tiêu, Ghi chú over both header rows.
        #expect(grid.merges.contains(CellRange(firstRow: 3, firstColumn: 2, lastRow: 3, lastColumn: 3)))
        #expect(grid.merges.contains(CellRange(firstRow: 3, firstColumn: 0, lastRow: 4, lastColumn: 0)))
        #expect(grid.merges.contains(CellRange(firstRow: 3, firstColumn: 4, lastRow: 4, lastColumn: 4)))
        // Both header rows repeat on each page; no other row does.
        let table = doc.tables[2]
        #expect(table.rows.map(\.repeatsAsHeader).prefix(3) == [true, true, false])
        #expect(table.rows.filter(\.repeatsAsHeader).count == 2)
        // "Trong đó" spans its two sub-rows: text in the first, a vertical merge over both.
        let trongDo = try #require(grid.rows.first { $0.value(at: 0).plainText == "Trong đó" })
        #expect(grid.rows[trongDo.index + 1].value(at: 0) == .empty)
        #expect(grid.merges.contains(CellRange(firstRow: trongDo.index, firstColumn: 0, lastRow: trongDo.index + 1, lastColumn: 0)))
        // A label and a unit cell of several paragraphs, joined by line breaks.
        let row11 = try #require(grid.rows.first { $0.value(at: 0).plainText == "1.1" })
        #expect(row11.value(at: 1).plainText == "Số văn bản chỉ đạo CCHC đã ban hành\n(kết luận, chỉ thị, công văn chỉ đạo, quán triệt)")
        let row152 = try #require(grid.rows.first { $0.value(at: 0).plainText == "1.5.2" })
        #expect(row152.value(at: 2).plainText == "Trực tuyến;\nPhát phiếu;\nKết hợp")
        // Section rows are bold, as printed.
        #expect(grid.rows[5].cell(at: 1)?.style.bold == true)
        #expect(grid.rows[5].value(at: 1).plainText == "Công tác chỉ đạo điều hành CCHC")
    }

    @Test func cellLocationsNameTheTableRowAndColumn() throws {
        let doc = try DOCXDocument(path: Self.seed)
        let grid = try doc.grid(ofSheet: 2)
        let row = try #require(grid.rows.first { $0.value(at: 0).plainText == "6.1.1" })
        let loc = grid.location(row: row, column: 3)
        #expect(loc.describe(.vi) == "\(Self.seed): bảng 3, hàng \(row.index - 3 + 1), cột 4")
        #expect(loc.describe(.en) == "\(Self.seed): table 3, row \(row.index - 3 + 1), column 4")
        #expect(row.value(at: 3).plainText == "136.284")
        let title = grid.location(row: grid.rows[0], column: 0)
        #expect(title.paragraph == doc.paragraphs.first { $0.text == "Phụ lục" }.map { $0.index + 1 })
    }

    @Test func bodyBlocksKeepTheNarrativeInOrder() throws {
        let doc = try DOCXDocument(path: Self.seed)
        // The sentences with numbers, exactly as printed.
        let texts = doc.paragraphs.map(\.text)
        #expect(texts.contains("Tổng số vốn kế hoạch giao: 136.284,0 triệu đồng, giải ngân đến thời điểm 09/3/2023 là 3.135 triệu đồng, đạt 2,30% so với kế hoạch."))
        #expect(texts.contains("Số TTHC thuộc thẩm quyền cấp huyện 256 thủ tục, cấp xã 108 thủ tục."))
        // Headings keep their style; the appendix table comes after the narrative.
        let heading = try #require(doc.paragraphs.first { $0.text == "II. KẾT QUẢ THỰC HIỆN CÔNG TÁC CCHC" })
        #expect(heading.headingLevel == 2)
        guard case .table(let last)? = doc.blocks.last else {
            Issue.record("the document should end with the appendix table")
            return
        }
        #expect(last.number == 3)
        #expect(last.paragraphsBefore == doc.paragraphs.count)
        let indexes = doc.paragraphs.map(\.index)
        #expect(indexes == Array(0..<indexes.count))
    }
}
