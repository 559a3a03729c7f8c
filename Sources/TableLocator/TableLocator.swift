import AppendixModel
import FormSchema
import Foundation
import SheetGrid
import Support

/// Finds the appendix table in a grid (CSV or workbook sheet), recognises its form, matches its
/// rows to the form's rows and reads the values. Shared by every input format.
public enum TableLocator {
    /// The table's position, or nil when the grid has no header row with the code and label headings.
    public static func findTable(in grid: Grid, library: FormLibrary) -> TableLayout? {
        LayoutFinder.find(in: grid, vocabulary: HeaderVocabulary.of(library.forms))
    }

    /// Reads the appendix in `grid`.
    /// - Parameter formID: `--form`; else the workbook property `bieumau.form`; else the best-matching form.
    public static func locate(grid: Grid, library: FormLibrary, formID: String? = nil) throws -> Appendix {
        try locate(grid: grid, layout: nil, library: library, formID: formID)
    }

    /// Reads the appendix in `grid` whose table `findTable(in:library:)` already found at `layout`
    /// (the header rows are not searched again).
    public static func locate(grid: Grid, layout found: TableLayout?, library: FormLibrary, formID: String? = nil) throws -> Appendix {
        let vocabulary = HeaderVocabulary.of(library.forms)
        let layout = try found.map { try LayoutFinder.checkColumns($0, in: grid, vocabulary: vocabulary) }
            ?? LayoutFinder.require(in: grid, vocabulary: vocabulary)
        let (form, index, rowsRead, tableKey) = try chooseForm(grid: grid, layout: layout, vocabulary: vocabulary,
                                                               library: library, formID: formID)
        let rows = rowsRead ?? InputRowReader.read(grid: grid, layout: layout, vocabulary: vocabulary,
                                                   namesSomething: index.labels.namesSomething)
        var appendix = Appendix(form: form)
        appendix.sourceFile = grid.fileName
        if let sheet = grid.sheetName { appendix.sourceSheet = sheet }
        var metadata = MetadataReader.read(grid: grid, above: layout.headerRow)
        if metadata.period == nil, let heading = layout.valueHeading, let p = Period.parse(heading) {
            metadata.period = p
            metadata.periodText = heading
            metadata.locations["period"] = layout.valueHeadingLocation
        }
        MetadataReader.applyProperties(grid.properties, file: grid.fileName, into: &metadata)
        appendix.metadata = metadata

        let matches = RowMatcher.match(rows, key: tableKey ?? RowMatcher.key(rows), form: form, index: index)
        // The table's columns, looked up once (not per row).
        let labelColumn = layout.columns[.label] ?? 0, valueColumn = layout.columns[.value] ?? 0
        let noteColumn = layout.columns[.note]
        var findings: [Finding] = []
        // Rows are referred to by position (input row, form row): copying an `InputRow` or a
        // `FormRow` retains each of their strings and arrays, on every row of every unit.
        var inputs: [(row: Int, formRow: Int, input: CellInput)] = []
        inputs.reserveCapacity(rows.count)
        // The input row each form row was first read from (-1: none yet).
        var firstRead = [Int](repeating: -1, count: form.rows.count)
        var formats = NumberFormatMemo.Recent()
        rows.withUnsafeBufferPointer { rowBuffer in form.rows.withUnsafeBufferPointer { formRowBuffer in
            // Elements read through `pointee` (an address, no copy of the row; a buffer's
            // subscript returns a copy). Called only with valid positions.
            func rowAt(_ i: Int) -> UnsafePointer<InputRow> { rowBuffer.baseAddress! + i }
            func formRowAt(_ i: Int) -> UnsafePointer<FormRow> { formRowBuffer.baseAddress! + i }
            // Rows and matches are read in place (`rowAt(i).pointee.…`); bound to a name only for a message.
            for i in matches.indices {
                // Locations are built only for messages (they format a cell reference).
                var labelLoc: SourceLocation { grid.location(row: rowAt(i).pointee.gridRow, column: labelColumn) }
                if !rowAt(i).pointee.noteRows.isEmpty { findings += Self.noteRowFindings(rowAt(i).pointee, grid: grid, layout: layout) }
                Self.overlongCellFindings(rowAt(i), grid: grid, into: &findings)
                guard let fi = matches[i].index else {
                    let row = rowAt(i).pointee, match = matches[i]
                    let raw = row.valueCell.map { TextNormalization.nfc($0.value.plainText) } ?? ""
                    appendix.unmatched.append(UnmatchedRow(code: row.code.isEmpty ? row.marker : row.code,
                                                           label: row.fullLabel, raw: raw, location: labelLoc))
                    let codeText = row.code.isEmpty ? "" : "\(row.code) "
                    let shownLabel = SafeText.excerpt(row.fullLabel)
                    findings.append(Finding(
                        severity: .error, rule: .unknownRow, code: row.code, label: shownLabel, location: labelLoc,
                        found: shownLabel,
                        message: Localized(
                            vi: "dòng \"\(codeText)\(shownLabel)\" không có trong biểu mẫu \(form.id)\(match.codeHolder.map { " (biểu mẫu ghi mã \(row.code) là \"\($0.label)\")" } ?? ""). Hãy sửa số thứ tự/tên chỉ tiêu cho đúng biểu mẫu, hoặc xoá dòng này.",
                            en: "the row \"\(codeText)\(shownLabel)\" is not in the form \(form.id)\(match.codeHolder.map { " (the form prints code \(row.code) as \"\($0.label)\")" } ?? ""). Correct its code/label to match the form, or delete the row.")))
                    continue
                }
                if firstRead[fi] >= 0 {
                    let row = rowAt(i).pointee, formRow = formRowAt(fi).pointee
                    let firstLoc = grid.location(row: rowAt(firstRead[fi]).pointee.gridRow, column: labelColumn)
                    let firstWhere = firstLoc.cellText(.vi) ?? ""
                    let firstWhereEn = firstLoc.cellText(.en) ?? ""
                    let shown = form.displayCode(of: formRow.id)
                    findings.append(Finding(
                        severity: .error, rule: .duplicateRow, rowID: formRow.id, code: shown, label: formRow.label,
                        location: labelLoc, found: row.fullLabel,
                        message: Localized(
                            vi: "chỉ tiêu \"\(shown) \(formRow.label)\" xuất hiện hai lần (lần đầu ở \(firstWhere)); đã dùng số liệu lần đầu. Hãy xoá dòng thừa.",
                            en: "the item \"\(shown) \(formRow.label)\" appears twice (first at \(firstWhereEn)); the first one was used. Delete the extra row.")))
                    continue
                }
                firstRead[fi] = i
                if !rowAt(i).pointee.continuationRows.isEmpty {
                    findings += Self.strayContinuationFindings(rowAt(i).pointee, formRow: formRowAt(fi).pointee, index: index, grid: grid, layout: layout)
                }
                inputs.append((i, fi, cellInput(rowAt(i).pointee.valueCell, formats: &formats)))
            }

            // The document's number convention, from every text value it holds.
            var classifications: [NumberClassification] = []
            for entry in inputs {
                guard case .text(let t) = entry.input else { continue }
                let kind = formRowAt(entry.formRow).pointee.kind
                guard kind != .text, kind != .choice else { continue }
                classifications.append(NumberParser.classify(t))
            }
            let (locale, mixed) = NumberParser.decideLocale(classifications)
            let evidence = classifications.contains {
                switch $0 { case .onlyVietnamese, .onlyEnglish: return true; default: return false }
            }
            appendix.numberLocale = locale

            appendix.values.reserveCapacity(inputs.count)
            for entry in inputs {
                let ri = entry.row, fi = entry.formRow
                // Optional so that it can be moved into the dictionary (`take()`; assigning a plain
                // variable copied the value, retaining each of its strings, then destroyed it).
                var v: RowValue? = ValueInterpreter.interpret(entry.input, kind: formRowAt(fi).pointee.kind,
                                                   choices: formRowAt(fi).pointee.choices, form: form, locale: locale)
                v!.note = rowAt(ri).pointee.note
                if !rowAt(ri).pointee.note.isEmpty, let nc = noteColumn {
                    v!.noteLocation = grid.location(row: rowAt(ri).pointee.gridRow, column: nc)
                }
                // The form's own label when the input spells it the same (one copy for all units).
                let label = rowAt(ri).pointee.fullLabel
                v!.inputLabel = UTF8Key(label) == UTF8Key(formRowAt(fi).pointee.label) ? formRowAt(fi).pointee.label : label
                v!.location = grid.location(row: rowAt(ri).pointee.gridRow, column: valueColumn)
                v!.formula = rowAt(ri).pointee.valueCell?.formula
                if v!.formula != nil, let f = formulaWithoutValue(rowAt(ri).pointee.valueCell, location: v!.location,
                                                                 formRow: formRowAt(fi).pointee, form: form) {
                    findings.append(f)
                }
                if v!.classification != nil,
                   let f = ambiguity(v!, formRow: formRowAt(fi).pointee, form: form, locale: locale, evidence: evidence, mixed: mixed) {
                    findings.append(f)
                }
                appendix.values[formRowAt(fi).pointee.id] = v.take()
            }
        } }
        appendix.readingFindings = findings
        return appendix
    }

    /// A text-only row inside the table that is not part of a label (a note typed between rows):
    /// a warning at its cell; it is neither a row of the form nor glued onto the label above.
    static func noteRowFindings(_ row: InputRow, grid: Grid, layout: TableLayout) -> [Finding] {
        row.noteRows.map { note in
            let shown = SafeText.excerpt(note.text)
            return Finding(
                severity: .warning, rule: .unknownRow, label: shown,
                location: grid.location(row: note.gridRow, column: layout.columns[.label] ?? 0), found: shown,
                message: Localized(
                    vi: "dòng «\(shown)» nằm giữa bảng nhưng chỉ có chữ (không có mã, đơn vị hay số liệu) và không phải phần tiếp của tên chỉ tiêu phía trên: đã coi là ghi chú và bỏ qua. Nếu là ghi chú, hãy chuyển vào cột Ghi chú hoặc xuống dưới bảng.",
                    en: "the row '\(shown)' inside the table holds only text (no code, unit or value) and does not continue the label above: it was taken as a note and left out. If it is a note, move it to the Ghi chú column or below the table."))
        }
    }

    /// Text-only rows glued onto a label as its continuation although the label names its row
    /// without them (`Kiểm tra CCHC` + `số liệu tạm tính đến 10/3`): a note typed inside the
    /// table, not a split label. Reported at each row, as `noteRowFindings` does.
    static func strayContinuationFindings(_ row: InputRow, formRow: FormRow, index: FormIndex,
                                          grid: Grid, layout: TableLayout) -> [Finding] {
        guard !row.continuationRows.isEmpty,
              !index.labels.rowIDs(matching: row.fullLabel).contains(formRow.id),
              index.labels.rowIDs(matching: row.label).contains(formRow.id) else { return [] }
        var stray = row
        stray.noteRows = zip(row.continuations, row.continuationRows).map { ($0, $1) }
        return noteRowFindings(stray, grid: grid, layout: layout)
    }

    /// A value cell holding a formula whose result was never saved (a workbook written by a program,
    /// never opened in a spreadsheet): read as blank, and said so at its cell. A result saved as
    /// an empty text (`""`) is a result, not a missing one.
    static func formulaWithoutValue(_ cell: Cell?, location: SourceLocation?, formRow: FormRow,
                                    form: FormDefinition) -> Finding? {
        guard let cell, let formula = cell.formula, case .empty = cell.value else { return nil }
        let shown = SafeText.excerpt("=" + formula, limit: 80)
        let code = form.displayCode(of: formRow.id)
        return Finding(
            severity: .warning, rule: .formulaWithoutValue, rowID: formRow.id, code: code, label: formRow.label,
            location: location, found: shown, expected: nil,
            message: Localized(
                vi: "ô số liệu của \"\(code) \(formRow.label)\" có công thức \(shown) nhưng tệp không lưu kết quả của nó (tệp được tạo bằng chương trình, chưa mở bằng Excel/LibreOffice), nên được đọc là trống. Hãy mở tệp bằng Excel hoặc LibreOffice rồi lưu lại, hoặc ghi số thay cho công thức.",
                en: "the value cell of \"\(code) \(formRow.label)\" holds the formula \(shown) but the file does not store its result (written by a program, never opened in Excel/LibreOffice), so it is read as blank. Open the file in Excel or LibreOffice and save it again, or write the number instead of the formula."))
    }

    /// Cells longer than a workbook cell can hold: an error at the cell (the writer would fail).
    /// The row is read through its address (copying an `InputRow` retains its strings and arrays).
    static func overlongCellFindings(_ rowAt: UnsafePointer<InputRow>, grid: Grid, into out: inout [Finding]) {
        let limit = AppendixLimits.maxCellCharacters
        for cell in rowAt.pointee.gridRow.cells {
            guard case .text(let t) = cell.value, t.utf8.count > limit else { continue }
            let count = t.count
            guard count > limit else { continue }
            let row = rowAt.pointee
            out.append(Finding(
                severity: .error, rule: .typeError, code: row.code, label: SafeText.excerpt(row.label, limit: 60),
                location: grid.location(row: row.gridRow, column: cell.column), found: SafeText.excerpt(t, limit: 60),
                message: Localized(
                    vi: "ô dài \(count) ký tự, quá giới hạn \(limit) ký tự một ô của Excel. Hãy rút gọn nội dung ô này (phần giải thích dài có thể đưa vào báo cáo).",
                    en: "the cell holds \(count) characters, over Excel's limit of \(limit) per cell. Shorten it (a long explanation belongs in the report).")))
        }
    }

    public static func cellInput(_ cell: Cell?) -> CellInput {
        var formats = NumberFormatMemo.Recent()
        return cellInput(cell, formats: &formats)
    }

    /// `cellInput(_:)`, with the number formats of the table read so far (a table uses one or two).
    static func cellInput(_ cell: Cell?, formats: inout NumberFormatMemo.Recent) -> CellInput {
        guard let cell else { return .empty }
        switch cell.value {
        case .empty: return .empty
        case .text(let s): return .text(s)
        case .date(let d): return .text(d)
        case .bool(let b): return .bool(b)
        case .error(let e): return .error(e)
        case .number(let s):
            guard let n = ExactDecimal(s) else { return .text(s) }
            let shown = formats.reading(cell.style)
            return .number(n, percentFormat: shown.percent, decimals: shown.decimals)
        }
    }

    /// What a number format shows (percent, decimals), parsed once per format text: a workbook
    /// has a handful of formats and every unit's file the same ones.
    enum NumberFormatMemo {
        private static let known = Memo<String, (percent: Bool, decimals: Int?)>(limit: 1_000)

        static func reading(_ style: SheetGrid.CellStyle) -> (percent: Bool, decimals: Int?) {
            guard let format = style.numberFormat else { return (style.isPercentFormat, nil) }
            return known.value(format) { (style.isPercentFormat, style.formatDecimals) }
        }

        /// The last four formats read and what they show: a table's value column mixes a few
        /// formats (counts, percentages with decimals), so the shared memo (a lock and a hash of
        /// the format text) is asked once per format, not at every change of format.
        struct Recent {
            static let slots = 4
            var formats: [String] = []
            var readings: [(percent: Bool, decimals: Int?)] = []
            /// The slot the next new format replaces, once all are taken.
            var next = 0

            mutating func reading(_ style: SheetGrid.CellStyle) -> (percent: Bool, decimals: Int?) {
                guard let f = style.numberFormat else { return (style.isPercentFormat, nil) }
                for i in formats.indices where formats[i] == f { return readings[i] }
                let reading = NumberFormatMemo.reading(style)
                if formats.count < Self.slots {
                    formats.append(f)
                    readings.append(reading)
                } else {
                    formats[next] = f
                    readings[next] = reading
                    next = (next + 1) % Self.slots
                }
                return reading
            }
        }
    }

    static func ambiguity(_ v: RowValue, formRow: FormRow, form: FormDefinition, locale: NumberLocale,
                          evidence: Bool, mixed: Bool) -> Finding? {
        guard let c = v.classification, let n = v.value.number else { return nil }
        let code = form.displayCode(of: formRow.id)
        let readAs = n.description
        if ValueInterpreter.isCountRowRegrouping(v, row: formRow, locale: locale), case .ambiguous(let vi, let en) = c {
            let unit = formRow.unit.isEmpty ? "" : " («\(formRow.unit)»)"
            let unitEn = formRow.unit.isEmpty ? "" : " ('\(formRow.unit)')"
            return Finding(
                severity: .warning, rule: .ambiguousNumber, rowID: formRow.id, code: code, label: formRow.label,
                location: v.location, found: v.raw, expected: readAs,
                message: Localized(
                    vi: "số \"\(v.raw)\" nằm trên dòng đếm số lượng\(unit), không thể là \(en.value.formatted(.vi)); tài liệu ghi số kiểu Anh nhưng dấu chấm ở đây được hiểu là ngăn hàng nghìn: đã đọc là \(vi.value.formatted(.vi)). Hãy kiểm tra lại, hoặc ghi số không có dấu ngăn hàng nghìn.",
                    en: "the number \"\(v.raw)\" is on a counting row\(unitEn) and cannot be \(en.value.formatted(.en)); the document uses the English convention, but here the dot is read as grouping thousands: read as \(vi.value.formatted(.en)). Check it, or write numbers without thousands separators."))
        }
        switch c {
        case .ambiguous(let vi, let en):
            guard !evidence || mixed else { return nil }
            let why = mixed
                ? Localized(vi: "tài liệu dùng lẫn hai kiểu ghi số", en: "the document mixes the two number conventions")
                : Localized(vi: "tài liệu không có số nào cho biết kiểu ghi số", en: "no number in the document shows which convention it uses")
            return Finding(
                severity: .warning, rule: .ambiguousNumber, rowID: formRow.id, code: code, label: formRow.label,
                location: v.location, found: v.raw, expected: readAs,
                message: Localized(
                    vi: "số \"\(v.raw)\" có thể hiểu là \(vi.value.formatted(.vi)) (kiểu Việt Nam: dấu chấm ngăn hàng nghìn) hoặc \(en.value.formatted(.vi)) (kiểu Anh: dấu chấm thập phân); \(why.vi), đã đọc là \(readAs.replacingOccurrences(of: ".", with: ",")). Hãy kiểm tra lại, hoặc ghi số không có dấu ngăn hàng nghìn.",
                    en: "the number \"\(v.raw)\" can be read as \(vi.value.formatted(.en)) (Vietnamese: '.' groups thousands) or \(en.value.formatted(.en)) (English: '.' is the decimal point); \(why.en), so it was read as \(readAs). Check it, or write numbers without thousands separators."))
        case .onlyVietnamese, .onlyEnglish:
            guard mixed else { return nil }
            let thisIsVi: Bool = { if case .onlyVietnamese = c { return true }; return false }()
            guard (thisIsVi ? NumberLocale.vi : .en) != locale else { return nil }
            return Finding(
                severity: .warning, rule: .ambiguousNumber, rowID: formRow.id, code: code, label: formRow.label,
                location: v.location, found: v.raw, expected: readAs,
                message: Localized(
                    vi: "số \"\(v.raw)\" ghi theo kiểu \(thisIsVi ? "Việt Nam" : "Anh") trong khi phần lớn tài liệu ghi theo kiểu \(locale == .vi ? "Việt Nam" : "Anh"); đã đọc là \(readAs.replacingOccurrences(of: ".", with: ",")). Hãy thống nhất một kiểu ghi số.",
                    en: "the number \"\(v.raw)\" is written in the \(thisIsVi ? "Vietnamese" : "English") convention while most of the document uses the \(locale == .vi ? "Vietnamese" : "English") one; it was read as \(readAs). Use one convention throughout."))
        default:
            return nil
        }
    }

    // MARK: - Form recognition

    /// The form, its index, and (when the form had to be recognised) the input rows read with it
    /// and their `RowMatcher.key`.
    static func chooseForm(grid: Grid, layout: TableLayout, vocabulary: HeaderVocabulary,
                           library: FormLibrary, formID: String?) throws -> (FormDefinition, FormIndex, [InputRow]?, TableKey?) {
        if let formID {
            let form = try library.require(formID)
            return (form, FormIndex.of(form), nil, nil)
        }
        if let prop = grid.properties[WorkbookProperty.form]?.trimmingCharacters(in: .whitespaces), !prop.isEmpty {
            let form = try library.require(prop)
            return (form, FormIndex.of(form), nil, nil)
        }
        // Score each form on the coded rows: code present and label matching.
        var best: (form: FormDefinition, score: Int, index: FormIndex, rows: [InputRow], key: TableKey)?
        var codedCount = 0
        for form in library.forms {
            let index = FormIndex.of(form)
            let rows = InputRowReader.read(grid: grid, layout: layout, vocabulary: vocabulary,
                                           namesSomething: index.labels.namesSomething)
            var coded = 0
            // By position: `for r in rows` copies each row (retaining its strings and arrays).
            for i in rows.indices where !rows[i].code.isEmpty { coded += 1 }
            codedCount = max(codedCount, coded)
            // The score depends on the coded rows' codes and labels only, which the key of all
            // rows holds: remembered per table (the same key finds the table's matches).
            let key = RowMatcher.key(rows)
            let score = index.scores.value(key) {
                var score = 0
                for r in rows where r.hasCode {
                    guard let withCode = index.rowsByCode[r.code] else { continue }
                    let ids = index.labels.rowIDs(matchingAny: r.candidateLabels)
                    if withCode.contains(where: { ids.contains($0.id) }) { score += 1 }
                }
                return score
            }
            if score > (best?.score ?? -1) { best = (form, score, index, rows, key) }
        }
        let known = library.forms.map(\.id).joined(separator: ", ")
        guard let best, codedCount > 0, best.score * 2 >= codedCount else {
            let loc: SourceLocation = {
                if let s = grid.sheetName { return SourceLocation(file: grid.fileName, sheet: s) }
                return SourceLocation(file: grid.fileName)
            }()
            let detail = best.map { " (\($0.form.id): \($0.score)/\(codedCount))" } ?? ""
            throw BieuMauError(.dataError,
                vi: "không nhận ra biểu mẫu: không biểu mẫu nào khớp ít nhất một nửa số dòng có số thứ tự\(detail). Hãy chọn biểu mẫu bằng --form (các biểu mẫu hiện có: \(known)).",
                en: "the form was not recognised: no form matches at least half of the numbered rows\(detail). Name the form with --form (known forms: \(known)).",
                at: loc)
        }
        return (best.form, best.index, best.rows, best.key)
    }
}

/// What the locator needs of a form for every file (label keys, rows by code, sub-rows by
/// parent), built once per form and shared: every unit's file of a merge uses the same form.
final class FormIndex: Sendable {
    let labels: LabelIndex
    /// Rows printed with each code, in form order.
    let rowsByCode: [String: [FormRow]]
    /// Unnumbered rows by their parent, in form order.
    let subRowsByParent: [String: [FormRow]]
    /// Each row's parent id (`form.row(id)?.parent`), without copying the row.
    let parentOf: [String: String]
    /// Each row's position in `form.rows` (ids are unique in a form).
    let positionOf: [String: Int]
    /// Answers for tables already seen, by `RowMatcher.key` (a merge's units print one or a few tables).
    let matches = Memo<TableKey, [RowMatch]>(limit: 64)
    let scores = Memo<TableKey, Int>(limit: 64)

    init(form: FormDefinition) {
        labels = LabelIndex(form: form)
        var byCode: [String: [FormRow]] = [:]
        var subs: [String: [FormRow]] = [:]
        for row in form.rows {
            if row.code.isEmpty {
                if let p = row.parent { subs[p, default: []].append(row) }
            } else {
                byCode[row.code, default: []].append(row)
            }
        }
        rowsByCode = byCode
        subRowsByParent = subs
        var parents: [String: String] = [:]
        for row in form.rows where parents[row.id] == nil {
            if let p = form.row(row.id)?.parent { parents[row.id] = p }
        }
        parentOf = parents
        var positions: [String: Int] = [:]
        for (i, row) in form.rows.enumerated() where positions[row.id] == nil { positions[row.id] = i }
        positionOf = positions
    }

    /// Forms are values: the cache is keyed by id and version, and an entry is used only when
    /// its rows equal the form's (an array shared with the library compares by identity at once).
    private final class Cache: @unchecked Sendable {
        let lock = NSLock()
        var entries: [String: [(rows: [FormRow], index: FormIndex)]] = [:]
    }
    private static let cache = Cache()

    static func of(_ form: FormDefinition) -> FormIndex {
        let key = "\(form.id)\u{1}\(form.version)"
        cache.lock.lock()
        if let found = cache.entries[key]?.first(where: { $0.rows == form.rows }) {
            cache.lock.unlock()
            return found.index
        }
        cache.lock.unlock()
        let index = FormIndex(form: form)
        cache.lock.lock()
        if cache.entries.count > 64 { cache.entries.removeAll() }
        var list = cache.entries[key] ?? []
        if list.count >= 8 { list.removeFirst() }
        list.append((form.rows, index))
        cache.entries[key] = list
        cache.lock.unlock()
        return index
    }
}

/// The bytes a table's matching depends on (`RowMatcher.key`), hashed and compared as raw bytes.
/// The bytes are hashed once, when the key is made: the key of a table is looked up in two memos.
struct TableKey: Hashable {
    let bytes: [UInt8]
    private let hashOfBytes: Int
    init(bytes: [UInt8]) {
        self.bytes = bytes
        hashOfBytes = Self.hash(bytes)
    }

    /// The hash of a key: its length and a sample of its bytes (the first and last 256 and one in
    /// 64 between), not all ~10 KB of a table. Equal keys have equal samples; keys that differ only
    /// outside the sample share a bucket and are told apart by `==`, which compares every byte.
    static func hash(_ bytes: [UInt8]) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes.count)
        bytes.withUnsafeBytes { all in
            let n = all.count, edge = 256
            if n <= 3 * edge {
                hasher.combine(bytes: all)
                return
            }
            hasher.combine(bytes: UnsafeRawBufferPointer(rebasing: all[0..<edge]))
            hasher.combine(bytes: UnsafeRawBufferPointer(rebasing: all[(n - edge)..<n]))
            var i = edge
            var sample: UInt64 = 0
            while i < n - edge {
                sample = sample &* 31 &+ UInt64(all[i])
                i += 64
            }
            hasher.combine(sample)
        }
        return hasher.finalize()
    }
    static func == (a: TableKey, b: TableKey) -> Bool {
        guard a.hashOfBytes == b.hashOfBytes, a.bytes.count == b.bytes.count else { return false }
        // `memcmp` (`Array ==` compares ~10 KB byte by byte, on every lookup of every file).
        return a.bytes.withUnsafeBytes { x in b.bytes.withUnsafeBytes { y in
            x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0
        } }
    }
    func hash(into hasher: inout Hasher) { hasher.combine(hashOfBytes) }
}

/// How an input row was matched.
struct RowMatch {
    var row: FormRow?
    /// The position of `row` in the form's rows.
    var index: Int?
    /// For an unknown coded row: the form row printed with that code (its label differs too much).
    var codeHolder: FormRow?
}

/// Matches input rows to form rows in document order.
enum RowMatcher {
    /// Share of the shorter label's words found in the other (tones kept, case and punctuation not).
    static func similarity(_ a: String, _ b: String) -> Double {
        let wa = Set(LabelKey.make(a).split(separator: " ")), wb = Set(LabelKey.make(b).split(separator: " "))
        guard !wa.isEmpty, !wb.isEmpty else { return 0 }
        return Double(wa.intersection(wb).count) / Double(min(wa.count, wb.count))
    }

    /// What the matching depends on, for every row: its code and candidate labels (each
    /// length-prefixed), as bytes.
    static func key(_ rows: [InputRow]) -> TableKey {
        // The size first, then the bytes copied into place (by position: `for r in rows` copies
        // each row, retaining its strings and arrays).
        var total = 0
        for i in rows.indices {
            total += 4 + rows[i].code.utf8.count + 1 + 4 + rows[i].label.utf8.count
            if !rows[i].continuations.isEmpty { total += 4 + rows[i].fullLabel.utf8.count }
        }
        let bytes = [UInt8](unsafeUninitializedCapacity: total) { buffer, count in
            var at = 0
            func add(_ text: String) {
                var t = text
                t.withUTF8 { p in
                    // The length as four little-endian bytes, then the text's bytes.
                    precondition(at + 4 + p.count <= total)
                    let n = UInt32(truncatingIfNeeded: p.count)
                    for k in 0..<4 { buffer[at + k] = UInt8(truncatingIfNeeded: n >> (8 * UInt32(k))) }
                    at += 4
                    if let source = p.baseAddress, p.count > 0 {
                        UnsafeMutableRawPointer(buffer.baseAddress! + at).copyMemory(from: source, byteCount: p.count)
                    }
                    at += p.count
                }
            }
            func mark(_ b: UInt8) {
                precondition(at < total)
                buffer[at] = b
                at += 1
            }
            for i in rows.indices {
                add(rows[i].code)
                // `candidateLabels`, without building the array.
                if rows[i].continuations.isEmpty {
                    mark(1)
                    add(rows[i].label)
                } else {
                    mark(2)
                    add(rows[i].fullLabel)
                    add(rows[i].label)
                }
            }
            precondition(at == total)
            count = at
        }
        return TableKey(bytes: bytes)
    }

    /// The matches of `rows`, remembered per form by the rows' codes and labels: every unit's file
    /// of a merge prints the same table, so the matching is done once per distinct table.
    static func match(_ rows: [InputRow], form: FormDefinition, index formIndex: FormIndex) -> [RowMatch] {
        match(rows, key: key(rows), form: form, index: formIndex)
    }

    /// `match(_:form:index:)` with the rows' `key` already made.
    static func match(_ rows: [InputRow], key: TableKey, form: FormDefinition, index formIndex: FormIndex) -> [RowMatch] {
        formIndex.matches.value(key) { matchUncached(rows, form: form, index: formIndex) }
    }

    static func matchUncached(_ rows: [InputRow], form: FormDefinition, index formIndex: FormIndex) -> [RowMatch] {
        let index = formIndex.labels
        var used = Set<String>()
        var context: String?
        var result: [RowMatch] = []
        func bestSimilarity(_ fr: FormRow, _ r: InputRow) -> Double {
            var best = 0.0
            for l in r.candidateLabels { for a in fr.acceptedLabels { best = max(best, similarity(l, a)) } }
            return best
        }
        func chain(_ id: String?) -> [String] {
            var out: [String] = []
            var current = id
            while let c = current, out.count < 50 {
                out.append(c)
                current = formIndex.parentOf[c]
            }
            return out
        }
        for r in rows {
            var match: FormRow?
            var holder: FormRow?
            // The form rows this row's label names, keyed once.
            let named = index.rowIDs(matchingAny: r.candidateLabels)
            func labelMatches(_ fr: FormRow, _: InputRow) -> Bool { named.contains(fr.id) }
            if r.hasCode {
                let candidates = formIndex.rowsByCode[r.code] ?? []
                match = candidates.first { !used.contains($0.id) && labelMatches($0, r) }
                    ?? candidates.first { labelMatches($0, r) }
                if match == nil && !candidates.isEmpty {
                    // The label may be worded differently: accept the code when enough words agree,
                    // the closest unused row first, then form order.
                    let scored = candidates.map { ($0, bestSimilarity($0, r)) }.filter { $0.1 >= 0.5 }
                    let unused = scored.filter { !used.contains($0.0.id) }
                    match = (unused.max { $0.1 < $1.1 } ?? scored.max { $0.1 < $1.1 })?.0
                    if match == nil { holder = candidates.first }
                }
                if match == nil {
                    // A code the form does not have (or a label of another row): a label naming exactly one row.
                    if named.count == 1, let only = form.row(named.first!) { match = only; holder = nil }
                }
            } else {
                // An unnumbered row belongs to the last coded row or one of its ancestors.
                for parent in chain(context) {
                    let subs = formIndex.subRowsByParent[parent] ?? []
                    match = subs.first { !used.contains($0.id) && labelMatches($0, r) } ?? subs.first { labelMatches($0, r) }
                    if match != nil { break }
                }
                if match == nil {
                    // Codes left out altogether: a label naming exactly one row still finds it.
                    let byLabel = form.rows.filter { named.contains($0.id) }
                    let unused = byLabel.filter { !used.contains($0.id) }
                    if unused.count == 1 { match = unused[0] } else if byLabel.count == 1 { match = byLabel[0] }
                }
            }
            if let m = match {
                used.insert(m.id)
                if !m.code.isEmpty { context = m.id }
            }
            result.append(RowMatch(row: match, index: match.flatMap { formIndex.positionOf[$0.id] }, codeHolder: holder))
        }
        return result
    }
}
