/// The body of a Word document in reading order: paragraphs and tables. This is what the reader
/// keeps of a `.docx`; images, text boxes, headers/footers, footnotes, comments and deleted text
/// (tracked changes) are not part of it (see docs/docx-reader.md).
public enum DOCXBlock: Sendable, Hashable {
    case paragraph(DOCXParagraph)
    case table(DOCXTable)
}

/// One paragraph of the body (outside tables).
public struct DOCXParagraph: Sendable, Hashable {
    /// 0-based position among the body's paragraphs (outside tables), in reading order.
    public var index: Int
    /// The text, NFC: runs concatenated; a tab as `\t`, a line break as `\n`; automatic list
    /// numbering (which Word computes, not stores) is not included.
    public var text: String
    /// The paragraph style id (`Heading1`, `ListParagraph`…), nil for the default.
    public var style: String?
    /// True when every run with text is bold.
    public var bold: Bool
    /// True when a page or section break ends this paragraph (or one is set before it).
    public var breaksPage: Bool

    public init(index: Int, text: String, style: String? = nil, bold: Bool = false, breaksPage: Bool = false) {
        self.index = index
        self.text = text
        self.style = style
        self.bold = bold
        self.breaksPage = breaksPage
    }

    /// The outline level of a heading style (`Heading1` → 1, `Title` → 0), else nil.
    public var headingLevel: Int? {
        guard let style else { return nil }
        let lower = style.lowercased()
        if lower == "title" { return 0 }
        for prefix in ["heading", "tieude", "u"] where lower.hasPrefix(prefix) {
            // Word stores localised style ids for built-in headings ("Heading1", "u1" in some locales).
            let rest = lower.dropFirst(prefix.count)
            if let n = Int(rest), (1...9).contains(n) { return n }
        }
        return nil
    }
}

/// A table of the body, rows in order. Cells are placed on the table's grid: a cell spanning
/// columns (`gridSpan`) starts at `column` and covers `columnSpan`; a cell continuing a vertical
/// merge (`vMerge`) is kept with `continuesVerticalMerge` and empty text.
public struct DOCXTable: Sendable, Hashable {
    /// 1-based number of the table among the body's top-level tables ("Bảng 3").
    public var number: Int
    /// The paragraph index (see `DOCXParagraph.index`) the table follows: the paragraphs with a
    /// smaller index come before it.
    public var paragraphsBefore: Int
    public var rows: [DOCXTableRow]

    public init(number: Int, paragraphsBefore: Int, rows: [DOCXTableRow]) {
        self.number = number
        self.paragraphsBefore = paragraphsBefore
        self.rows = rows
    }

    /// Columns used by the widest row.
    public var columnCount: Int {
        rows.map { r in r.cells.map { $0.column + $0.columnSpan }.max() ?? 0 }.max() ?? 0
    }
}

public struct DOCXTableRow: Sendable, Hashable {
    public var cells: [DOCXTableCell]
    /// `w:tblHeader`: Word repeats this row at the top of each page.
    public var repeatsAsHeader: Bool
    public init(cells: [DOCXTableCell], repeatsAsHeader: Bool = false) {
        self.cells = cells
        self.repeatsAsHeader = repeatsAsHeader
    }
}

public struct DOCXTableCell: Sendable, Hashable {
    /// 0-based first grid column.
    public var column: Int
    /// Grid columns covered (`gridSpan`, at least 1).
    public var columnSpan: Int
    /// The cell's paragraphs joined with `\n` (empty paragraphs dropped), NFC. A table nested in
    /// the cell adds its rows as lines (cells separated by a tab).
    public var text: String
    /// True when the cell continues a vertical merge started above (its text is empty).
    public var continuesVerticalMerge: Bool
    public var bold: Bool
    public var italic: Bool

    public init(column: Int, columnSpan: Int = 1, text: String, continuesVerticalMerge: Bool = false,
                bold: Bool = false, italic: Bool = false) {
        self.column = column
        self.columnSpan = columnSpan
        self.text = text
        self.continuesVerticalMerge = continuesVerticalMerge
        self.bold = bold
        self.italic = italic
    }
}

/// Bounds on what the reader accepts, so that a hostile or broken file is refused with a message
/// instead of exhausting memory or time. Generous for real reports (a 300-page report is a few MB).
public struct DOCXLimits: Sendable, Hashable {
    /// All parts read, inflated together.
    public var maxTotalUncompressedBytes: UInt64 = 512 << 20
    /// `word/document.xml` inflated.
    public var maxPartBytes: UInt64 = 256 << 20
    /// Inflated bytes per compressed byte for parts over 1 MiB (a zip bomb's mark).
    public var maxCompressionRatio: UInt64 = 500
    /// Paragraphs plus table cells in the document.
    public var maxBlocks: Int = 2_000_000
    /// Text bytes kept in all (paragraphs and cells together).
    public var maxTextBytes: Int = 64 << 20
    /// Bytes of one paragraph or cell text.
    public var maxStringBytes: Int = 4 << 20
    /// Tables inside tables (a table in a cell is depth 2).
    public var maxTableNesting: Int = 8
    /// Columns of one table row.
    public var maxColumns: Int = 1024
    /// XML element nesting depth.
    public var maxNestingDepth: Int = 256
    /// Paragraphs above a table taken as its title lines (back to the previous table, a page or
    /// section break, or this many non-empty paragraphs).
    public var maxTitleLines: Int = 8

    public init() {}
    public static let `default` = DOCXLimits()
}
