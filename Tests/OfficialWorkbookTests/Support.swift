import AppendixModel
import FormSchema
import Foundation
import Support
import TestSupport

/// The shipped form, loaded from Templates/ as a user's run would.
func loadForm() throws -> FormDefinition {
    try FormLoader.load(file: TestPaths.templates.appendingPathComponent("cchc-2023/form.yaml").path)
}

/// What a cell should hold, written by hand from the seed appendix (Examples/ngan-son-q1-2023.csv).
enum Expected: Equatable {
    case blank
    case number(Double, format: String)
    /// A percentage stored as a fraction (`25%` → 0.25) with a percent number format.
    case percent(Double, format: String)
    case text(String)
}

/// The seed's value cells as printed (raw text) and what each must become in the workbook.
/// Notes are separate. Expectations are typed by hand, not computed by the writer.
let seedValues: [(id: String, raw: String, expected: Expected)] = [
    ("r1_1", "13", .number(13, format: "#,##0")),
    ("r1_2", "25%", .percent(0.25, format: "0%")),
    ("r1_2_1", "56", .number(56, format: "#,##0")),
    ("r1_2_2", "14", .number(14, format: "#,##0")),
    ("r1_3_1", "0", .number(0, format: "#,##0")),
    ("r1_3_2", "0", .number(0, format: "#,##0")),
    ("r1_3_3", "0", .number(0, format: "#,##0")),
    ("r1_3_4", "0", .percent(0, format: "0%")),
    ("r1_6", "0", .number(0, format: "#,##0")),
    ("r2_1", "0", .number(0, format: "#,##0")),
    ("r2_2", "0", .number(0, format: "#,##0")),
    ("r2_3", "0", .number(0, format: "#,##0")),
    ("r2_3_1", "21", .number(21, format: "#,##0")),
    ("r2_3_2", "100%", .percent(1, format: "0%")),
    ("r2_3_2_tong", "03", .number(3, format: "#,##0")),
    ("r2_3_2_xong", "03", .number(3, format: "#,##0")),
    ("r3_1_1", "Chưa có đánh giá kết quả", .text("Chưa có đánh giá kết quả")),
    ("r3_1_4_huyen", "265", .number(265, format: "#,##0")),
    ("r3_1_4_xa", "110", .number(110, format: "#,##0")),
    ("r3_2_3", "<b>0</b>", .number(0, format: "#,##0")),
    ("r3_3_1", "100%", .percent(1, format: "0%")),
    ("r3_3_1_tong", "199", .number(199, format: "#,##0")),
    ("r3_3_1_dunghan", "199", .number(199, format: "#,##0")),
    ("r3_3_2", "100%", .percent(1, format: "0%")),
    ("r3_3_2_tong", "993", .number(993, format: "#,##0")),
    ("r3_3_2_dunghan", "993", .number(993, format: "#,##0")),
    ("r3_4", "0", .percent(0, format: "0%")),
    ("r3_4_1", "0", .number(0, format: "#,##0")),
    ("r3_4_2", "0", .number(0, format: "#,##0")),
    ("r4_1", "11", .number(11, format: "#,##0")),
    ("r4_3", "33", .number(33, format: "#,##0")),
    ("r4_5_4", "03", .number(3, format: "#,##0")),
    ("r4_6_giao", "693", .number(693, format: "#,##0")),
    ("r4_6_1", "610", .number(610, format: "#,##0")),
    ("r5_1_1", "97%", .percent(0.97, format: "0%")),
    ("r6_1", "2,30", .percent(0.023, format: "0.00%")),
    ("r6_1_1", "136.284", .number(136284, format: "#,##0")),
    ("r6_1_2", "3.135", .number(3135, format: "#,##0")),
    ("r6_2_2", "1", .number(1, format: "#,##0")),
    ("r6_2_4", "33", .number(33, format: "#,##0")),
    ("r7_1_dientu", "96%", .percent(0.96, format: "0%")),
    ("r7_1_songsong", "100%", .percent(1, format: "0%")),
]

/// Extra values the seed lacks, covering the other kinds.
let extraValues: [(id: String, raw: String, expected: Expected)] = [
    ("r1_5_2", "Trực tuyến; Kết hợp", .text("Trực tuyến; Kết hợp")),
    // A number-like text that cannot be read: kept exactly as received.
    ("r4_5_1", "5/9", .text("5/9")),
    ("r5_3_1", "Chưa thực hiện", .text("Chưa thực hiện")),
]

/// The Ngân Sơn appendix of Q1/2023 built in code: raw texts interpreted as the reader would.
func seedAppendix(extra: Bool = false) throws -> Appendix {
    let form = try loadForm()
    var values: [String: RowValue] = [:]
    for (id, raw, _) in seedValues + (extra ? extraValues : []) {
        let row = try require(form.row(id), "row \(id) in form")
        values[id] = ValueInterpreter.interpret(.text(raw), row: row, form: form, locale: .vi)
    }
    // The seed writes "Chưa thực hiện" in the Ghi chú column of 1.5.1.
    values["r1_5_1"] = RowValue(raw: "", value: .empty, note: "Chưa thực hiện")
    var meta = Metadata(unit: "Ủy ban nhân dân huyện Ngân Sơn", parentBody: "UBND tỉnh Bắc Kạn",
                        period: Period(kind: .q1, year: 2023), reportNumber: "/BC-UBND",
                        reportDate: ReportDate(day: nil, month: 3, year: 2022))
    meta.title = form.title
    return Appendix(form: form, metadata: meta, values: values)
}

private func require<T>(_ value: T?, _ what: String) throws -> T {
    guard let value else { throw TestFailure(what) }
    return value
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

// MARK: - Reading back with openpyxl

struct CellDump: Decodable {
    /// s string, n number, f formula, b blank/styled, o other
    var t: String
    var v: String?
    var cached: String?
    var fmt: String?
    var bold: Bool?
    var italic: Bool?
    var font: String?
    var size: Double?
    var locked: Bool?
    var fill: String?
    var comment: String?
}

struct ValidationDump: Decodable {
    var type: String?
    var `operator`: String?
    var formula1: String?
    var formula2: String?
    var sqref: String
    var errorStyle: String?
}

struct SheetDump: Decodable {
    var merged: [String]
    var freeze: String?
    var printTitleRows: String?
    var orientation: String?
    var paperSize: Int?
    var fitToPage: Bool?
    var fitToWidth: Int?
    var fitToHeight: Int?
    var hCentered: Bool?
    var footer: String?
    var margins: [String: Double]
    var protected: Bool
    var validations: [ValidationDump]
    var cells: [String: CellDump]
    var maxRow: Int
    var columnWidths: [String: Double]
}

struct WorkbookDump: Decodable {
    var sheets: [String]
    var states: [String: String]
    var props: [String: String?]
    var custom: [String: String]
    var sheet: SheetDump
}

let openpyxlDumper = #"""
import sys, json, openpyxl
from openpyxl.cell.cell import MergedCell
path, name = sys.argv[1], sys.argv[2]
wb = openpyxl.load_workbook(path)
wbv = openpyxl.load_workbook(path, data_only=True)
ws, wsv = wb[name], wbv[name]
def text(v):
    if v is None: return None
    if isinstance(v, bool): return str(v)
    if isinstance(v, int): return str(v)
    if isinstance(v, float): return repr(v)
    return str(v)
cells = {}
for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=5):
    for c in row:
        if c.value is None and not c.has_style: continue
        if isinstance(c, MergedCell): continue   # covered by a merge: openpyxl gives it no style
        if c.data_type == 'f': t = 'f'
        elif c.value is None: t = 'b'
        elif c.data_type == 'n': t = 'n'
        elif c.data_type == 's': t = 's'
        else: t = 'o'
        fill = c.fill.fgColor.rgb if c.fill is not None and c.fill.fill_type == 'solid' else None
        cells[c.coordinate] = dict(t=t, v=text(c.value), cached=text(wsv[c.coordinate].value),
            fmt=c.number_format, bold=bool(c.font.b), italic=bool(c.font.i), font=c.font.name,
            size=float(c.font.sz) if c.font.sz else None, locked=bool(c.protection.locked),
            fill=fill if isinstance(fill, str) else None,
            comment=c.comment.text if c.comment else None)
ps = ws.page_setup
sp = ws.sheet_properties.pageSetUpPr
out = dict(
    sheets=wb.sheetnames,
    states={w.title: w.sheet_state for w in wb.worksheets},
    props=dict(title=wb.properties.title, subject=wb.properties.subject, creator=wb.properties.creator,
               description=wb.properties.description),
    custom={p.name: str(p.value) for p in wb.custom_doc_props.props},
    sheet=dict(
        merged=sorted(str(r) for r in ws.merged_cells.ranges),
        freeze=ws.freeze_panes, printTitleRows=ws.print_title_rows,
        orientation=ps.orientation, paperSize=int(ps.paperSize) if ps.paperSize else None,
        fitToPage=bool(sp.fitToPage) if sp is not None else None,
        fitToWidth=int(ps.fitToWidth) if ps.fitToWidth is not None else None,
        fitToHeight=int(ps.fitToHeight) if ps.fitToHeight is not None else None,
        hCentered=bool(ws.print_options.horizontalCentered),
        footer=ws.oddFooter.center.text,
        margins=dict(left=ws.page_margins.left, right=ws.page_margins.right, top=ws.page_margins.top,
                     bottom=ws.page_margins.bottom),
        protected=bool(ws.protection.sheet),
        validations=[dict(type=d.type, operator=d.operator, formula1=d.formula1, formula2=d.formula2,
                          sqref=str(d.sqref), errorStyle=d.errorStyle) for d in ws.data_validations.dataValidation],
        cells=cells, maxRow=ws.max_row,
        columnWidths={k: float(v.width) for k, v in ws.column_dimensions.items() if v.width},
    ))
print(json.dumps(out, ensure_ascii=False))
"""#

/// Reads `sheet` of `path` with openpyxl (tests using it are marked `.enabled(if: Tools.python("openpyxl"))`).
func dumpWithOpenpyxl(_ path: String, sheet: String) throws -> WorkbookDump {
    let r = try Run.python(openpyxlDumper, [path, sheet])
    guard r.status == 0 else { throw TestFailure("openpyxl failed: \(r.stderr)") }
    return try JSONDecoder().decode(WorkbookDump.self, from: Data(r.stdout.utf8))
}

/// Reads the cached values of `sheet` with python-calamine (no formula engine): rows of strings
/// (`n:<repr>` for numbers, `s:<text>` for strings, `e:` for empty).
func dumpWithCalamine(_ path: String, sheet: String) throws -> [[String]] {
    let code = #"""
import sys, json
from python_calamine import CalamineWorkbook
rows = CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_name(sys.argv[2]).to_python(skip_empty_area=False)
def enc(v):
    if v is None or v == "": return "e:"
    if isinstance(v, bool): return "o:" + str(v)
    if isinstance(v, (int, float)): return "n:" + repr(float(v))
    return "s:" + str(v)
print(json.dumps([[enc(v) for v in row] for row in rows], ensure_ascii=False))
"""#
    let r = try Run.python(code, [path, sheet])
    guard r.status == 0 else { throw TestFailure("calamine failed: \(r.stderr)") }
    return try JSONDecoder().decode([[String]].self, from: Data(r.stdout.utf8))
}

/// The 1-based Excel row of each form row, found by walking the sheet's codes and labels (not
/// from the writer's layout), so order and placement are checked independently.
func findRows(_ dump: SheetDump, form: FormDefinition) throws -> [String: Int] {
    var result: [String: Int] = [:]
    var excelRow = 1
    for row in form.rows {
        while excelRow <= dump.maxRow {
            let label = dump.cells["B\(excelRow)"]?.v ?? ""
            excelRow += 1
            if label == row.label { result[row.id] = excelRow - 1; break }
        }
    }
    guard result.count == form.rows.count else {
        throw TestFailure("found \(result.count) of \(form.rows.count) form rows in order")
    }
    return result
}
