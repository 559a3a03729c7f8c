import FormSchema
import Foundation
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
    private(set) var continuations: [String] = []
    /// The label with its continuations, unless a continuation only repeats the label's last words;
    /// built as continuations are absorbed (linear in the rows, whatever their number).
    private(set) var fullLabel: String
    /// `LabelKey.make` of `fullLabel`, kept beside it (word keys joined by spaces).
    private var fullKey: String?
    /// Text-only rows met under this row that are not part of its label (a note typed inside the
    /// table): reported, never glued onto the label.
    var noteRows: [(text: String, gridRow: GridRow)] = []

    init(gridRow: GridRow, position: Int, code: String, marker: String, label: String, unit: String,
         valueCell: Cell?, note: String) {
        self.gridRow = gridRow
        self.position = position
        self.code = code
        self.marker = marker
        self.label = label
        self.unit = unit
        self.valueCell = valueCell
        self.note = note
        self.fullLabel = label
    }

    var hasCode: Bool { !code.isEmpty }

    /// The grid rows the continuations came from (for a message when they turn out to be notes).
    private(set) var continuationRows: [GridRow] = []

    /// Glues a continuation row's label on (a page-break split).
    mutating func absorb(_ continuation: String, from gridRow: GridRow) {
        continuations.append(continuation)
        continuationRows.append(gridRow)
        let key = fullKey ?? LabelKey.make(fullLabel)
        let ck = LabelKey.make(continuation)
        if key.hasSuffix(ck) { fullKey = key; return }
        fullLabel += " " + continuation
        fullKey = ck.isEmpty ? key : (key.isEmpty ? ck : key + " " + ck)
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
        let text = v.plainText
        if isClean(text) { return text }
        return TextNormalization.collapseWhitespace(TextNormalization.stripMarkup(TextNormalization.nfc(text)))
    }

    /// True when cleaning cannot change `s`, judged in one pass over its bytes (most cells): no
    /// `<`, no leading, trailing or double space, no control or other white-space character
    /// (as `TextNormalization.isCollapsed`), and only scalars that are NFC whatever follows them
    /// (below U+0300, or the precomposed Vietnamese letters U+1E00–U+1EFF, as `nfc`'s fast path).
    static func isClean(_ s: String) -> Bool {
        if s.isEmpty { return true }
        var s = s
        // One pass over the contiguous bytes (iterating `String.UTF8View` costs several times more).
        return s.withUTF8 { isClean(bytes: $0) }
    }

    static func isClean(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = bytes.count
        var previousSpace = true
        var i = 0
        while i < n {
            let b = bytes[i]
            // Printable ASCII other than space and `<` (most bytes of a cell): one test.
            if b > 0x20 && b < 0x7F {
                if b == UInt8(ascii: "<") { return false }
                previousSpace = false
                i += 1
                continue
            }
            if b == 0x20 {
                if previousSpace { return false }
                previousSpace = true
                i += 1
                continue
            }
            switch b {
            case 0xC3...0xCB:                       // U+00C0…U+02FF
                guard i + 1 < n else { return false }
                i += 2
            case 0xC2:                              // U+0080…U+00BF: NEL and NBSP are white space
                guard i + 1 < n else { return false }
                if bytes[i + 1] == 0x85 || bytes[i + 1] == 0xA0 { return false }
                i += 2
            case 0xE1:                              // U+1E00…U+1EFF only
                guard i + 2 < n, (0xB8...0xBB).contains(bytes[i + 1]) else { return false }
                i += 3
            default:                                // controls, DEL, other scripts
                return false
            }
            previousSpace = false
        }
        return !previousSpace || n == 0
    }

    /// `1`, `1.2`, `3.3.1` (a trailing dot is dropped): groups of 1 to 3 ASCII digits joined by dots.
    /// Checked on the UTF-8 bytes (this runs on every row of every input).
    static func code(from text: String) -> String? {
        var bytes = text
        // The code's length in bytes (without a trailing dot), on the contiguous bytes.
        let length: Int? = bytes.withUTF8 { b in
            var n = b.count
            if n > 0 && b[n - 1] == UInt8(ascii: ".") { n -= 1 }
            guard n > 0 else { return nil }
            var digits = 0
            for i in 0..<n {
                let x = b[i]
                if x == UInt8(ascii: ".") {
                    guard digits > 0 else { return nil }
                    digits = 0
                } else if x >= UInt8(ascii: "0") && x <= UInt8(ascii: "9") {
                    digits += 1
                    guard digits <= 3 else { return nil }
                } else {
                    return nil
                }
            }
            return digits > 0 ? n : nil
        }
        guard let length else { return nil }
        // All ASCII: dropping the trailing dot drops one character.
        return length == text.utf8.count ? text : String(text.dropLast())
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
        return texts.allSatisfy(opensLikeFooter)
    }

    /// Only the opening words matter: a long label is not lowercased whole, and a text whose first
    /// letter opens no footer line (most labels) is rejected from its first byte.
    static func opensLikeFooter(_ t: String) -> Bool {
        var utf8 = t.utf8.makeIterator()
        guard let first = utf8.next() else { return false }
        // Every footer opening starts with an ASCII byte, and lowercasing NFC text never turns a
        // non-ASCII letter into an ASCII one: a non-ASCII first byte opens no footer.
        guard first < 0x80 else { return false }
        // The first two bytes (ASCII lowercased; any non-ASCII byte as 0x80) must open some footer line.
        let second = utf8.next() ?? 0
        guard footerOpenings.contains(footerOpening(first, second)) else { return false }
        // The opening lowercased scalar by scalar (ASCII, Latin-1 and the Vietnamese letters, as
        // `String.lowercased` does: `TextNormalization.lowercase(scalar:)`), as bytes; any other
        // scalar takes the general path below. `maxFooterPrefix` scalars hold every footer opening.
        var lowered: [UInt8] = []
        lowered.reserveCapacity(4 * maxFooterPrefix)
        var count = 0
        var answered = true
        for scalar in t.unicodeScalars {
            if count == maxFooterPrefix { break }
            guard let l = TextNormalization.lowercase(scalar: scalar.value), let ls = Unicode.Scalar(l) else {
                answered = false
                break
            }
            UTF8.encode(ls) { lowered.append($0) }
            count += 1
        }
        if answered { return footerPrefixUTF8.contains { lowered.starts(with: $0) } }
        return opensLikeFooterByLowercasing(t)
    }

    /// `opensLikeFooter` past its first-bytes test, with `String.lowercased` of the opening.
    static func opensLikeFooterByLowercasing(_ t: String) -> Bool {
        let lower = String(t.prefix(maxFooterPrefix)).lowercased()
        // NFC text: comparing bytes is comparing characters here.
        return footerPrefixUTF8.contains { lower.utf8.starts(with: $0) }
    }

    static let footerPrefixUTF8 = footerPrefixes.map { Array($0.utf8) }

    /// The first two bytes of a text, ASCII letters lowercased, any non-ASCII byte as 0x80.
    static func footerOpening(_ a: UInt8, _ b: UInt8) -> UInt16 {
        func lower(_ x: UInt8) -> UInt8 {
            if x >= 0x80 { return 0x80 }
            return x >= UInt8(ascii: "A") && x <= UInt8(ascii: "Z") ? x | 0x20 : x
        }
        return UInt16(lower(a)) << 8 | UInt16(lower(b))
    }
    /// `footerOpening` of every footer opening text.
    static let footerOpenings: Set<UInt16> = Set(footerPrefixUTF8.map { footerOpening($0[0], $0.count > 1 ? $0[1] : 0) })

    static let maxFooterPrefix = footerPrefixes.map(\.count).max() ?? 0

    /// A label-only row that reads as a note rather than the rest of a label split by a page
    /// break: a continuation goes on mid-sentence (a lowercase word, a bracket, a digit), a note
    /// starts a sentence of its own (a capital letter, `*`, `-`, `+`, `Ghi chú`, `Lưu ý`).
    static func opensLikeNote(_ text: String) -> Bool {
        guard let first = text.first else { return false }
        if first == "*" || first == "-" || first == "+" || first == "•" || first == "–" { return true }
        return first.isUppercase
    }

    /// A line that opens as a note (`Ghi chú: …`, `Lưu ý: …`), which may stand inside the table.
    static func opensLikeNoteLine(_ text: String) -> Bool {
        let lower = String(text.prefix(8)).lowercased()
        return lower.hasPrefix("ghi chú") || lower.hasPrefix("lưu ý")
    }

    /// A row of column numbers under the header: `1 2 3 4 5` or `(1) (2) (3)`.
    static func isColumnNumberRow(_ row: GridRow) -> Bool {
        isColumnNumberRow(texts: row.cells.map { clean($0.value) }.filter { !$0.isEmpty })
    }

    /// The same test on a row's cleaned texts (empty ones skipped), without copying them.
    static func isColumnNumberRow(cleaned texts: [(column: Int, text: String)]) -> Bool {
        var count = 0
        for t in texts where !t.text.isEmpty {
            // Quick rejection, as below: a column number starts with a digit or "(".
            guard let f = t.text.utf8.first, f == UInt8(ascii: "(") || (f >= UInt8(ascii: "0") && f <= UInt8(ascii: "9")) else {
                return false
            }
            count += 1
        }
        guard count >= 3 else { return false }
        return isColumnNumberRow(texts: texts.compactMap { $0.text.isEmpty ? nil : $0.text })
    }

    /// The same test on a row's cleaned, non-empty texts.
    static func isColumnNumberRow(texts: [String]) -> Bool {
        guard texts.count >= 3 else { return false }
        var previous: Int?
        for t in texts {
            // Quick rejection: a column number starts with a digit or "(".
            guard let f = t.utf8.first, f == UInt8(ascii: "(") || (f >= UInt8(ascii: "0") && f <= UInt8(ascii: "9")) else {
                return false
            }
            var s = Substring(t)
            if s.hasPrefix("("), s.hasSuffix(")") { s = s.dropFirst().dropLast() }
            guard let n = Int(s) else { return false }
            if let p = previous, n != p + 1 { return false }
            previous = n
        }
        return true
    }

    /// Rows below the header: blanks, repeated headers and column numbers skipped,
    /// label-only rows absorbed as continuations of the row before when they name nothing themselves.
    static func read(grid: Grid, layout: TableLayout, vocabulary: HeaderVocabulary,
                     namesSomething: (String) -> Bool) -> [InputRow] {
        var rows: [InputRow] = []
        rows.reserveCapacity(max(0, grid.rows.count - layout.firstDataRow))
        let cc = layout.columns[.code], lc = layout.columns[.label]
        let uc = layout.columns[.unit], vc = layout.columns[.value], nc = layout.columns[.note]
        // The table's columns by position (a handful: arrays, not hashed sets, on every cell).
        var kindAt: [TableColumn?] = []
        for (kind, column) in layout.columns where column >= 0 {
            if column >= kindAt.count { kindAt += repeatElement(nil, count: column + 1 - kindAt.count) }
            kindAt[column] = kind
        }
        func kind(at column: Int) -> TableColumn? { column >= 0 && column < kindAt.count ? kindAt[column] : nil }
        func isKnown(_ column: Int) -> Bool { kind(at: column) != nil }
        // The last row with a code in the code column (a note line above it is not the footer).
        var lastCodedRow = -1
        if let cc {
            for p in stride(from: grid.rows.count - 1, through: layout.firstDataRow, by: -1) {
                if let cell = grid.rows[p].cell(at: cc), code(from: clean(cell.value)) != nil { lastCodedRow = p; break }
            }
        }
        var position = layout.firstDataRow
        // Each cell is cleaned once (NFC, markup, white space) and its text reused below; one
        // buffer for every row.
        var texts: [(column: Int, text: String)] = []
        while position < grid.rows.count {
            defer { position += 1 }
            let g = grid.rows[position]
            while !texts.isEmpty { texts.removeLast() }   // keeps the capacity, no generic replaceSubrange
            for c in g.cells.indices where !g.cells[c].value.isEmpty {
                texts.append((g.cells[c].column, clean(g.cells[c].value)))
            }
            if texts.isEmpty { continue }
            func text(_ column: Int?) -> String {
                guard let column else { return "" }
                for t in texts where t.column == column { return t.text }
                return ""
            }
            // A repeated header (page break): every cell in the table's columns is a heading.
            var inTable = 0, headings = 0
            for t in texts where isKnown(t.column) {
                inTable += 1
                if vocabulary.isHeaderText(t.text, in: kind(at: t.column)) { headings += 1 } else { break }
            }
            if inTable > 0 && headings == inTable { continue }
            if isColumnNumberRow(cleaned: texts) { continue }
            // The signature block under the table ends it (`isFooter`, without building arrays).
            let stt = text(cc)
            let parsedCode = code(from: stt)
            if parsedCode == nil && texts.allSatisfy({ opensLikeFooter($0.text) }) {
                // "Ghi chú: …" typed between rows, with numbered rows still below it, is a note
                // inside the table (reported), not the footer: the rest of the table is read.
                if position < lastCodedRow, texts.count == 1, texts[0].column == lc, !rows.isEmpty,
                   opensLikeNoteLine(texts[0].text) {
                    rows[rows.count - 1].noteRows.append((texts[0].text, g))
                    continue
                }
                break
            }
            // The row's parts as locals: an `InputRow` is built only for a row that is kept
            // (copying one retains each of its strings and arrays).
            let code = parsedCode ?? ""
            var marker = parsedCode == nil ? stt : ""
            let label = text(lc), unit = text(uc), note = text(nc)
            let valueCell = vc.flatMap { g.cell(at: $0) }
            let valueIsEmpty = valueCell.map { $0.value.isEmpty } ?? true
            // Cells outside the known columns do not make a row (extra columns are ignored).
            if label.isEmpty && code.isEmpty && marker.isEmpty && unit.isEmpty && note.isEmpty
                && valueIsEmpty && texts.allSatisfy({ !isKnown($0.column) }) {
                continue
            }
            // `InputRow.isLabelOnly`.
            let isLabelOnly = code.isEmpty && marker.isEmpty && unit.isEmpty && note.isEmpty && !label.isEmpty && valueIsEmpty
            if isLabelOnly, !rows.isEmpty, !namesSomething(label) {
                if opensLikeNote(label) {
                    rows[rows.count - 1].noteRows.append((label, g))
                    continue
                }
                if rows[rows.count - 1].continuations.count < AppendixLimits.maxContinuationRows {
                    rows[rows.count - 1].absorb(label, from: g)
                    continue
                }
                // More label-only rows than a page break makes: each is a row of its own (and unknown).
            }
            if !marker.isEmpty && (marker == "-" || marker == "+" || marker == "•") { marker = "" }
            rows.append(InputRow(gridRow: g, position: position, code: code, marker: marker, label: label, unit: unit,
                                 valueCell: valueCell, note: note))
        }
        return rows
    }
}

/// The form rows each label key names, built once per form: an input label is keyed once and
/// looked up, instead of being compared with every row (LabelKey is costly on long labels).
/// Keys are hashed by their UTF-8 bytes (String hashing normalises non-ASCII text each time).
struct LabelIndex: Sendable {
    private var byExact: [UTF8Key: Set<String>] = [:]
    private var byLoose: [UTF8Key: Set<String>] = [:]
    /// Answers already given: the same labels come back in every unit's file.
    private let memo = Memo<UTF8Key, Set<String>>(limit: 100_000)

    init(form: FormDefinition) {
        for row in form.rows {
            for label in row.acceptedLabels {
                byExact[UTF8Key(LabelKey.make(label)), default: []].insert(row.id)
                byLoose[UTF8Key(LabelKey.loose(label)), default: []].insert(row.id)
            }
        }
    }

    /// Ids of the rows `label` names (the same answer as `FormRow.matchesLabel` for each row).
    func rowIDs(matching label: String) -> Set<String> {
        memo.value(UTF8Key(label)) {
            let exact = byExact[UTF8Key(LabelKey.make(label))] ?? []
            let loose = byLoose[UTF8Key(LabelKey.loose(label))] ?? []
            return exact.union(loose)
        }
    }

    func rowIDs(matchingAny labels: [String]) -> Set<String> {
        if labels.count == 1 { return rowIDs(matching: labels[0]) }
        return labels.reduce(into: Set<String>()) { $0.formUnion(rowIDs(matching: $1)) }
    }

    func namesSomething(_ label: String) -> Bool { !rowIDs(matching: label).isEmpty }
}

