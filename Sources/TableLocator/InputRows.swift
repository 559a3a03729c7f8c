import FormSchema
import SheetGrid
import Support

/// One row of the table as printed, with any label continuation rows that follow it.
struct InputRow: Sendable {
    var gridRow: GridRow
    /// Position in `grid.rows`.
    var position: Int
    /// The code (`3.3.1`), empty when the STT cell is blank or holds a marker.
    var code: String
    /// Text in the STT cell that is not a code (`Trong đó`).
    var marker: String
    /// The label as printed on this row (NFC, white space collapsed, markup removed).
    var label: String
    var unit: String
    var valueCell: Cell?
    var note: String
    /// Labels of the continuation rows absorbed (page-break splits).
    var continuations: [String] = []

    var hasCode: Bool { !code.isEmpty }

    /// The label with its continuations, unless a continuation only repeats the label's last words.
    var fullLabel: String {
        var text = label
        for c in continuations {
            let key = LabelKey.make(text), ck = LabelKey.make(c)
            if key.hasSuffix(ck) { continue }
            text += " " + c
        }
        return text
    }

    /// Labels to try when matching, best first.
    var candidateLabels: [String] {
        continuations.isEmpty ? [label] : [fullLabel, label]
    }

    var isLabelOnly: Bool {
        code.isEmpty && marker.isEmpty && unit.isEmpty && note.isEmpty && !label.isEmpty
            && (valueCell.map { $0.value.isEmpty } ?? true)
    }
}

enum InputRowReader {
    static func clean(_ v: CellValue) -> String {
        TextNormalization.collapseWhitespace(TextNormalization.stripMarkup(TextNormalization.nfc(v.plainText)))
    }

    /// `1`, `1.2`, `3.3.1` (a trailing dot is dropped).
    static func code(from text: String) -> String? {
        var t = Substring(text)
        if t.hasSuffix(".") { t = t.dropLast() }
        guard !t.isEmpty else { return nil }
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else { return nil }
        return parts.joined(separator: ".")
    }

    /// Texts that open the block under a report's table (recipients, signatures), in any administration.
    static let footerPrefixes = [
        "nơi nhận", "người lập", "người tổng hợp", "người ký", "thủ trưởng", "tm.", "tm ", "kt.", "kt ",
        "chủ tịch", "phó chủ tịch", "giám đốc", "trưởng phòng", "chánh văn phòng", "xác nhận", "(ký", "ký tên",
        "lưu:", "lưu vt", "- lưu", "như trên", "ghi chú:", "ghi chú :",
    ]

    /// A row of the signature block: no code, and every text it holds opens like a footer line.
    static func isFooter(_ texts: [String], codeText: String) -> Bool {
        guard !texts.isEmpty, code(from: codeText) == nil else { return false }
        return texts.allSatisfy { t in
            let lower = t.lowercased()
            return footerPrefixes.contains { lower.hasPrefix($0) }
        }
    }

    /// A row of column numbers under the header: `1 2 3 4 5` or `(1) (2) (3)`.
    static func isColumnNumberRow(_ row: GridRow) -> Bool {
        let texts = row.cells.map { clean($0.value) }.filter { !$0.isEmpty }
        guard texts.count >= 3 else { return false }
        let numbers = texts.map { t -> Int? in
            var s = Substring(t)
            if s.hasPrefix("("), s.hasSuffix(")") { s = s.dropFirst().dropLast() }
            return Int(s)
        }
        guard numbers.allSatisfy({ $0 != nil }) else { return false }
        let n = numbers.map { $0! }
        return zip(n, n.dropFirst()).allSatisfy { $1 == $0 + 1 }
    }

    /// Rows below the header: blanks, repeated headers and column numbers skipped,
    /// label-only rows absorbed as continuations of the row before when they name nothing themselves.
    static func read(grid: Grid, layout: TableLayout, vocabulary: HeaderVocabulary,
                     namesSomething: (String) -> Bool) -> [InputRow] {
        var rows: [InputRow] = []
        let cc = layout.columns[.code], lc = layout.columns[.label]
        let uc = layout.columns[.unit], vc = layout.columns[.value], nc = layout.columns[.note]
        let known = Set([cc, lc, uc, vc, nc].compactMap { $0 })
        var position = layout.firstDataRow
        while position < grid.rows.count {
            defer { position += 1 }
            let g = grid.rows[position]
            if g.isBlank { continue }
            let nonEmpty = g.cells.filter { !$0.value.isEmpty }
            // A repeated header (page break): every cell in the table's columns is a heading.
            let inTable = nonEmpty.filter { known.contains($0.column) }
            if !inTable.isEmpty && inTable.allSatisfy({ vocabulary.isHeaderText(clean($0.value)) }) { continue }
            if isColumnNumberRow(g) { continue }
            // The signature block under the table ends it.
            if isFooter(nonEmpty.map { clean($0.value) }, codeText: cc.map { clean(g.value(at: $0)) } ?? "") { break }
            let stt = cc.map { clean(g.value(at: $0)) } ?? ""
            let parsedCode = code(from: stt)
            var r = InputRow(
                gridRow: g, position: position,
                code: parsedCode ?? "",
                marker: parsedCode == nil ? stt : "",
                label: lc.map { clean(g.value(at: $0)) } ?? "",
                unit: uc.map { clean(g.value(at: $0)) } ?? "",
                valueCell: vc.flatMap { g.cell(at: $0) },
                note: nc.map { clean(g.value(at: $0)) } ?? "")
            // Cells outside the known columns do not make a row (extra columns are ignored).
            if r.label.isEmpty && r.code.isEmpty && r.marker.isEmpty && r.unit.isEmpty && r.note.isEmpty
                && (r.valueCell?.value.isEmpty ?? true) && nonEmpty.allSatisfy({ !known.contains($0.column) }) {
                continue
            }
            if r.isLabelOnly, !rows.isEmpty, !namesSomething(r.label) {
                rows[rows.count - 1].continuations.append(r.label)
                continue
            }
            if r.marker == "-" || r.marker == "+" || r.marker == "•" { r.marker = "" }
            rows.append(r)
        }
        return rows
    }
}

/// The form rows each label key names, built once per form: an input label is keyed once and
/// looked up, instead of being compared with every row (LabelKey is costly on long labels).
struct LabelIndex: Sendable {
    private var byExact: [String: Set<String>] = [:]
    private var byLoose: [String: Set<String>] = [:]

    init(form: FormDefinition) {
        for row in form.rows {
            for label in row.acceptedLabels {
                byExact[LabelKey.make(label), default: []].insert(row.id)
                byLoose[LabelKey.loose(label), default: []].insert(row.id)
            }
        }
    }

    /// Ids of the rows `label` names (the same answer as `FormRow.matchesLabel` for each row).
    func rowIDs(matching label: String) -> Set<String> {
        let exact = byExact[LabelKey.make(label)] ?? []
        let loose = byLoose[LabelKey.loose(label)] ?? []
        return exact.union(loose)
    }

    func rowIDs(matchingAny labels: [String]) -> Set<String> {
        labels.reduce(into: Set<String>()) { $0.formUnion(rowIDs(matching: $1)) }
    }

    func namesSomething(_ label: String) -> Bool { !rowIDs(matching: label).isEmpty }
}
