// The official workbook: one appendix per sheet in the layout of the printed form, formatted per
// Nghị định 30/2020/NĐ-CP (Times New Roman, A4 landscape, national header block), written with
// libxlsxwriter through XlsxWriterWrapper. Rows, kinds, units and rules come from the form
// definition; nothing about a particular form is written here.
//
// Template mode (a blank form for units to fill): value and note cells of value-holding rows are
// unlocked and shaded, everything else locked, the sheet protected. Checks on entry:
//   count → whole number ≥ 0; money → decimal ≥ 0; percent (stored as a fraction) → 0…100 %;
//   yes/no → dropdown Có/Không; choice → dropdown of the row's choices (a range on the hidden
//   "Danh mục" sheet when the literal list would pass 255 bytes or holds a comma);
//   ratios with numerator/denominator rows → live formulas, locked.
// Status texts ("Chưa thực hiện", …) are legitimate entries in any value cell, so every check uses
// Excel's *warning* style: a value outside the rule is questioned ("Continue?"), not refused, and
// the input message says a status text may be written. `bieumau validate` is what enforces.
import XlsxWriterWrapper
import AppendixModel
import FormSchema
import Foundation
import Support

/// Document properties and the custom properties that let a reader recognise the workbook.
public struct DocumentInfo: Sendable, Hashable {
    public var title: String
    public var subject: String
    public var author: String
    /// The issuing unit.
    public var company: String
    public var comments: String
    /// `WorkbookProperty` names → values; empty values are not written.
    public var customProperties: [String: String]

    public init(title: String = "", subject: String = "", author: String = "bieumau", company: String = "",
                comments: String = "", customProperties: [String: String] = [:]) {
        self.title = title
        self.subject = subject
        self.author = author
        self.company = company
        self.comments = comments
        self.customProperties = customProperties
    }
}

public enum SheetMode: Sendable, Hashable {
    /// The unit's values, as read.
    case filled
    /// A blank form to fill: inputs unlocked and shaded, sheet protected, dropdowns and checks.
    case template
}

public enum AnnotationSeverity: String, Sendable, Hashable {
    /// Red fill.
    case error
    /// Amber fill.
    case warning
}

/// A mark on a row's value cell: a fill and a comment (from `validate --annotate`).
public struct CellAnnotation: Sendable, Hashable {
    public var severity: AnnotationSeverity
    public var comment: String
    public init(severity: AnnotationSeverity, comment: String) {
        self.severity = severity
        self.comment = comment
    }
}

/// Where an appendix went on its sheet.
public struct AppendixSheetLayout: Sendable, Hashable {
    public var sheetName: String
    /// Form row id → 0-based Excel row.
    public var rowIndex: [String: Int]
    public var codeColumn: Int
    public var labelColumn: Int
    public var unitColumn: Int
    public var valueColumn: Int
    public var noteColumn: Int
    /// The two table header rows (0-based).
    public var headerRows: ClosedRange<Int>
    /// The first row of the table body (0-based).
    public var firstDataRow: Int
    /// The last row of the table body (0-based).
    public var lastDataRow: Int

    /// `D23`: the value cell of a form row.
    public func valueCell(_ rowID: String) -> String? {
        rowIndex[rowID].map { CellName.cell(row: $0, col: valueColumn) }
    }

    /// `'Phụ lục'!D23`: the value cell with its sheet, for formulas and links on other sheets.
    public func qualifiedValueCell(_ rowID: String) -> String? {
        valueCell(rowID).map { "\(CellName.quotedSheet(sheetName))!\($0)" }
    }

    /// `D23` of the note (Ghi chú) cell.
    public func noteCell(_ rowID: String) -> String? {
        rowIndex[rowID].map { CellName.cell(row: $0, col: noteColumn) }
    }
}

public final class OfficialWorkbookWriter {
    /// The wrapped workbook, for callers that add their own sheets (Kiểm tra, Chi tiết, Nguồn, charts).
    public let workbook: XlsxWorkbook
    public let document: DocumentInfo
    /// The hidden sheet holding long dropdown lists, created on first need.
    private var listSheet: XlsxWorksheet?
    private var listColumns: [[String]: String] = [:]
    /// Table cell formats, shared by every appendix sheet of the workbook.
    private let tableFormats = TableFormatCache()

    /// The name of the hidden sheet of dropdown lists.
    public static let listSheetName = "Danh mục"
    public static let generator = "bieumau 0.1.0"

    public init(path: String, document: DocumentInfo) throws {
        workbook = try XlsxWorkbook(path: path)
        self.document = document
        func opt(_ s: String) -> String? { s.isEmpty ? nil : s }
        try workbook.setProperties(title: opt(document.title), subject: opt(document.subject),
                                   author: opt(document.author), company: opt(document.company),
                                   comments: opt(document.comments))
        for (name, value) in document.customProperties.sorted(by: { $0.key < $1.key }) {
            try workbook.setCustomProperty(name: name, string: value)
        }
    }

    /// Writes the file.
    public func close() throws { try workbook.close() }

    // MARK: - The appendix sheet

    /// Writes one appendix in the official layout on a new sheet; returns where each row went.
    /// `password` protects a template sheet (≤ 24 characters); filled sheets are not protected.
    /// `ratioFormulas: false` writes ratio values exactly as received instead of formulas over their
    /// parts (an annotated copy must show what the unit wrote, not what a spreadsheet recomputes).
    @discardableResult
    public func addAppendixSheet(_ appendix: Appendix, name: String? = nil, mode: SheetMode = .filled,
                                 annotations: [String: CellAnnotation] = [:],
                                 password: String? = nil, ratioFormulas: Bool = true) throws -> AppendixSheetLayout {
        if let password, password.count > 24 {
            throw BieuMauError(.usage,
                vi: "Mật khẩu bảo vệ trang tính dài tối đa 24 ký tự (đang có \(password.count)).",
                en: "The sheet protection password may have at most 24 characters (it has \(password.count)).")
        }
        let form = appendix.form
        let sheetName = name ?? form.sheetName
        let ws = try workbook.addWorksheet(name: sheetName)
        let style = SheetStyle(workbook: workbook, cache: tableFormats)

        // Columns and page.
        for (col, width) in Layout.columnWidths.enumerated() {
            try ws.setColumn(first: col, width: width)
        }
        ws.setPaperA4()
        ws.setLandscape()
        ws.setMargins(left: Layout.mm(30), right: Layout.mm(15), top: Layout.mm(20), bottom: Layout.mm(20))
        ws.fitToPages(width: 1, height: 0)
        ws.centerHorizontally()
        try ws.setFooter("&C&\"Times New Roman,Regular\"&11Trang &P/&N")

        try writeHeaderBlock(ws, appendix: appendix, mode: mode, style: style)
        try writeTableHeader(ws, form: form, style: style)
        try ws.repeatRows(first: Layout.headerRows.lowerBound, last: Layout.headerRows.upperBound)
        try ws.freezePanes(row: Layout.firstDataRow, col: 0)

        var rowIndex: [String: Int] = [:]
        for (i, row) in form.rows.enumerated() { rowIndex[row.id] = Layout.firstDataRow + i }
        let layout = AppendixSheetLayout(
            sheetName: ws.name, rowIndex: rowIndex, codeColumn: Layout.code, labelColumn: Layout.label,
            unitColumn: Layout.unit, valueColumn: Layout.value, noteColumn: Layout.note,
            headerRows: Layout.headerRows, firstDataRow: Layout.firstDataRow,
            lastDataRow: Layout.firstDataRow + max(form.rows.count, 1) - 1)

        let plans = rowPlans(form, style: style)
        for (i, row) in form.rows.enumerated() {
            let r = Layout.firstDataRow + i
            let plan = plans[i]
            let cell = plan.cell
            try ws.writeString(row: r, col: Layout.code, plan.code, format: plan.codeFormat)
            try ws.writeString(row: r, col: Layout.label, row.label, format: plan.labelFormat)
            try ws.writeString(row: r, col: Layout.unit, row.unit, format: plan.unitFormat)
            let value = appendix.values[row.id] ?? .empty
            let annotation = annotations[row.id]
            var comment = annotation?.comment ?? ""
            switch mode {
            case .filled:
                let agreement = row.kind == .ratio ? RatioAgreement.of(row, in: appendix) : .notComparable
                if ratioFormulas, comment.isEmpty, let note = Self.ratioMismatchNote(agreement, row: row, form: form) {
                    // Kept as the unit wrote it, with the disagreement said in a comment on the cell
                    // (not printed; the printout shows the unit's value, as every viewer does).
                    comment = note.vi + "\n" + note.en
                }
                try writeFilledValue(ws, r: r, row: row, value: value, form: form, layout: layout,
                                     cell: cell, annotation: annotation, style: style,
                                     ratioFormula: ratioFormulas ? agreement : nil)
                try ws.writeString(row: r, col: Layout.note, value.note, format: plan.noteFormat)
            case .template:
                try writeTemplateValue(ws, r: r, row: row, form: form, layout: layout, cell: cell,
                                       annotation: annotation, style: style)
                var noteCell = cell
                noteCell.input = row.kind.holdsValue
                try ws.writeString(row: r, col: Layout.note, "", format: style.format(noteCell, .note))
            }
            try ws.setRow(r, height: rowHeight(baseLines: plan.baseLines, row: row,
                                               value: mode == .filled ? value : .empty, form: form, cell: cell))
            if !comment.isEmpty {
                try ws.writeComment(row: r, col: Layout.value, comment, author: "bieumau",
                                    width: 320, height: 120)
            }
        }

        if mode == .template {
            try ws.protect(password: password, options: ProtectionOptions(
                allowFormatCells: false, allowFormatColumns: true, allowFormatRows: true,
                allowSelectLocked: true, allowSelectUnlocked: true))
        }
        return layout
    }

    // MARK: Header block

    private func writeHeaderBlock(_ ws: XlsxWorksheet, appendix: Appendix, mode: SheetMode, style: SheetStyle) throws {
        let m = appendix.metadata
        let form = appendix.form
        let template = mode == .template
        func upper(_ s: String?) -> String {
            guard let s else { return "" }
            return TextNormalization.collapseWhitespace(TextNormalization.nfc(s)).uppercased()
        }
        let parent = upper(m.parentBody)
        let unit = upper(m.unit)
        // In a template, blank header cells are left open (unlocked, shaded) for the unit to fill.
        func headerSpec(_ spec: FormatSpec, blank: Bool) -> FormatSpec {
            var s = spec
            if template { s.locked = false; if blank { s.backgroundColor = Palette.input } }
            return s
        }
        let left = Layout.headerLeft, right = Layout.headerRight
        try ws.mergeRange(firstRow: 0, firstCol: left.lowerBound, lastRow: 0, lastCol: left.upperBound, parent,
                          format: workbook.addFormat(headerSpec(style.header(size: 12), blank: parent.isEmpty)))
        try ws.mergeRange(firstRow: 1, firstCol: left.lowerBound, lastRow: 1, lastCol: left.upperBound, unit,
                          format: workbook.addFormat(headerSpec(style.header(size: 12, bold: true), blank: unit.isEmpty)))
        try ws.mergeRange(firstRow: 0, firstCol: right.lowerBound, lastRow: 0, lastCol: right.upperBound,
                          "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", format: workbook.addFormat(style.header(size: 12, bold: true)))
        try ws.mergeRange(firstRow: 1, firstCol: right.lowerBound, lastRow: 1, lastCol: right.upperBound,
                          "Độc lập - Tự do - Hạnh phúc", format: workbook.addFormat(style.header(size: 13, bold: true)))
        try ws.setRow(0, height: 18)
        try ws.setRow(1, height: Layout.height(of: unit, widthUnits: Layout.width(left), fontSize: 12, bold: true, upper: true))
        try ws.setRow(2, height: 12)

        let full = 0...(Layout.columnWidths.count - 1)
        let fullWidth = Layout.width(full)
        try ws.mergeRange(firstRow: 3, firstCol: full.lowerBound, lastRow: 3, lastCol: full.upperBound,
                          form.appendixLabel, format: workbook.addFormat(style.header(size: 13, bold: true)))
        let title = upper(form.title)
        try ws.mergeRange(firstRow: 4, firstCol: full.lowerBound, lastRow: 4, lastCol: full.upperBound, title,
                          format: workbook.addFormat(style.header(size: 13, bold: true)))
        try ws.setRow(4, height: Layout.height(of: title, widthUnits: fullWidth, fontSize: 13, bold: true, upper: true))
        let reference = Self.referenceLine(m)
        try ws.mergeRange(firstRow: 5, firstCol: full.lowerBound, lastRow: 5, lastCol: full.upperBound, reference,
                          format: workbook.addFormat(headerSpec(style.header(size: 13, italic: true), blank: false)))
        try ws.setRow(5, height: Layout.height(of: reference, widthUnits: fullWidth, fontSize: 13))
        let period = Self.periodLine(m)
        try ws.mergeRange(firstRow: 6, firstCol: full.lowerBound, lastRow: 6, lastCol: full.upperBound, period,
                          format: workbook.addFormat(headerSpec(style.header(size: 13), blank: period.isEmpty)))
        try ws.setRow(6, height: 18)
        try ws.setRow(7, height: 8)
    }

    /// `(Kèm theo Báo cáo số 15/BC-UBND ngày 15/3/2023 của ỦY BAN NHÂN DÂN HUYỆN NGÂN SƠN)`, with `…`
    /// for what is not known.
    public static func referenceLine(_ m: Metadata) -> String {
        var number = TextNormalization.collapseWhitespace(m.reportNumber ?? "")
        if number.isEmpty { number = "…/BC-UBND" }
        else if number.hasPrefix("/") { number = "…" + number }
        else if !number.contains("/") { number += "/BC-UBND" }
        let date = m.reportDate?.vietnamese ?? "ngày …"
        let unit = m.unit.map { TextNormalization.collapseWhitespace(TextNormalization.nfc($0)) } ?? "…"
        return "(Kèm theo Báo cáo số \(number) \(date) của \(unit.isEmpty ? "…" : unit))"
    }

    /// `Quý I năm 2023`, the period as printed when it could not be read, or blank.
    public static func periodLine(_ m: Metadata) -> String {
        if let p = m.period { return p.vietnamese }
        return m.periodText.map { TextNormalization.collapseWhitespace(TextNormalization.nfc($0)) } ?? ""
    }

    private func writeTableHeader(_ ws: XlsxWorksheet, form: FormDefinition, style: SheetStyle) throws {
        let h = form.headers
        let f = workbook.addFormat(style.tableHeader())
        let top = Layout.headerRows.lowerBound, bottom = Layout.headerRows.upperBound
        try ws.mergeRange(firstRow: top, firstCol: Layout.code, lastRow: bottom, lastCol: Layout.code, h.code, format: f)
        try ws.mergeRange(firstRow: top, firstCol: Layout.label, lastRow: bottom, lastCol: Layout.label, h.label, format: f)
        try ws.mergeRange(firstRow: top, firstCol: Layout.unit, lastRow: top, lastCol: Layout.value, h.result, format: f)
        try ws.writeString(row: bottom, col: Layout.unit, h.unit, format: f)
        try ws.writeString(row: bottom, col: Layout.value, h.value, format: f)
        try ws.mergeRange(firstRow: top, firstCol: Layout.note, lastRow: bottom, lastCol: Layout.note, h.note, format: f)
        try ws.setRow(top, height: 20)
        try ws.setRow(bottom, height: 20)
    }

    // MARK: Values

    private func writeFilledValue(_ ws: XlsxWorksheet, r: Int, row: FormRow, value rv: RowValue, form: FormDefinition,
                                  layout: AppendixSheetLayout, cell: CellStyle, annotation: CellAnnotation?,
                                  style: SheetStyle, ratioFormula agreement: RatioAgreement?) throws {
        var cell = cell
        cell.annotation = annotation?.severity
        let col = Layout.value
        switch rv.value {
        case .empty:
            try ws.writeBlank(row: r, col: col, format: style.format(cell, .valueNumber(nil)))
        case .number(let n):
            let places = ValueFormat.places(row: row, value: rv, number: n)
            if row.kind == .ratio {
                let fraction = ValueFormat.fraction(ofPercent: n)
                let fmt = style.format(cell, .valueNumber(ValueFormat.percentFormat(places: places)))
                if let formula = Self.ratioFormula(row: row, layout: layout),
                   Self.formulaComputesExactly(agreement, fraction: fraction) {
                    // A live formula only where it computes exactly the unit's value (N(num)/N(den)
                    // in doubles, as a spreadsheet does), cached with that value: a viewer that
                    // recalculates (Excel with fullCalcOnLoad) and one that reads the cache
                    // (LibreOffice, calamine, openpyxl) show the same number.
                    try ws.writeFormula(row: r, col: col, formula, cachedNumber: fraction.doubleValue, format: fmt)
                } else {
                    // Disagreeing with its parts, agreeing only to the printed digits (2,30 for
                    // 2,3003…), parts missing, or 0 of 0: the unit's value as a constant.
                    try ws.writeNumber(row: r, col: col, fraction.doubleValue, format: fmt)
                }
            } else {
                try ws.writeNumber(row: r, col: col, n.doubleValue,
                                   format: style.format(cell, .valueNumber(ValueFormat.numberFormat(places: places))))
            }
        case .yesNo, .choices, .status, .text:
            // Yes/no as Có/Không, choices joined by "; ", status texts as text (never 0); on a numeric
            // row a text that could not be read as a number is kept exactly as received.
            let text = Self.displayedText(rv, row: row, form: form) ?? rv.raw
            try ws.writeString(row: r, col: col, text, format: style.format(cell, .valueText))
        }
    }

    private static func rawText(_ raw: String, fallback: String) -> String {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? fallback : TextNormalization.nfc(trimmed)
    }

    private func writeTemplateValue(_ ws: XlsxWorksheet, r: Int, row: FormRow, form: FormDefinition,
                                    layout: AppendixSheetLayout, cell: CellStyle, annotation: CellAnnotation?,
                                    style: SheetStyle) throws {
        var cell = cell
        cell.annotation = annotation?.severity
        let col = Layout.value
        guard row.kind.holdsValue else {
            try ws.writeBlank(row: r, col: col, format: style.format(cell, .valueNumber(nil)))
            return
        }
        if row.kind == .ratio, let formula = Self.ratioFormula(row: row, layout: layout) {
            cell.computed = true
            let fmt = style.format(cell, .valueNumber(ValueFormat.percentFormat(places: row.decimals ?? 0)))
            try ws.writeFormula(row: r, col: col, formula, cachedString: "", format: fmt)
            return
        }
        cell.input = true
        let statusHint = form.statusTexts.first.map { " Chưa có số liệu: ghi trạng thái, vd. \"\($0)\"." } ?? ""
        let statusHintEn = form.statusTexts.isEmpty ? "" : " Or a status text."
        let keep = " Chọn Yes/Có để vẫn giữ. / Choose Yes to keep it anyway."
        switch row.kind {
        case .count:
            try ws.writeBlank(row: r, col: col, format: style.format(cell, .valueNumber(ValueFormat.numberFormat(places: row.decimals ?? 0))))
            let minimum = Int(row.minimum.map { $0.doubleValue.rounded(.up) } ?? 0)
            try ws.dataValidation(firstRow: r, firstCol: col, DataValidation(
                rule: .wholeNumber(minimum: minimum),
                inputTitle: "Số nguyên / Whole number",
                inputMessage: "Nhập số nguyên ≥ \(minimum) (\(row.unit)).\(statusHint) / Whole number ≥ \(minimum).\(statusHintEn)",
                errorTitle: "Không phải số nguyên",
                errorMessage: "Ô này cần số nguyên ≥ \(minimum) (\(row.unit)).\(keep)",
                errorStyle: .warning))
        case .money:
            try ws.writeBlank(row: r, col: col, format: style.format(cell, .valueNumber(ValueFormat.numberFormat(places: row.decimals ?? 3))))
            try ws.dataValidation(firstRow: r, firstCol: col, DataValidation(
                rule: .decimal(minimum: 0, maximum: nil),
                inputTitle: "Số tiền / Amount",
                inputMessage: "Nhập số ≥ 0 (\(row.unit)), có thể có phần thập phân.\(statusHint) / A number ≥ 0.\(statusHintEn)",
                errorTitle: "Không phải số ≥ 0",
                errorMessage: "Ô này cần một số ≥ 0 (\(row.unit)).\(keep)",
                errorStyle: .warning))
        case .ratio:
            try ws.writeBlank(row: r, col: col, format: style.format(cell, .valueNumber(ValueFormat.percentFormat(places: row.decimals ?? 0))))
            let lo = (row.minimum ?? .zero), hi = (row.maximum ?? ExactDecimal(100))
            try ws.dataValidation(firstRow: r, firstCol: col, DataValidation(
                rule: .decimal(minimum: ValueFormat.fraction(ofPercent: lo).doubleValue,
                               maximum: ValueFormat.fraction(ofPercent: hi).doubleValue),
                inputTitle: "Tỷ lệ % / Percentage",
                inputMessage: "Nhập tỷ lệ từ \(lo)% đến \(hi)%, vd. 25%.\(statusHint) / A percentage from \(lo)% to \(hi)%.\(statusHintEn)",
                errorTitle: "Tỷ lệ ngoài khoảng",
                errorMessage: "Ô này cần tỷ lệ từ \(lo)% đến \(hi)%.\(keep)",
                errorStyle: .warning))
        case .yesno:
            try ws.writeBlank(row: r, col: col, format: style.format(cell, .valueText))
            let items = [form.yesTexts.first ?? "Có", form.noTexts.first ?? "Không"]
            try ws.dataValidation(firstRow: r, firstCol: col, DataValidation(
                rule: try listRule(items),
                inputTitle: "Có / Không",
                inputMessage: "Chọn \(items.joined(separator: " hoặc ")). / Choose yes or no.",
                errorTitle: "Chọn trong danh sách",
                errorMessage: "Hãy chọn \(items.joined(separator: " hoặc ")).\(keep)",
                errorStyle: .warning))
        case .choice:
            try ws.writeBlank(row: r, col: col, format: style.format(cell, .valueText))
            if !row.choices.isEmpty {
                try ws.dataValidation(firstRow: r, firstCol: col, DataValidation(
                    rule: try listRule(row.choices),
                    inputTitle: "Chọn / Choose",
                    inputMessage: "Chọn trong danh sách; nhiều lựa chọn thì ghi cách nhau bởi dấu chấm phẩy (;). / Pick from the list; separate several with ';'.",
                    errorTitle: "Chọn trong danh sách",
                    errorMessage: "Giá trị không có trong danh sách (nhiều lựa chọn: cách nhau bởi ;).\(keep)",
                    errorStyle: .warning))
            }
        case .text, .section, .group:
            try ws.writeBlank(row: r, col: col, format: style.format(cell, .valueText))
        }
    }

    /// A literal dropdown when it fits, else a range on the hidden list sheet.
    private func listRule(_ items: [String]) throws -> ValidationRule {
        let clean = items.map { TextNormalization.nfc($0) }
        if DataValidation.fitsLiteralList(clean) { return .list(clean) }
        if let range = listColumns[clean] { return .listRange(range) }
        let sheet: XlsxWorksheet
        if let s = listSheet {
            sheet = s
        } else {
            var name = Self.listSheetName
            var n = 2
            while workbook.worksheet(named: name) != nil { name = "\(Self.listSheetName) \(n)"; n += 1 }
            sheet = try workbook.addWorksheet(name: name)
            sheet.hide()
            listSheet = sheet
        }
        let col = listColumns.count
        for (i, item) in clean.enumerated() { try sheet.writeString(row: i, col: col, item) }
        let range = "=" + CellName.range(sheet: sheet.name, firstRow: 0, firstCol: col,
                                         lastRow: max(clean.count - 1, 0), lastCol: col)
        listColumns[clean] = range
        return .listRange(range)
    }

    /// Per form row, what every appendix sheet of the workbook writes the same way (a merged
    /// workbook writes the form once per unit): the code cell's text, the formats of the code,
    /// label, unit and (filled) note cells, and the lines of the wrapped label and unit.
    struct RowPlan {
        let cell: CellStyle
        let code: String
        let codeFormat: XlsxFormat, labelFormat: XlsxFormat, unitFormat: XlsxFormat, noteFormat: XlsxFormat
        let baseLines: Int
    }
    /// The plans of the last form written (forms are values: reused only for equal rows).
    private var plans: (form: String, version: Int, rows: [FormRow], plans: [RowPlan])?

    private func rowPlans(_ form: FormDefinition, style: SheetStyle) -> [RowPlan] {
        if let p = plans, p.form == form.id, p.version == form.version, p.rows == form.rows { return p.plans }
        let w = Layout.columnWidths
        let built = form.rows.map { row -> RowPlan in
            let cell = CellStyle(row: row)
            let label = Layout.lines(of: row.label, widthUnits: w[Layout.label] - Double(cell.indent) * 1.5,
                                     fontSize: SheetStyle.tableSize, bold: cell.bold)
            let unit = Layout.lines(of: row.unit, widthUnits: w[Layout.unit], fontSize: SheetStyle.tableSize, bold: cell.bold)
            return RowPlan(cell: cell, code: row.code.isEmpty ? (row.marker ?? "") : row.code,
                           codeFormat: style.format(cell, .code), labelFormat: style.format(cell, .label),
                           unitFormat: style.format(cell, .unit), noteFormat: style.format(cell, .note),
                           baseLines: max(label, unit))
        }
        plans = (form.id, form.version, form.rows, built)
        return built
    }

    /// The height fitting the row's wrapped label and unit (`baseLines`), text value and note.
    private func rowHeight(baseLines: Int, row: FormRow, value: RowValue, form: FormDefinition, cell: CellStyle) -> Double {
        let w = Layout.columnWidths
        var lines = baseLines
        if !value.note.isEmpty {
            lines = max(lines, Layout.lines(of: value.note, widthUnits: w[Layout.note], fontSize: SheetStyle.tableSize))
        }
        if let text = Self.displayedText(value, row: row, form: form) {
            lines = max(lines, Layout.lines(of: text, widthUnits: w[Layout.value], fontSize: SheetStyle.tableSize, bold: cell.bold))
        }
        return Layout.height(lines: lines, fontSize: SheetStyle.tableSize)
    }

    /// The text a filled value cell shows, for values written as text.
    static func displayedText(_ rv: RowValue, row: FormRow, form: FormDefinition) -> String? {
        switch rv.value {
        case .empty, .number: return nil
        case .yesNo(let yes): return yes ? (form.yesTexts.first ?? "Có") : (form.noTexts.first ?? "Không")
        case .choices(let items): return items.joined(separator: "; ")
        case .status(let s): return s
        case .text(let t): return row.kind.isNumeric ? rawText(rv.raw, fallback: t) : t
        }
    }

    /// `=IF(N(D57)=0,"",N(D58)/N(D57))` for a ratio row with numerator and denominator rows.
    /// `N()` reads a status text in a part as 0, so the ratio shows blank rather than #VALUE!.
    /// True when the ratio agrees with its parts and the spreadsheet's N(num)/N(den) is exactly
    /// the unit's fraction (25 % = 14/56, 100 % = 7/7), so the formula shows what the unit wrote.
    public static func formulaComputesExactly(_ agreement: RatioAgreement?, fraction: ExactDecimal) -> Bool {
        guard case .agrees(_, let num, let den)? = agreement else { return false }
        return num.doubleValue / den.doubleValue == fraction.doubleValue
    }

    /// The note put on a ratio written as a constant because it disagrees with its parts (nil otherwise).
    public static func ratioMismatchNote(_ agreement: RatioAgreement, row: FormRow, form: FormDefinition) -> Localized? {
        let code = form.displayCode(of: row.id)
        switch agreement {
        case .disagrees(let value, let num, let den, let expected, let places):
            let v = value.formatted(.vi), e = expected.formatted(.vi, places: places)
            let ve = value.formatted(.en), ee = expected.formatted(.en, places: places)
            return Localized(
                vi: "Tỷ lệ \(code) ghi \(v)% nhưng tử số/mẫu số \(num.formatted(.vi))/\(den.formatted(.vi)) = \(e)%. Giữ nguyên giá trị đơn vị ghi (không dùng công thức) để mọi chương trình hiển thị cùng một số; cần sửa tỷ lệ hoặc tử số/mẫu số.",
                en: "Ratio \(code) reads \(ve)% but its parts \(num.formatted(.en))/\(den.formatted(.en)) make \(ee)%. The unit's value is kept as written (no formula) so every viewer shows the same number; the ratio or its parts need correcting.")
        case .zeroDenominator(let value) where !value.isZero:
            return Localized(
                vi: "Tỷ lệ \(code) ghi \(value.formatted(.vi))% nhưng mẫu số bằng 0. Giữ nguyên giá trị đơn vị ghi (không dùng công thức); cần sửa tỷ lệ hoặc mẫu số.",
                en: "Ratio \(code) reads \(value.formatted(.en))% but its denominator is 0. The unit's value is kept as written (no formula); the ratio or its denominator needs correcting.")
        default:
            return nil
        }
    }

    public static func ratioFormula(row: FormRow, layout: AppendixSheetLayout) -> String? {
        guard row.kind == .ratio, let num = row.numerator, let den = row.denominator,
              let n = layout.valueCell(num), let d = layout.valueCell(den) else { return nil }
        return "=IF(N(\(d))=0,\"\",N(\(n))/N(\(d)))"
    }

    // MARK: - Convenience

    /// Writes a whole single-appendix workbook atomically, with document properties from the appendix.
    public static func writeAppendix(_ appendix: Appendix, to path: String, force: Bool, mode: SheetMode = .filled,
                                     password: String? = nil) throws {
        let kind: String
        if mode == .template { kind = "template" }
        else if appendix.metadata.isMergedWorkbook { kind = "merged" }
        else { kind = "appendix" }
        let info = documentInfo(for: appendix, kind: kind)
        try AtomicOutput.write(to: path, force: force) { tmp in
            let writer = try OfficialWorkbookWriter(path: tmp, document: info)
            try writer.addAppendixSheet(appendix, mode: mode, password: password)
            try writer.close()
        }
    }

    /// Document properties for an appendix; `kind` is `appendix`, `merged` or `template`.
    public static func documentInfo(for appendix: Appendix, kind: String) -> DocumentInfo {
        let m = appendix.metadata
        let form = appendix.form
        var custom: [String: String] = [
            WorkbookProperty.form: form.id,
            WorkbookProperty.formVersion: String(form.version),
            WorkbookProperty.kind: kind,
            WorkbookProperty.sheet: form.sheetName,
            WorkbookProperty.generator: generator,
        ]
        func put(_ key: String, _ value: String?) {
            guard let value else { return }
            let v = TextNormalization.collapseWhitespace(TextNormalization.nfc(value))
            if !v.isEmpty { custom[key] = v }
        }
        put(WorkbookProperty.unit, m.unit)
        put(WorkbookProperty.parentBody, m.parentBody)
        put(WorkbookProperty.period, m.period.map(WorkbookProperty.encode) ?? m.periodText)
        put(WorkbookProperty.reportNumber, m.reportNumber)
        if let units = m.mergedUnits { custom[WorkbookProperty.unitCount] = String(units) }
        let title = TextNormalization.collapseWhitespace("\(form.appendixLabel): \(form.title)")
        return DocumentInfo(
            title: title,
            subject: periodLine(m),
            author: "bieumau",
            company: m.unit.map { TextNormalization.collapseWhitespace(TextNormalization.nfc($0)) } ?? "",
            comments: "Biểu mẫu \(form.id) phiên bản \(form.version); tạo bởi \(generator). / Form \(form.id) version \(form.version), written by \(generator).",
            customProperties: custom)
    }
}
