import VietnameseText
import XMLScan

/// What went past a limit while reading the body.
enum DOCXLimitExceeded: Error {
    case blocks(Int)
    case textBytes(Int)
    case stringBytes(Int)
    case tableNesting(Int)
    case columns(Int)
}

/// Fonts and bold/italic of the styles in `word/styles.xml`, for resolving a run's font.
struct StyleSheet: Sendable {
    struct Style: Sendable {
        var basedOn: String?
        var font: String?
        var bold: Bool?
        var italic: Bool?
    }
    var styles: [String: Style] = [:]
    var defaultFont: String?
    var defaultParagraphStyle: String?

    /// The font a style gives, following `basedOn` (bounded against cycles).
    func font(ofStyle id: String?) -> String? {
        var current = id ?? defaultParagraphStyle
        var steps = 0
        while let c = current, steps < 32, let s = styles[c] {
            if let f = s.font { return f }
            current = s.basedOn
            steps += 1
        }
        return nil
    }

    func flag(ofStyle id: String?, _ pick: (Style) -> Bool?) -> Bool? {
        var current = id
        var steps = 0
        while let c = current, steps < 32, let s = styles[c] {
            if let v = pick(s) { return v }
            current = s.basedOn
            steps += 1
        }
        return nil
    }
}

/// Reads `word/styles.xml`: each style's id, `basedOn`, run fonts, bold and italic; the
/// document defaults' font.
struct StylesHandler: XMLHandler {
    var sheet = StyleSheet()
    private var currentID: String?
    private var current = StyleSheet.Style()
    private var inDefaults = false
    private var inRunProperties = false
    private var isDefaultParagraph = false

    mutating func startElement(_ name: XMLBytes, _ a: XMLAttributes) throws {
        if name.equals("style") {
            currentID = try a.string("styleId")
            current = StyleSheet.Style()
            isDefaultParagraph = try a.bool("default") && a.string("type") == "paragraph"
        } else if name.equals("rPrDefault") {
            inDefaults = true
        } else if name.equals("basedOn"), currentID != nil {
            current.basedOn = try a.string("val")
        } else if name.equals("rPr") {
            inRunProperties = true
        } else if name.equals("rFonts"), inRunProperties || inDefaults {
            let font = try a.string("ascii") ?? a.string("hAnsi")
            if inDefaults && currentID == nil { sheet.defaultFont = font ?? sheet.defaultFont }
            else if currentID != nil, let font { current.font = font }
        } else if currentID != nil && inRunProperties && (name.equals("b") || name.equals("i")) {
            let on = a.raw("val").map { !($0.equals("0") || $0.equals("false") || $0.equals("off")) } ?? true
            if name.equals("b") { current.bold = on } else { current.italic = on }
        }
    }

    mutating func endElement(_ name: XMLBytes) throws {
        if name.equals("style"), let id = currentID {
            if sheet.styles.count < 10_000 { sheet.styles[id] = current }
            if isDefaultParagraph { sheet.defaultParagraphStyle = id }
            currentID = nil
        } else if name.equals("rPrDefault") {
            inDefaults = false
        } else if name.equals("rPr") {
            inRunProperties = false
        }
    }

    mutating func text(_ raw: XMLBytes, cdata: Bool) throws {}
}

/// The target of the package's officeDocument relationship (`_rels/.rels`).
struct PackageRelationshipsHandler: XMLHandler {
    var documentTarget: String?
    mutating func startElement(_ name: XMLBytes, _ a: XMLAttributes) throws {
        guard name.equals("Relationship"), documentTarget == nil,
              let type = try a.string("Type"), type.hasSuffix("/officeDocument") else { return }
        documentTarget = try a.string("Target")
    }
    mutating func endElement(_ name: XMLBytes) throws {}
    mutating func text(_ raw: XMLBytes, cdata: Bool) throws {}
}

/// Reads `word/document.xml` into blocks. Namespace-blind (local names), like the other readers.
///
/// Kept: the text of `w:t` in runs (including inserted text of tracked changes, hyperlinks, fields'
/// results and content controls), tabs, line breaks, non-breaking hyphens; tables with `gridSpan`,
/// `gridBefore`, `vMerge`, `hMerge` and `tblHeader`. Skipped: deleted and moved-away text
/// (`w:del`, `w:moveFrom`), field codes (`w:instrText`), drawings, pictures, embedded objects and
/// text boxes (`w:drawing`, `w:pict`, `w:object`, `w:txbxContent`), the fallback branch of
/// alternate content, and the run properties of paragraph marks.
struct BodyHandler: XMLHandler {
    let limits: DOCXLimits
    let styles: StyleSheet

    var blocks: [DOCXBlock] = []
    var paragraphCount = 0
    var tableCount = 0
    /// Legacy font encodings whose runs were converted to Unicode.
    var converted: Set<LegacyVietnameseEncoding> = []
    private var blockCount = 0
    private var textBytes = 0

    // Skipping subtrees.
    private var skipDepth = 0

    // The paragraph being read.
    private var inParagraph = 0
    private var paragraphText: [UInt8] = []
    private var paragraphStyle: String?
    private var paragraphBreaksPage = false
    private var paragraphAllBold = true
    private var paragraphAllItalic = true
    private var paragraphHasText = false
    private var inParagraphProperties = false

    // The run being read.
    private var inRun = false
    private var inRunProperties = false
    private var runBold: Bool?
    private var runItalic: Bool?
    private var runFont: String?
    private var runStyle: String?
    private var runStart = 0
    private var inText = false

    // Tables being read (innermost last).
    private struct CellBuilder {
        var column: Int
        var span = 1
        var vMerge: Int = 0  // 0 none, 1 restart, 2 continue
        var hMergeContinue = false
        var lines: [String] = []
        var allBold = true
        var allItalic = true
        var hasText = false
    }
    private struct RowBuilder {
        var cells: [DOCXTableCell] = []
        var header = false
        var nextColumn = 0
    }
    private struct TableBuilder {
        var rows: [DOCXTableRow] = []
        var row: RowBuilder?
        var cell: CellBuilder?
        var inRowProperties = false
        var inCellProperties = false
        var inTableProperties = false
    }
    private var tables: [TableBuilder] = []

    init(limits: DOCXLimits, styles: StyleSheet) {
        self.limits = limits
        self.styles = styles
    }

    // MARK: Events

    mutating func startElement(_ name: XMLBytes, _ a: XMLAttributes) throws {
        if skipDepth > 0 { skipDepth += 1; return }
        if Self.isSkipped(name) { skipDepth = 1; return }

        if name.equals("p") {
            inParagraph += 1
            if inParagraph == 1 { startParagraph() }
            return
        }
        if name.equals("r") { startRun(); return }
        if name.equals("t") { if inRun { inText = true }; return }
        if name.equals("tab") { if inRun && !inRunProperties { append("\t") }; return }
        if name.equals("br") || name.equals("cr") {
            if inRun && !inRunProperties {
                // A page or column break ends the page, not the line: no text.
                let type = try a.string("type")
                if type == "page" { paragraphBreaksPage = true }
                if type != "page" && type != "column" { append("\n") }
            }
            return
        }
        if name.equals("noBreakHyphen") { if inRun { append("-") }; return }
        if name.equals("pPr") { inParagraphProperties = true; return }
        if name.equals("rPr") {
            if inRun { inRunProperties = true } else if inParagraphProperties { skipDepth = 1 }
            return
        }
        if inRunProperties {
            if name.equals("b") { runBold = Self.on(a) }
            else if name.equals("i") { runItalic = Self.on(a) }
            else if name.equals("rFonts") { runFont = try a.string("ascii") ?? a.string("hAnsi") ?? runFont }
            else if name.equals("rStyle") { runStyle = try a.string("val") }
            return
        }
        if inParagraphProperties {
            if name.equals("pStyle") { paragraphStyle = try a.string("val") }
            else if name.equals("pageBreakBefore") && Self.on(a) { paragraphBreaksPage = true }
            else if name.equals("sectPr") { paragraphBreaksPage = true; skipDepth = 1 }
            return
        }
        try startTableElement(name, a)
    }

    mutating func endElement(_ name: XMLBytes) throws {
        if skipDepth > 0 { skipDepth -= 1; return }
        if name.equals("t") { inText = false; return }
        if name.equals("r") { try endRun(); return }
        if name.equals("rPr") { inRunProperties = false; return }
        if name.equals("pPr") { inParagraphProperties = false; return }
        if name.equals("p") {
            inParagraph -= 1
            if inParagraph == 0 { try endParagraph() }
            return
        }
        try endTableElement(name)
    }

    mutating func text(_ raw: XMLBytes, cdata: Bool) throws {
        guard inText, skipDepth == 0 else { return }
        if cdata { paragraphText.append(contentsOf: raw) } else { try XMLText.appendDecoded(raw, to: &paragraphText) }
        if paragraphText.count > limits.maxStringBytes { throw DOCXLimitExceeded.stringBytes(limits.maxStringBytes) }
    }

    // MARK: Paragraphs and runs

    private static func isSkipped(_ name: XMLBytes) -> Bool {
        name.equals("del") || name.equals("moveFrom") || name.equals("instrText") || name.equals("delText")
            || name.equals("drawing") || name.equals("pict") || name.equals("object") || name.equals("txbxContent")
            || name.equals("Fallback") || name.equals("delInstrText") || name.equals("footnoteReference")
            || name.equals("endnoteReference") || name.equals("commentReference")
    }

    private static func on(_ a: XMLAttributes) -> Bool {
        a.raw("val").map { !($0.equals("0") || $0.equals("false") || $0.equals("off")) } ?? true
    }

    private mutating func startParagraph() {
        paragraphText.removeAll(keepingCapacity: true)
        paragraphStyle = nil
        paragraphBreaksPage = false
        paragraphAllBold = true
        paragraphAllItalic = true
        paragraphHasText = false
    }

    private mutating func startRun() {
        inRun = true
        runBold = nil
        runItalic = nil
        runFont = nil
        runStyle = nil
        runStart = paragraphText.count
    }

    private mutating func endRun() throws {
        inRun = false
        inText = false
        guard paragraphText.count > runStart else { return }
        let font = runFont ?? runStyle.flatMap { styles.font(ofStyle: $0) } ?? styles.font(ofStyle: paragraphStyle)
            ?? styles.defaultFont
        if let font, let legacy = VietnameseText.encoding(ofFont: font) {
            // Text typed in a TCVN3/VNI font: stored as the Windows-1252 reading of its bytes.
            let stored = String(decoding: paragraphText[runStart...], as: UTF8.self)
            let unicode = VietnameseText.convertFontText(stored, from: legacy, font: font)
            if unicode != stored {
                paragraphText.replaceSubrange(runStart..., with: Array(unicode.utf8))
                converted.insert(legacy)
            }
        }
        let bytes = paragraphText[runStart...]
        let visible = bytes.contains { $0 > 0x20 }
        if visible {
            paragraphHasText = true
            let bold = runBold ?? styles.flag(ofStyle: runStyle, { $0.bold }) ?? styles.flag(ofStyle: paragraphStyle, { $0.bold }) ?? false
            let italic = runItalic ?? styles.flag(ofStyle: runStyle, { $0.italic }) ?? styles.flag(ofStyle: paragraphStyle, { $0.italic }) ?? false
            if !bold { paragraphAllBold = false }
            if !italic { paragraphAllItalic = false }
        }
    }

    private mutating func endParagraph() throws {
        if inRun { try endRun() }
        let text = String(decoding: paragraphText, as: UTF8.self)
        try count(bytes: paragraphText.count)
        let bold = paragraphHasText && paragraphAllBold
        let italic = paragraphHasText && paragraphAllItalic
        if !tables.isEmpty {
            let t = tables.count - 1
            if tables[t].cell != nil {
                tables[t].cell!.lines.append(text)
                if paragraphHasText {
                    tables[t].cell!.hasText = true
                    if !bold { tables[t].cell!.allBold = false }
                    if !italic { tables[t].cell!.allItalic = false }
                }
            }
            // A paragraph directly in a table but outside a cell is malformed; its text is dropped.
            return
        }
        blocks.append(.paragraph(DOCXParagraph(index: paragraphCount, text: text, style: paragraphStyle,
                                               bold: bold, breaksPage: paragraphBreaksPage)))
        paragraphCount += 1
    }

    private mutating func append(_ s: StaticString) {
        paragraphText.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    private mutating func count(bytes: Int) throws {
        blockCount += 1
        textBytes += bytes
        if blockCount > limits.maxBlocks { throw DOCXLimitExceeded.blocks(limits.maxBlocks) }
        if textBytes > limits.maxTextBytes { throw DOCXLimitExceeded.textBytes(limits.maxTextBytes) }
    }

    // MARK: Tables

    private mutating func startTableElement(_ name: XMLBytes, _ a: XMLAttributes) throws {
        if name.equals("tbl") {
            if tables.count >= limits.maxTableNesting { throw DOCXLimitExceeded.tableNesting(limits.maxTableNesting) }
            tables.append(TableBuilder())
            return
        }
        guard !tables.isEmpty else { return }
        let t = tables.count - 1
        if name.equals("tr") {
            tables[t].row = RowBuilder()
        } else if name.equals("trPr") {
            tables[t].inRowProperties = true
        } else if tables[t].inRowProperties {
            if name.equals("tblHeader") { tables[t].row?.header = Self.on(a) }
            else if name.equals("gridBefore"), let n = a.int("val") {
                tables[t].row?.nextColumn += min(n, limits.maxColumns)
            }
        } else if name.equals("tc") {
            if tables[t].row == nil { tables[t].row = RowBuilder() }
            tables[t].cell = CellBuilder(column: tables[t].row!.nextColumn)
        } else if name.equals("tcPr") {
            tables[t].inCellProperties = true
        } else if tables[t].inCellProperties, tables[t].cell != nil {
            if name.equals("gridSpan"), let n = a.int("val") {
                tables[t].cell!.span = max(1, min(n, limits.maxColumns))
            } else if name.equals("vMerge") {
                let v = try a.string("val")
                tables[t].cell!.vMerge = (v == "restart") ? 1 : 2
            } else if name.equals("hMerge") {
                tables[t].cell!.hMergeContinue = (try a.string("val")) != "restart"
            }
        } else if name.equals("tblPr") {
            tables[t].inTableProperties = true
        }
    }

    private mutating func endTableElement(_ name: XMLBytes) throws {
        guard !tables.isEmpty else { return }
        let t = tables.count - 1
        if name.equals("trPr") {
            tables[t].inRowProperties = false
        } else if name.equals("tcPr") {
            tables[t].inCellProperties = false
        } else if name.equals("tblPr") {
            tables[t].inTableProperties = false
        } else if name.equals("tc") {
            guard let c = tables[t].cell else { return }
            tables[t].cell = nil
            if tables[t].row == nil { tables[t].row = RowBuilder() }
            let lines = c.lines.filter { line in line.utf8.contains { $0 > 0x20 } }
            var text = lines.joined(separator: "\n")
            if c.vMerge == 2 { text = "" }
            if c.hMergeContinue, var last = tables[t].row!.cells.popLast() {
                // Legacy horizontal merge: this cell widens the one before it.
                last.columnSpan += c.span
                tables[t].row!.cells.append(last)
                tables[t].row!.nextColumn += c.span
                return
            }
            let cell = DOCXTableCell(column: c.column, columnSpan: c.span, text: text,
                                     continuesVerticalMerge: c.vMerge == 2,
                                     bold: c.hasText && c.allBold, italic: c.hasText && c.allItalic)
            tables[t].row!.cells.append(cell)
            tables[t].row!.nextColumn = c.column + c.span
            if tables[t].row!.nextColumn > limits.maxColumns { throw DOCXLimitExceeded.columns(limits.maxColumns) }
            try count(bytes: 0)
        } else if name.equals("tr") {
            guard let r = tables[t].row else { return }
            tables[t].rows.append(DOCXTableRow(cells: r.cells, repeatsAsHeader: r.header))
            tables[t].row = nil
        } else if name.equals("tbl") {
            let done = tables.removeLast()
            if tables.isEmpty {
                tableCount += 1
                blocks.append(.table(DOCXTable(number: tableCount, paragraphsBefore: paragraphCount, rows: done.rows)))
            } else {
                // A table nested in a cell: its rows become lines of that cell (cells tab-separated).
                let u = tables.count - 1
                if tables[u].cell != nil {
                    for row in done.rows {
                        let line = row.cells.filter { !$0.continuesVerticalMerge }.map(\.text).joined(separator: "\t")
                        tables[u].cell!.lines.append(line)
                    }
                }
            }
        }
    }
}
