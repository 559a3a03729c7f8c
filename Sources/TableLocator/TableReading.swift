import AppendixModel
import FormSchema
import Foundation
import SheetGrid
import Support

/// One row of an appendix table read without a form (for `forms import`): the same reading as
/// the locator's (header, repeated headers, column numbers, footers and continuation lines),
/// with the cells kept for the evidence a form is inferred from.
public struct TableRowText: Sendable {
    /// The printed code (`3.3.1`), empty when the STT cell is blank or holds a marker.
    public var code: String
    /// Text in the STT cell that is not a code (`Trong đó`).
    public var marker: String
    /// The label with its continuation lines joined.
    public var label: String
    /// How many continuation lines were joined to the label.
    public var continuationCount: Int
    public var unit: String
    public var note: String
    /// The value cell (value, formula, number format).
    public var valueCell: Cell?
    /// The label cell (bold, italic).
    public var labelCell: Cell?
    /// The code cell (bold).
    public var codeCell: Cell?
    /// The 0-based row index in the sheet (for formulas naming it: `D57` is row 56).
    public var sheetRow: Int
    /// Where the row's label is, for messages and comments.
    public var location: SourceLocation

    /// The value cell as the appendix reader sees it (numbers exact, percent formats noted).
    public var valueInput: CellInput { TableLocator.cellInput(valueCell) }
}

/// An appendix table read without a form.
public struct FormFreeTable: Sendable {
    public var layout: TableLayout
    /// The headings printed over each column.
    public var headings: [TableColumn: String]
    /// A heading spanning the unit and value columns (`Kết quả thống kê`), if printed.
    public var spanningHeading: String?
    public var rows: [TableRowText]
    /// Who/when/which title, from the lines above the table.
    public var metadata: Metadata
    /// The `Phụ lục …` line above the table, if any.
    public var appendixLine: String?
}

extension TableLocator {
    /// The headings every form accepts (`STT`, `Chỉ tiêu thống kê`, `Đơn vị tính`, …), with no form.
    public static var standardVocabulary: HeaderVocabulary { HeaderVocabulary.of([]) }

    /// Whether the grid holds an appendix table (a header row with the code and label headings),
    /// judged with the standard headings only.
    public static func hasTable(_ grid: Grid) -> Bool {
        LayoutFinder.find(in: grid, vocabulary: standardVocabulary) != nil
    }

    /// Reads the appendix table of `grid` without a form: the header found by the locator's own
    /// rules (a clear error saying which heading is missing), then every row below it.
    public static func readWithoutForm(_ grid: Grid) throws -> FormFreeTable {
        let vocabulary = standardVocabulary
        let layout = try LayoutFinder.require(in: grid, vocabulary: vocabulary)
        // Without a form nothing "names a row": every label-only line continues the row above.
        let inputRows = InputRowReader.read(grid: grid, layout: layout, vocabulary: vocabulary, namesSomething: { _ in false })
        var headings: [TableColumn: String] = [:]
        var spanning: String?
        for pos in layout.headerRow..<min(layout.firstDataRow, grid.rows.count) {
            for cell in grid.rows[pos].cells {
                let t = LayoutFinder.text(cell)
                if let c = vocabulary.column(for: t), layout.columns[c] == cell.column, headings[c] == nil {
                    headings[c] = t
                } else if spanning == nil, vocabulary.spanning.contains(LabelKey.make(t)) {
                    spanning = t
                }
            }
        }
        if headings[.value] == nil, let v = layout.valueHeading { headings[.value] = v }
        var appendixLine: String?
        for pos in 0..<min(layout.headerRow, grid.rows.count) {
            for cell in grid.rows[pos].cells {
                let t = LayoutFinder.text(cell)
                if appendixLine == nil, t.lowercased().hasPrefix("phụ lục") { appendixLine = t }
            }
        }
        let lc = layout.columns[.label] ?? 0
        let cc = layout.columns[.code]
        let rows = inputRows.map { r in
            TableRowText(code: r.code, marker: r.marker, label: r.fullLabel, continuationCount: r.continuations.count,
                         unit: r.unit, note: r.note, valueCell: r.valueCell, labelCell: r.gridRow.cell(at: lc),
                         codeCell: cc.flatMap { r.gridRow.cell(at: $0) }, sheetRow: r.gridRow.index,
                         location: grid.location(row: r.gridRow, column: lc))
        }
        return FormFreeTable(layout: layout, headings: headings, spanningHeading: spanning, rows: rows,
                             metadata: MetadataReader.read(grid: grid, above: layout.headerRow), appendixLine: appendixLine)
    }
}
