import AppendixModel
import FormSchema
import Foundation
import OfficialWorkbook
import Support
import TestSupport
import Testing

/// Writes `appendix` with the writer into a fresh folder; returns the path and the layout.
func writeFilled(_ appendix: Appendix, annotations: [String: CellAnnotation] = [:],
                 name: String = "phu-luc.xlsx") throws -> (path: String, layout: AppendixSheetLayout) {
    let folder = TestPaths.temporaryFolder("writer")
    let path = folder.appendingPathComponent(name).path
    let writer = try OfficialWorkbookWriter(path: path, document: OfficialWorkbookWriter.documentInfo(for: appendix, kind: "appendix"))
    let layout = try writer.addAppendixSheet(appendix, annotations: annotations)
    try writer.close()
    return (path, layout)
}

@Suite("Official workbook: a filled appendix read back with openpyxl and calamine")
struct FilledWorkbookTests {
    @Test("every form row is on the sheet in form order with its code, label, unit and style", .enabled(if: Tools.python("openpyxl"), "needs python3 with openpyxl"))
    func rowsCodesLabelsUnits() throws {
        let appendix = try seedAppendix(extra: true)
        let (path, layout) = try writeFilled(appendix)
        let dump = try dumpWithOpenpyxl(path, sheet: "Phụ lục")
        let form = appendix.form
        let rows = try findRows(dump.sheet, form: form)
        for row in form.rows {
            let r = try #require(rows[row.id])
            #expect(layout.rowIndex[row.id] == r - 1, "layout of \(row.id)")
            let code = dump.sheet.cells["A\(r)"]
            let expectedCode = row.code.isEmpty ? (row.marker ?? "") : row.code
            if expectedCode.isEmpty {
                #expect(code?.v == nil, "\(row.id) has no code")
            } else {
                #expect(code?.t == "s" && code?.v == expectedCode, "code of \(row.id): \(String(describing: code?.v))")
            }
            let unit = dump.sheet.cells["C\(r)"]?.v ?? ""
            #expect(unit == row.unit, "unit of \(row.id)")
            let label = try #require(dump.sheet.cells["B\(r)"])
            switch row.style {
            case .bold: #expect(label.bold == true && label.italic == false, "\(row.id) bold")
            case .italic: #expect(label.italic == true && label.bold == false, "\(row.id) italic")
            case .normal: #expect(label.bold == false && label.italic == false, "\(row.id) normal")
            }
        }
        // Section and group headings are bold in the shipped form; unnumbered ratio parts are italic.
        #expect(dump.sheet.cells["B\(rows["s1"]!)"]?.bold == true)
        #expect(dump.sheet.cells["B\(rows["r3_3_1_tong"]!)"]?.italic == true)
        // "Trong đó" is printed in the STT column of the first breakdown row.
        #expect(dump.sheet.cells["A\(rows["r3_1_4_huyen"]!)"]?.v == "Trong đó")
        // Every dumped cell is Times New Roman.
        let fonts = Set(dump.sheet.cells.values.compactMap(\.font))
        #expect(fonts == ["Times New Roman"])
    }

    @Test("values: exact numbers, percents as fractions with % formats, status texts and raw texts kept, notes", .enabled(if: Tools.python("openpyxl"), "needs python3 with openpyxl"))
    func values() throws {
        let appendix = try seedAppendix(extra: true)
        let (path, _) = try writeFilled(appendix)
        let dump = try dumpWithOpenpyxl(path, sheet: "Phụ lục")
        let form = appendix.form
        let rows = try findRows(dump.sheet, form: form)
        var checked = Set<String>()
        for (id, _, expected) in seedValues + extraValues {
            let row = try #require(form.row(id))
            let cell = try #require(dump.sheet.cells["D\(rows[id]!)"], "value cell of \(id)")
            checked.insert(id)
            switch expected {
            case .blank:
                #expect(cell.v == nil)
            case .number(let x, let fmt):
                #expect(cell.t == "n", "\(id) is a number")
                #expect(Double(cell.v ?? "") == x, "\(id) = \(x), got \(String(describing: cell.v))")
                #expect(cell.fmt == fmt, "\(id) format")
            case .percent(let x, let fmt):
                // A live formula only where it computes exactly the unit's value (#10.8).
                if row.numerator != nil, ["r1_2", "r2_3_2", "r3_3_1", "r3_3_2"].contains(id) {
                    #expect(cell.t == "f", "\(id) is a formula")
                    #expect(abs((Double(cell.cached ?? "") ?? .nan) - x) < 1e-12, "\(id) cached \(x), got \(String(describing: cell.cached))")
                } else {
                    #expect(cell.t == "n")
                    #expect(abs((Double(cell.v ?? "") ?? .nan) - x) < 1e-12, "\(id) = \(x)")
                }
                #expect(cell.fmt == fmt, "\(id) format \(fmt), got \(String(describing: cell.fmt))")
            case .text(let s):
                #expect(cell.t == "s" && cell.v == s, "\(id) text \(s), got \(String(describing: cell.v))")
            }
        }
        // Everything the appendix left blank is blank (never 0).
        for row in form.rows where row.kind.holdsValue && !checked.contains(row.id) {
            #expect(dump.sheet.cells["D\(rows[row.id]!)"]?.v == nil, "\(row.id) blank")
        }
        #expect(dump.sheet.cells["E\(rows["r1_5_1"]!)"]?.v == "Chưa thực hiện")
        #expect(dump.sheet.cells["E\(rows["r1_5_1"]!)"]?.t == "s")
    }

    @Test("ratio rows hold a formula over their sub-rows only where it computes the unit's value; others, blank or status ratios hold the unit's constant (#10.8)", .enabled(if: Tools.python("openpyxl"), "needs python3 with openpyxl"))
    func ratioFormulas() throws {
        var appendix = try seedAppendix()
        let form = appendix.form
        let row721 = try #require(form.row("r7_2_1"))
        appendix.values["r7_2_1"] = ValueInterpreter.interpret(.text("Chưa thực hiện"), row: row721, form: form, locale: .vi)
        let (path, _) = try writeFilled(appendix)
        let dump = try dumpWithOpenpyxl(path, sheet: "Phụ lục")
        let rows = try findRows(dump.sheet, form: form)
        var formulas = 0
        for row in form.rows where row.numerator != nil {
            let cell = try #require(dump.sheet.cells["D\(rows[row.id]!)"])
            // 1.3.4 and 3.4 are 0 over 0 (a formula would show blank once recalculated, the cache 0 %);
            // 6.1 is 2,30 % printed over 3.135/136.284 = 2,3003… % (a formula would not show the unit's number).
            if appendix.values[row.id]?.value.number != nil, !["r1_3_4", "r3_4", "r6_1"].contains(row.id) {
                let num = rows[row.numerator!]!, den = rows[row.denominator!]!
                #expect(cell.t == "f")
                #expect(cell.v == "=IF(N(D\(den))=0,\"\",N(D\(num))/N(D\(den)))", "\(row.id): \(String(describing: cell.v))")
                formulas += 1
            } else {
                #expect(cell.t != "f", "\(row.id) without a number has no formula")
            }
        }
        #expect(formulas == 4) // 1.2, 2.3.2, 3.3.1, 3.3.2
        #expect(dump.sheet.cells["D\(rows["r7_2_1"]!)"]?.v == "Chưa thực hiện")
        #expect(dump.sheet.cells["D\(rows["r2_2_1"]!)"]?.v == nil)
        // 6.1: the unit printed 2,30 % for 3.135 / 136.284 = 2,3003… %: its value, as a constant.
        #expect(dump.sheet.cells["D\(rows["r6_1"]!)"]?.t == "n")
        #expect(dump.sheet.cells["D\(rows["r6_1"]!)"]?.v == "0.023")
        #expect(dump.sheet.cells["D\(rows["r3_4"]!)"]?.t == "n")
    }

    @Test("header block, title lines and the two-row table header are merged as printed", .enabled(if: Tools.python("openpyxl"), "needs python3 with openpyxl"))
    func headerBlock() throws {
        let appendix = try seedAppendix()
        let (path, layout) = try writeFilled(appendix)
        let dump = try dumpWithOpenpyxl(path, sheet: "Phụ lục")
        let s = dump.sheet
        for range in ["A1:B1", "C1:E1", "A2:B2", "C2:E2", "A4:E4", "A5:E5", "A6:E6", "A7:E7",
                      "A9:A10", "B9:B10", "C9:D9", "E9:E10"] {
            #expect(s.merged.contains(range), "merged \(range)")
        }
        #expect(s.cells["A1"]?.v == "UBND TỈNH BẮC KẠN")
        #expect(s.cells["A2"]?.v == "ỦY BAN NHÂN DÂN HUYỆN NGÂN SƠN" && s.cells["A2"]?.bold == true)
        #expect(s.cells["C1"]?.v == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" && s.cells["C1"]?.bold == true)
        #expect(s.cells["C2"]?.v == "Độc lập - Tự do - Hạnh phúc" && s.cells["C2"]?.bold == true)
        #expect((12...13).contains(s.cells["C1"]?.size ?? 0) && (13...14).contains(s.cells["C2"]?.size ?? 0))
        #expect(s.cells["A4"]?.v == "Phụ lục" && s.cells["A4"]?.bold == true)
        #expect(s.cells["A5"]?.v == "BIỂU THỐNG KÊ SỐ LIỆU VỀ KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH")
        #expect(s.cells["A5"]?.bold == true)
        let reference = s.cells["A6"]?.v ?? ""
        #expect(reference == "(Kèm theo Báo cáo số …/BC-UBND ngày …/3/2022 của Ủy ban nhân dân huyện Ngân Sơn)")
        #expect(s.cells["A6"]?.italic == true)
        #expect(s.cells["A7"]?.v == "Quý I năm 2023")
        #expect(s.cells["A9"]?.v == "STT" && s.cells["B9"]?.v == "Chỉ tiêu thống kê" && s.cells["C9"]?.v == "Kết quả thống kê")
        #expect(s.cells["C10"]?.v == "Đơn vị tính" && s.cells["D10"]?.v == "Số liệu" && s.cells["E9"]?.v == "Ghi chú")
        #expect(s.cells["A9"]?.bold == true && s.cells["D10"]?.bold == true)
        #expect(layout.headerRows == 8...9 && layout.firstDataRow == 10)
        // Column widths about A 7, B 60, C 14, D 14, E 16.
        for (col, width) in [("A", 7.0), ("B", 60), ("C", 14), ("D", 14), ("E", 16)] {
            #expect(abs((s.columnWidths[col] ?? 0) - width) < 1.5, "width of \(col)")
        }
    }

    @Test("blank metadata leaves the header cells blank", .enabled(if: Tools.python("openpyxl"), "needs python3 with openpyxl"))
    func blankMetadata() throws {
        let appendix = Appendix(form: try loadForm())
        let (path, _) = try writeFilled(appendix)
        let dump = try dumpWithOpenpyxl(path, sheet: "Phụ lục")
        #expect(dump.sheet.cells["A1"]?.v == nil)
        #expect(dump.sheet.cells["A2"]?.v == nil)
        #expect(dump.sheet.cells["A7"]?.v == nil)
        #expect(dump.sheet.cells["C1"]?.v == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        #expect(dump.custom[WorkbookProperty.unit] == nil)
    }

    @Test("print setup: A4 landscape, one page wide, print titles, frozen header, page numbers, NĐ 30 margins", .enabled(if: Tools.python("openpyxl"), "needs python3 with openpyxl"))
    func printSetup() throws {
        let (path, _) = try writeFilled(try seedAppendix())
        let dump = try dumpWithOpenpyxl(path, sheet: "Phụ lục")
        let s = dump.sheet
        #expect(s.orientation == "landscape")
        #expect(s.paperSize == 9)
        #expect(s.fitToPage == true)
        #expect(s.fitToWidth == nil || s.fitToWidth == 1)
        #expect(s.fitToHeight == 0)
        #expect(s.printTitleRows == "$9:$10")
        #expect(s.freeze == "A11")
        #expect(s.hCentered == true)
        #expect(s.footer?.contains("Trang &P/&N") == true)
        let mm = { (inches: Double?) in (inches ?? 0) * 25.4 }
        #expect((30...35).contains(mm(s.margins["left"]).rounded()))
        #expect((15...20).contains(mm(s.margins["right"]).rounded()))
        #expect((20...25).contains(mm(s.margins["top"]).rounded()))
        #expect((20...25).contains(mm(s.margins["bottom"]).rounded()))
        #expect(s.protected == false)
    }

    @Test("document and custom properties name the form, version, unit, period and kind", .enabled(if: Tools.python("openpyxl"), "needs python3 with openpyxl"))
    func properties() throws {
        let (path, _) = try writeFilled(try seedAppendix())
        let dump = try dumpWithOpenpyxl(path, sheet: "Phụ lục")
        #expect(dump.props["title"]??.contains("BIỂU THỐNG KÊ SỐ LIỆU") == true)
        #expect(dump.props["subject"] == "Quý I năm 2023")
        #expect(dump.props["creator"] == "bieumau")
        let c = dump.custom
        #expect(c[WorkbookProperty.form] == "cchc-2023")
        #expect(c[WorkbookProperty.formVersion] == "1")
        #expect(c[WorkbookProperty.unit] == "Ủy ban nhân dân huyện Ngân Sơn")
        #expect(c[WorkbookProperty.parentBody] == "UBND tỉnh Bắc Kạn")
        #expect(c[WorkbookProperty.period] == "quy-1/2023")
        #expect(c[WorkbookProperty.reportNumber] == "/BC-UBND")
        #expect(c[WorkbookProperty.kind] == "appendix")
        #expect(c[WorkbookProperty.sheet] == "Phụ lục")
        #expect(c[WorkbookProperty.generator]?.hasPrefix("bieumau") == true)
    }

    @Test("python-calamine (no formula engine) sees the unit's numbers, texts and cached ratios", .enabled(if: Tools.python("python_calamine"), "needs python3 with python-calamine"))
    func calamineValues() throws {
        let appendix = try seedAppendix(extra: true)
        let (path, layout) = try writeFilled(appendix)
        let grid = try dumpWithCalamine(path, sheet: "Phụ lục")
        for (id, _, expected) in seedValues + extraValues {
            let r = try #require(layout.rowIndex[id])
            let row = grid[r]
            // The label beside it confirms the row.
            #expect(row[1] == "s:" + appendix.form.row(id)!.label)
            switch expected {
            case .blank: #expect(row[3] == "e:")
            case .number(let x, _), .percent(let x, _):
                let v = row[3].hasPrefix("n:") ? Double(row[3].dropFirst(2)) : nil
                #expect(v.map { abs($0 - x) < 1e-12 } == true, "\(id): \(row[3])")
            case .text(let s): #expect(row[3] == "s:" + s, "\(id): \(row[3])")
            }
        }
        #expect(grid[layout.rowIndex["r1_5_1"]!][4] == "s:Chưa thực hiện")
    }

    @Test("money keeps the decimals entered and at least the row's own", .enabled(if: Tools.python("openpyxl"), "needs python3 with openpyxl"))
    func moneyDecimals() throws {
        var appendix = try seedAppendix()
        let form = appendix.form
        for (id, raw) in [("r6_1_1", "2.304,717"), ("r6_1_2", "1.234,5"), ("r6_1", "53,57")] {
            appendix.values[id] = ValueInterpreter.interpret(.text(raw), row: form.row(id)!, form: form, locale: .vi)
        }
        let (path, _) = try writeFilled(appendix)
        let dump = try dumpWithOpenpyxl(path, sheet: "Phụ lục")
        let rows = try findRows(dump.sheet, form: form)
        let plan = dump.sheet.cells["D\(rows["r6_1_1"]!)"], done = dump.sheet.cells["D\(rows["r6_1_2"]!)"]
        #expect(plan?.v == "2304.717" && plan?.fmt == "#,##0.000")
        #expect(done?.v == "1234.5" && done?.fmt == "#,##0.0")
        let ratio = dump.sheet.cells["D\(rows["r6_1"]!)"]
        #expect(ratio?.cached == "0.5357" && ratio?.fmt == "0.00%")
    }

    @Test("a percent read from a workbook keeps all its digits but shows the unit's decimals", .enabled(if: Tools.python("openpyxl"), "needs python3 with openpyxl"))
    func percentFromWorkbook() throws {
        var appendix = try seedAppendix()
        let form = appendix.form
        let one3 = try #require(ExactDecimal("0.333333"))
        appendix.values["r5_1_2"] = ValueInterpreter.interpret(.number(one3, percentFormat: true, decimals: 0),
                                                               row: form.row("r5_1_2")!, form: form, locale: .vi)
        let (path, _) = try writeFilled(appendix)
        let dump = try dumpWithOpenpyxl(path, sheet: "Phụ lục")
        let rows = try findRows(dump.sheet, form: form)
        let cell = dump.sheet.cells["D\(rows["r5_1_2"]!)"]
        #expect(cell?.v == "0.333333" && cell?.fmt == "0%")
    }

    @Test("annotations: red fill for errors, amber for warnings, and the message as a comment", .enabled(if: Tools.python("openpyxl"), "needs python3 with openpyxl"))
    func annotations() throws {
        let appendix = try seedAppendix()
        let notes: [String: CellAnnotation] = [
            "r1_2": CellAnnotation(severity: .error, comment: "Tỷ lệ 25% khác 14/56 = 25,00%? / ratio check"),
            "r6_1_1": CellAnnotation(severity: .warning, comment: "Số 136.284 có thể đọc hai cách."),
        ]
        let (path, _) = try writeFilled(appendix, annotations: notes)
        let dump = try dumpWithOpenpyxl(path, sheet: "Phụ lục")
        let rows = try findRows(dump.sheet, form: appendix.form)
        let err = dump.sheet.cells["D\(rows["r1_2"]!)"], warn = dump.sheet.cells["D\(rows["r6_1_1"]!)"]
        #expect(err?.fill?.hasSuffix("FFC7CE") == true, "error fill \(String(describing: err?.fill))")
        #expect(warn?.fill?.hasSuffix("FFEB9C") == true, "warning fill \(String(describing: warn?.fill))")
        #expect(err?.comment == notes["r1_2"]!.comment)
        #expect(warn?.comment == notes["r6_1_1"]!.comment)
        // The values are untouched.
        #expect(err?.cached == "0.25" && warn?.v == "136284")
        #expect(dump.sheet.cells["D\(rows["r1_1"]!)"]?.fill == nil)
    }
}
