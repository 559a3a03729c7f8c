import AppendixModel
import FormSchema
import Foundation
import SheetGrid
import Support

/// The column kinds of the appendix table.
public enum TableColumn: String, Sendable, Hashable, CaseIterable {
    case code, label, unit, value, note

    /// The header as the user sees it in messages.
    func printed(_ headers: TableHeaders) -> String {
        switch self {
        case .code: return headers.code
        case .label: return headers.label
        case .unit: return headers.unit
        case .value: return headers.value
        case .note: return headers.note
        }
    }
}

/// Where the table is in a grid.
public struct TableLayout: Sendable, Hashable {
    /// Position in `grid.rows` of the (first) header row.
    public var headerRow: Int
    /// Position in `grid.rows` of the first row below the header.
    public var firstDataRow: Int
    /// 0-based columns.
    public var columns: [TableColumn: Int]
    /// The value column's heading when it is not "Số liệu" (e.g. the period, "Quý I/2023").
    public var valueHeading: String?
    public var valueHeadingLocation: SourceLocation?

    public func column(_ c: TableColumn) -> Int? { columns[c] }
}

/// Header texts accepted for each column: the forms' own headings plus common variants.
public struct HeaderVocabulary: Sendable {
    var keys: [TableColumn: Set<String>]
    /// Headings that span columns ("Kết quả thống kê").
    var spanning: Set<String>
    /// Longest heading text accepted, with room for "(nếu có)"-style additions.
    var maxHeadingLength = 40
    /// The headings printed by the form, for messages.
    public var printed: TableHeaders

    public init(forms: [FormDefinition]) {
        var k: [TableColumn: Set<String>] = [:]
        func add(_ c: TableColumn, _ texts: [String]) { for t in texts { k[c, default: []].insert(LabelKey.make(t)) } }
        add(.code, ["STT", "TT", "Số TT", "Số thứ tự", "Mã số"])
        add(.label, ["Chỉ tiêu thống kê", "Chỉ tiêu", "Tên chỉ tiêu", "Nội dung", "Nội dung chỉ tiêu"])
        add(.unit, ["Đơn vị tính", "ĐVT", "Đơn vị"])
        add(.value, ["Số liệu", "Giá trị", "Số liệu thống kê"])
        add(.note, ["Ghi chú"])
        var spanning: Set<String> = [LabelKey.make("Kết quả thống kê"), LabelKey.make("Kết quả")]
        for f in forms {
            add(.code, [f.headers.code])
            add(.label, [f.headers.label])
            add(.unit, [f.headers.unit])
            add(.value, [f.headers.value])
            add(.note, [f.headers.note])
            spanning.insert(LabelKey.make(f.headers.result))
        }
        keys = k
        self.spanning = spanning
        let longest = forms.flatMap { [$0.headers.code, $0.headers.label, $0.headers.result, $0.headers.unit, $0.headers.value, $0.headers.note] }
            .map { $0.unicodeScalars.count }.max() ?? 0
        maxHeadingLength = max(40, longest + 20)
        printed = forms.first?.headers ?? TableHeaders()
    }

    /// The vocabulary of a list of forms, built once per distinct set of headings (every file of a
    /// merge asks for the same one, twice).
    static func of(_ forms: [FormDefinition]) -> HeaderVocabulary {
        cache.value(forms.map(\.headers)) { HeaderVocabulary(forms: forms) }
    }
    private static let cache = Memo<[TableHeaders], HeaderVocabulary>(limit: 64)

    /// Headings are short and start with a letter: anything else is rejected before the costly key.
    private func couldBeHeading(_ text: String) -> Bool {
        guard let b = text.utf8.first else { return false }
        if b < 0x80 && b != UInt8(ascii: "<") {
            // An ASCII first byte: the first character is a letter exactly when the byte is one.
            let lower = b | 0x20
            guard lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z") else { return false }
        } else {
            guard let first = text.first, first.isLetter || first == "<" else { return false }
        }
        // Scalars are at most the UTF-8 bytes and at least a quarter of them: count only in between.
        let bytes = text.utf8.count
        if bytes <= maxHeadingLength { return true }
        if bytes > 4 * maxHeadingLength { return false }
        // Scalars counted as the bytes that open one (not 10xxxxxx), on the contiguous bytes.
        var t = text
        let scalars = t.withUTF8 { b in b.reduce(0) { $0 + ($1 & 0xC0 != 0x80 ? 1 : 0) } }
        return scalars <= maxHeadingLength
    }

    /// The column kind a header cell names, if any (answers kept per text: the header and title
    /// cells are the same in every unit's file).
    func column(for text: String) -> TableColumn? {
        guard couldBeHeading(text) else { return nil }
        return memo.value(UTF8Key(text)) { columnUncached(text) }
    }

    private let memo = Memo<UTF8Key, TableColumn?>(limit: 10_000)

    private func columnUncached(_ text: String) -> TableColumn? {
        let key = LabelKey.make(text)
        guard !key.isEmpty else { return nil }
        for c in TableColumn.allCases where keys[c]?.contains(key) == true { return c }
        // "Số liệu (lũy kế)", "Ghi chú (nếu có)": a known heading followed by more words.
        for c in [TableColumn.value, .note] {
            for k in keys[c] ?? [] where key.hasPrefix(k + " ") { return c }
        }
        return nil
    }

    func isHeaderText(_ text: String) -> Bool {
        guard couldBeHeading(text) else { return false }
        return column(for: text) != nil || spanning.contains(LabelKey.make(text))
    }

    /// A heading of the column it stands in (or a spanning one): a repeated header row. A note in
    /// the label column that opens with a heading's words ("Ghi chú: …", "Số liệu tạm tính …")
    /// is not one.
    func isHeaderText(_ text: String, in columnKind: TableColumn?) -> Bool {
        guard couldBeHeading(text) else { return false }
        if spanning.contains(LabelKey.make(text)) { return true }
        guard let c = column(for: text) else { return false }
        return columnKind == nil || c == columnKind
    }
}

enum LayoutFinder {
    static func text(_ cell: Cell) -> String { InputRowReader.clean(cell.value) }

    /// Finds the header rows; nil when no row has both the code and the label heading.
    static func find(in grid: Grid, vocabulary: HeaderVocabulary) -> TableLayout? {
        for (pos, row) in grid.rows.enumerated() {
            var found: [TableColumn: Int] = [:]
            for cell in row.cells {
                if let c = vocabulary.column(for: text(cell)), found[c] == nil { found[c] = cell.column }
            }
            guard found[.code] != nil, found[.label] != nil else { continue }
            var next = pos + 1
            if pos + 1 < grid.rows.count {
                let second = grid.rows[pos + 1]
                let secondCells = second.cells.filter { !$0.value.isEmpty }
                // Mostly headings (an extra column may carry anything), and no row code under STT.
                let headings = secondCells.filter { vocabulary.isHeaderText(text($0)) }.count
                let codeCell = found[.code].flatMap { second.cell(at: $0) }.map(text) ?? ""
                let looksLikeData = codeCell.first?.isNumber == true
                if headings > 0 && headings * 2 >= secondCells.count && !looksLikeData {
                    for cell in secondCells {
                        if let c = vocabulary.column(for: text(cell)), found[c] == nil { found[c] = cell.column }
                    }
                    next = pos + 2
                }
            }
            var valueHeading: (String, Int, Int)?
            if found[.value] == nil {
                // "Kết quả" alone over the values, or the period itself as the heading ("Quý I/2023").
                let taken = Set(found.values)
                outer: for r in pos..<next {
                    for cell in grid.rows[r].cells where !taken.contains(cell.column) {
                        let t = text(cell)
                        if vocabulary.spanning.contains(LabelKey.make(t)) || Period.parse(t) != nil {
                            found[.value] = cell.column
                            valueHeading = (t, r, cell.column)
                            break outer
                        }
                    }
                }
            }
            var layout = TableLayout(headerRow: pos, firstDataRow: next, columns: found)
            if let (t, r, c) = valueHeading {
                layout.valueHeading = t
                layout.valueHeadingLocation = grid.location(row: grid.rows[r], column: c)
            }
            return layout
        }
        return nil
    }

    /// Like `find`, but explains what is missing.
    static func require(in grid: Grid, vocabulary: HeaderVocabulary) throws -> TableLayout {
        let file = grid.fileName
        let sheetLoc: SourceLocation = {
            if let s = grid.sheetName { return SourceLocation(file: grid.fileName, sheet: s) }
            return SourceLocation(file: file)
        }()
        let h = vocabulary.printed
        guard let layout = find(in: grid, vocabulary: vocabulary) else {
            // Say which of the two key headings was seen, if any.
            var sawCode = false, sawLabel = false
            for row in grid.rows { for cell in row.cells {
                switch vocabulary.column(for: text(cell)) {
                case .code?: sawCode = true
                case .label?: sawLabel = true
                default: break
                }
            } }
            let missing = [sawCode ? nil : h.code, sawLabel ? nil : h.label].compactMap { $0 }
                .map { "'\($0)'" }.joined(separator: ", ")
            let missingText = missing.isEmpty ? "'\(h.code)', '\(h.label)'" : missing
            throw BieuMauError(.dataError,
                vi: "không tìm thấy bảng phụ lục: thiếu dòng tiêu đề có cột \(missingText) (cùng một dòng). Hãy giữ nguyên dòng tiêu đề của biểu (STT | Chỉ tiêu thống kê | Đơn vị tính | Số liệu | Ghi chú).",
                en: "the appendix table was not found: no header row with the column(s) \(missingText) (on one row). Keep the form's header row (STT | Chỉ tiêu thống kê | Đơn vị tính | Số liệu | Ghi chú).",
                at: sheetLoc)
        }
        return try checkColumns(layout, in: grid, vocabulary: vocabulary)
    }

    /// A found table must have the unit and value columns too.
    static func checkColumns(_ layout: TableLayout, in grid: Grid, vocabulary: HeaderVocabulary) throws -> TableLayout {
        let h = vocabulary.printed
        let missing = [TableColumn.unit, .value].filter { layout.columns[$0] == nil }
        if !missing.isEmpty {
            let names = missing.map { "'\($0.printed(h))'" }.joined(separator: ", ")
            let row = grid.rows[layout.headerRow]
            throw BieuMauError(.dataError,
                vi: "bảng thiếu cột \(names) ở dòng tiêu đề (hoặc dòng tiêu đề thứ hai ngay dưới). Hãy thêm cột này với đúng tên tiêu đề.",
                en: "the table has no \(names) column in its header row (or the second header row below it). Add the column with that heading.",
                at: grid.location(row: row, column: layout.columns[.code] ?? 0).droppingColumn())
        }
        return layout
    }
}

extension SourceLocation {
    /// For CSV: the line only.
    func droppingColumn() -> SourceLocation {
        var c = self
        if c.line != nil { c.column = nil }
        return c
    }
}
