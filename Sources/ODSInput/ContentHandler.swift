import SheetGrid
import Support
import VietnameseText
import XMLScan

/// A problem in content.xml, turned into a located BieuMauError by the reader.
enum ContentProblem: Error {
    case tooManyCells(limit: Int)
    case rowBeyondLimit(row: Int, limit: Int)
    case columnBeyondLimit(row: Int, column: Int, limit: Int)
    case textTooLong(row: Int, column: Int, limit: Int)
}

/// Walks content.xml: collects the automatic styles, lists the tables (sheets) and builds the grid
/// of one of them (`target`; -1 lists only). Repeated rows and cells cost nothing while empty;
/// repeated non-empty ones are expanded within the cell and row limits. Every other table is
/// skipped, and scanning stops once the target table has ended.
struct ContentHandler: XMLHandler {
    let target: Int
    let limits: ODSLimits
    var styles: StylesCollector
    var tables: [SheetEntry] = []
    var rows: [GridRow] = []
    var merges: [CellRange] = []
    var cellCount = 0
    /// Legacy encodings of the text converted because of its font.
    var converted: Set<LegacyVietnameseEncoding> = []

    private var inBody = false
    private var tableIndex = -1
    private var reading = false
    private var skipDepth = 0
    /// Columns with a default cell style: (first, last, style name).
    private var columnStyles: [(Int, Int, String)] = []
    private var columnCursor = 0

    private var inRow = false
    private var rowIndex = 0
    private var rowRepeat = 1
    private var rowHidden = false
    private var rowDefaultStyle: String?
    private var rowCells: [Cell] = []
    private var column = 0

    private var inCell = false
    private var cellRepeat = 1
    private var cellStyleName: String?
    private var valueType: ValueType = .none
    private var officeValue: String?
    private var stringValue: String?
    private var booleanValue: Bool?
    private var formula: String?
    private var columnsSpanned = 1
    private var rowsSpanned = 1
    private var text: [UInt8] = []
    private var paragraphs = 0
    private var inParagraph = false
    private var lastWasSpace = true
    /// The legacy font of the cell's style, and the fonts of the `text:span`s open in it.
    private var cellFont: LegacyFont?
    private var spanFonts: [LegacyFont?] = []
    private var spanDepth = 0
    /// Where the text's font changes (byte offset, font from there on), when a span sets one.
    private var fontChanges: [(start: Int, font: LegacyFont?)] = []

    private enum ValueType { case none, float, percentage, currency, date, time, boolean, string, error }

    init(target: Int, limits: ODSLimits, styles: StylesCollector) {
        self.target = target
        self.limits = limits
        self.styles = styles
    }

    // MARK: Events

    mutating func startElement(_ name: XMLBytes, _ a: XMLAttributes) throws {
        if skipDepth > 0 { skipDepth += 1; return }
        if !inBody {
            if name.equals("body") { inBody = true } else { try styles.start(name, a) }
            return
        }
        if inCell {
            if name.equals("p") || name.equals("h") {
                if paragraphs > 0 { try append(0x0A) }
                paragraphs += 1
                inParagraph = true
                lastWasSpace = true
            } else if name.equals("s") {
                let n = min(a.int("c") ?? 1, limits.maxStringBytes + 1)
                for _ in 0..<max(n, 1) { try append(0x20) }
                lastWasSpace = false
            } else if name.equals("tab") {
                try append(0x09)
            } else if name.equals("line-break") {
                try append(0x0A)
            } else if name.equals("span") {
                // A span's text style may set its own font (else it keeps the enclosing one).
                let current = spanFonts.last ?? cellFont
                var font = current
                if let styleName = try a.string("style-name"), let set = styles.styles.legacyFont(ofTextStyle: styleName) {
                    font = set
                }
                spanDepth += 1
                if spanDepth <= 64 {
                    spanFonts.append(font)
                    if font != current, fontChanges.count < 4096 { fontChanges.append((text.count, font)) }
                }
            } else if !(name.equals("a") || name.equals("soft-page-break")) {
                // Comments (office:annotation), drawings and charts anchored in the cell, nested
                // tables, notes: not the cell's value.
                skipDepth = 1
            }
            return
        }
        if name.equals("table") {
            if inRow { skipDepth = 1; return }
            tableIndex += 1
            let tableName = TextNormalization.nfc(try a.string("name") ?? "Sheet\(tableIndex + 1)")
            let hidden = (try a.string("style-name")).flatMap { styles.styles.tableDisplay[$0] } == false
            tables.append(SheetEntry(name: tableName, isHidden: hidden))
            if tableIndex == target {
                reading = true
                rowIndex = 0
                columnStyles.removeAll()
                columnCursor = 0
            } else {
                skipDepth = 1
            }
            return
        }
        guard reading else { return }
        if name.equals("table-row") {
            inRow = true
            rowRepeat = max(1, a.int("number-rows-repeated") ?? 1)
            let visibility = a.raw("visibility")
            rowHidden = visibility.map { $0.equals("collapse") || $0.equals("filter") } ?? false
            rowDefaultStyle = try a.string("default-cell-style-name")
            rowCells.removeAll(keepingCapacity: true)
            column = 0
        } else if inRow && name.equals("table-cell") {
            try startCell(a)
        } else if inRow && name.equals("covered-table-cell") {
            // The part of a merged area hidden under its first cell: its position counts, any text
            // it still holds is not shown and not read.
            column = Self.adding(column, max(1, a.int("number-columns-repeated") ?? 1))
            skipDepth = 1
        } else if !inRow && name.equals("table-column") {
            let repeatCount = max(1, a.int("number-columns-repeated") ?? 1)
            if let style = try a.string("default-cell-style-name"), columnCursor < limits.maxColumns,
               columnStyles.count < 4096 {
                columnStyles.append((columnCursor, Self.adding(columnCursor, repeatCount) - 1, style))
            }
            columnCursor = Self.adding(columnCursor, repeatCount)
        } else if name.equals("shapes") || name.equals("named-expressions") || name.equals("table-source")
                    || name.equals("scenario") || name.equals("forms") || name.equals("dde-source") {
            skipDepth = 1
        }
    }

    mutating func endElement(_ name: XMLBytes) throws {
        if skipDepth > 0 { skipDepth -= 1; return }
        if !inBody { try styles.end(name); return }
        if inCell {
            if name.equals("p") || name.equals("h") {
                inParagraph = false
                // White space at the end of a paragraph is not shown.
                if lastWasSpace, text.last == 0x20 { text.removeLast() }
            } else if name.equals("span") {
                // Spans nested deeper than 64 keep the font of the 64th.
                if spanDepth <= 64, let closing = spanFonts.popLast() {
                    let font = spanFonts.last ?? cellFont
                    if font != closing, fontChanges.count < 4096 { fontChanges.append((text.count, font)) }
                }
                spanDepth = max(spanDepth - 1, 0)
            } else if name.equals("table-cell") {
                try finishCell()
            }
            return
        }
        guard reading else { return }
        if name.equals("table-row") {
            try finishRow()
        } else if name.equals("table") {
            reading = false
            throw XMLStop()
        }
    }

    mutating func text(_ raw: XMLBytes, cdata: Bool) throws {
        guard skipDepth == 0, inCell, inParagraph else { return }
        // ODF paragraphs collapse runs of white space to one space (text:s carries extra ones).
        var decoded: [UInt8] = []
        if cdata { decoded.append(contentsOf: raw) } else { try XMLText.appendDecoded(raw, to: &decoded) }
        for b in decoded {
            if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D {
                if !lastWasSpace { try append(0x20); lastWasSpace = true }
            } else {
                try append(b)
                lastWasSpace = false
            }
        }
    }

    // MARK: Cells and rows

    private mutating func startCell(_ a: XMLAttributes) throws {
        inCell = true
        cellRepeat = max(1, a.int("number-columns-repeated") ?? 1)
        cellStyleName = try a.string("style-name") ?? rowDefaultStyle ?? columnStyle(column)
        if let t = a.raw(prefix: "calcext", "value-type"), t.equals("error") {
            valueType = .error
        } else if let t = a.raw(prefix: "office", "value-type") ?? a.raw("value-type") {
            valueType = t.equals("float") ? .float : t.equals("percentage") ? .percentage
                : t.equals("currency") ? .currency : t.equals("date") ? .date : t.equals("time") ? .time
                : t.equals("boolean") ? .boolean : t.equals("string") ? .string : .none
        } else {
            valueType = .none
        }
        switch valueType {
        case .float, .percentage, .currency: officeValue = try a.string("value")
        case .date: officeValue = try a.string("date-value")
        case .time: officeValue = try a.string("time-value")
        default: officeValue = nil
        }
        stringValue = valueType == .string ? try a.string("string-value") : nil
        booleanValue = valueType == .boolean ? (try a.string("boolean-value")).map { $0 == "true" || $0 == "1" } : nil
        if let f = try a.string("formula") {
            // `of:=SUM([.A1:.A3])` → `SUM([.A1:.A3])` (OpenFormula, kept as written).
            var body = Substring(f)
            if let colon = body.firstIndex(of: ":"), body[..<colon].allSatisfy({ $0.isLetter }) {
                body = body[body.index(after: colon)...]
            }
            if body.hasPrefix("=") { body = body.dropFirst() }
            formula = String(body)
        } else {
            formula = nil
        }
        columnsSpanned = max(1, a.int("number-columns-spanned") ?? 1)
        rowsSpanned = max(1, a.int("number-rows-spanned") ?? 1)
        text.removeAll(keepingCapacity: true)
        paragraphs = 0
        inParagraph = false
        cellFont = styles.styles.legacyFont(ofCellStyle: cellStyleName)
        spanFonts.removeAll(keepingCapacity: true)
        spanDepth = 0
        fontChanges.removeAll(keepingCapacity: true)
    }

    /// The cell's text, each stretch converted from the legacy font it is typed in.
    private mutating func shownText() -> String {
        guard !text.isEmpty else { return "" }
        if fontChanges.isEmpty {
            let plain = String(decoding: text, as: UTF8.self)
            guard let font = cellFont else { return TextNormalization.nfc(plain) }
            converted.insert(font.encoding)
            return font.convert(plain)
        }
        var pieces: [(text: String, font: LegacyFont?)] = []
        var start = 0
        var font = cellFont
        for change in fontChanges + [(text.count, nil)] {
            let end = min(max(change.start, start), text.count)
            if end > start { pieces.append((String(decoding: text[start..<end], as: UTF8.self), font)) }
            start = end
            font = change.font
        }
        return LegacyFont.text(ofRuns: pieces, converted: &converted)
    }

    private mutating func finishCell() throws {
        inCell = false
        let shown = shownText()
        let value: CellValue
        switch valueType {
        case .float, .percentage, .currency:
            if let v = officeValue?.trimmingSpaces, !v.isEmpty { value = .number(v) } else { value = shown.isEmpty ? .empty : .text(shown) }
        case .date:
            if let v = officeValue?.trimmingSpaces, !v.isEmpty { value = .date(Self.isoDate(v)) } else { value = shown.isEmpty ? .empty : .text(shown) }
        case .time:
            if let v = officeValue.flatMap(Self.timeOfDay) { value = .date(v) } else { value = shown.isEmpty ? .empty : .text(shown) }
        case .boolean:
            value = booleanValue.map { .bool($0) } ?? (shown.isEmpty ? .empty : .text(shown))
        case .string:
            if let s = stringValue {
                if s.isEmpty { value = .empty } else if let font = cellFont {
                    converted.insert(font.encoding)
                    value = .text(font.convert(s))
                } else {
                    value = .text(TextNormalization.nfc(s))
                }
            } else {
                value = shown.isEmpty ? .empty : .text(shown)
            }
        case .error:
            value = .error(shown.isEmpty ? "#VALUE!" : shown)
        case .none:
            value = shown.isEmpty ? .empty : .text(shown)
        }
        if columnsSpanned > 1 || rowsSpanned > 1, merges.count < limits.maxCellsPerSheet {
            merges.append(CellRange(firstRow: rowIndex, firstColumn: column,
                                    lastRow: min(Self.adding(rowIndex, rowsSpanned) - 1, limits.maxRows - 1),
                                    lastColumn: min(Self.adding(column, columnsSpanned) - 1, limits.maxColumns - 1)))
        }
        if value != .empty || formula != nil {
            if Self.adding(column, cellRepeat) > limits.maxColumns {
                throw ContentProblem.columnBeyondLimit(row: rowIndex, column: column, limit: limits.maxColumns)
            }
            if rowCells.count + cellRepeat > limits.maxCellsPerSheet {
                throw ContentProblem.tooManyCells(limit: limits.maxCellsPerSheet)
            }
            var style = styles.styles.cellStyle(cellStyleName)
            if valueType == .percentage && !style.isPercentFormat {
                // The value type alone says the number is shown × 100.
                style.numberFormat = "0%"
            }
            for k in 0..<cellRepeat {
                rowCells.append(Cell(column: column + k, value: value, style: style, formula: formula))
            }
        }
        column = Self.adding(column, cellRepeat)
    }

    private mutating func finishRow() throws {
        inRow = false
        defer { rowIndex = Self.adding(rowIndex, rowRepeat) }
        guard !rowCells.isEmpty else { return }
        if Self.adding(rowIndex, rowRepeat) > limits.maxRows {
            throw ContentProblem.rowBeyondLimit(row: rowIndex, limit: limits.maxRows)
        }
        let (total, overflow) = rowCells.count.multipliedReportingOverflow(by: rowRepeat)
        if overflow || cellCount + total > limits.maxCellsPerSheet {
            throw ContentProblem.tooManyCells(limit: limits.maxCellsPerSheet)
        }
        cellCount += total
        for k in 0..<rowRepeat {
            rows.append(GridRow(index: rowIndex + k, cells: rowCells, hidden: rowHidden))
        }
    }

    private mutating func append(_ b: UInt8) throws {
        if text.count >= limits.maxStringBytes {
            throw ContentProblem.textTooLong(row: rowIndex, column: column, limit: limits.maxStringBytes)
        }
        text.append(b)
    }

    private func columnStyle(_ c: Int) -> String? {
        for (first, last, style) in columnStyles where c >= first && c <= last { return style }
        return nil
    }

    /// Saturating addition for positions (a hostile repeat count must not overflow).
    static func adding(_ a: Int, _ b: Int) -> Int {
        let (s, o) = a.addingReportingOverflow(b)
        return o ? Int.max / 2 : min(s, Int.max / 2)
    }

    /// `2023-03-14T00:00:00` → `2023-03-14`; other values as stored.
    static func isoDate(_ v: String) -> String {
        if v.hasSuffix("T00:00:00") { return String(v.dropLast(9)) }
        return v
    }

    /// `PT08H30M00S` (ISO 8601 duration, as ODF stores a time) → `08:30:00`, nil beyond a day or
    /// when malformed.
    static func timeOfDay(_ v: String) -> String? {
        var s = Substring(v.trimmingSpaces)
        guard s.hasPrefix("PT") else { return nil }
        s = s.dropFirst(2)
        var h = 0, m = 0
        var sec = "00"
        var number = ""
        for ch in s {
            if ch.isASCII && (ch.isNumber || ch == ".") { number.append(ch); if number.count > 20 { return nil }; continue }
            switch ch {
            case "H": guard let n = Int(number) else { return nil }; h = n
            case "M": guard let n = Int(number) else { return nil }; m = n
            case "S":
                guard !number.isEmpty, number.first != "." else { return nil }
                let parts = number.split(separator: ".", omittingEmptySubsequences: false)
                guard parts.count <= 2, let whole = Int(parts[0]), whole < 60 else { return nil }
                sec = (whole < 10 ? "0" : "") + String(whole)
                if parts.count == 2 {
                    let frac = parts[1].prefix(3)
                    if !frac.allSatisfy({ $0 == "0" }) { sec += "." + frac }
                }
            default: return nil
            }
            number = ""
        }
        guard number.isEmpty, h < 24, m < 60 else { return nil }
        return (h < 10 ? "0" : "") + String(h) + ":" + (m < 10 ? "0" : "") + String(m) + ":" + sec
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\n" || f == "\t" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\n" || l == "\t" || l == "\r" { s = s.dropLast() }
        return String(s)
    }
}
