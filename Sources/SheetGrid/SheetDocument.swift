/// A file of one or more sheets, whatever its format: what every reader produces and what the
/// library's one reader entry point asks of it. Each format's reader (CSV, XLSX, XLS, ODS, DOCX)
/// owns its format and conforms to this; the table locator and everything after it see only grids.
///
/// A CSV file is one sheet; a workbook has its sheets; a Word document gives one sheet per table
/// (with the paragraphs above the table as title rows).
public protocol SheetDocument {
    /// The sheets in file order.
    var sheetEntries: [SheetEntry] { get }
    /// Document properties the producer stored (custom properties of a workbook), else empty.
    var documentProperties: [String: String] { get }
    /// Things the reader did that the user should know once (e.g. "TCVN3 text converted to
    /// Unicode"), shown as information, never as errors.
    var notices: [ReadingNotice] { get }
    /// The grid of one sheet (an index into `sheetEntries`).
    func grid(ofSheet index: Int) throws -> Grid
}

/// One sheet of a `SheetDocument`.
public struct SheetEntry: Sendable, Hashable {
    public var name: String
    public var isHidden: Bool
    public init(name: String, isHidden: Bool = false) {
        self.name = name
        self.isHidden = isHidden
    }
}

/// Information from a reader, in both languages.
public struct ReadingNotice: Sendable, Hashable {
    public var vi: String
    public var en: String
    public init(vi: String, en: String) {
        self.vi = vi
        self.en = en
    }
}
