import Support

/// Ceilings on what the CSV readers accept, so that a hostile or broken file is refused quickly
/// with a message instead of exhausting memory. The defaults are far above any real appendix.
public struct CSVLimits: Sendable, Hashable {
    /// The whole file, for the reader that loads it at once (`CSVReader.read`). The streaming
    /// reader (`CSVStreamReader`) has no size limit: its memory does not grow with the file.
    public var maxFileBytes: Int = 64 << 20
    /// One field, in UTF-8 bytes (an unclosed quote otherwise swallows the rest of the file).
    public var maxFieldBytes: Int = 4 << 20
    /// Fields in one record (Excel's 16,384 columns).
    public var maxFieldsPerRecord: Int = 16_384
    /// Records in the file.
    public var maxRecords: Int = 10_000_000
    /// Non-empty cells in the file (each held costs ~100 bytes).
    public var maxCells: Int = 50_000_000

    public init() {}

    public static let `default` = CSVLimits()

    /// For a file read as one appendix (`AppendixLimits`): far fewer records and cells.
    public static let appendix: CSVLimits = {
        var l = CSVLimits()
        l.maxRecords = AppendixLimits.maxRows
        l.maxCells = AppendixLimits.maxCells
        return l
    }()

    static func tooManyCells(_ limit: Int, file: String, line: Int) -> BieuMauError {
        BieuMauError(.dataError,
            vi: "tệp có hơn \(limit) ô có dữ liệu, vượt giới hạn cho một phụ lục. Hãy kiểm tra có chọn nhầm tệp.",
            en: "the file has more than \(limit) non-empty cells, over the limit for an appendix. Check that this is the right file.",
            at: SourceLocation(file: file, line: line))
    }

    static func fieldTooLong(_ limit: Int, file: String, line: Int, column: Int) -> BieuMauError {
        BieuMauError(.dataError,
            vi: "ô dài hơn \(limit) byte (có thể do một dấu ngoặc kép \" không được đóng). Hãy kiểm tra ô này; tệp không được đọc.",
            en: "a field is longer than \(limit) bytes (perhaps a double quote \" that is never closed). Check this field; the file was not read.",
            at: SourceLocation(file: file, line: line, column: column))
    }

    static func tooManyFields(_ limit: Int, file: String, line: Int) -> BieuMauError {
        BieuMauError(.dataError,
            vi: "dòng có hơn \(limit) cột. Hãy kiểm tra dấu phân cách của tệp.",
            en: "the record has more than \(limit) fields. Check the file's delimiter.",
            at: SourceLocation(file: file, line: line))
    }

    static func tooManyRecords(_ limit: Int, file: String, line: Int) -> BieuMauError {
        BieuMauError(.dataError,
            vi: "tệp có hơn \(limit) dòng dữ liệu, vượt giới hạn. Hãy chia nhỏ tệp.",
            en: "the file has more than \(limit) records, over the limit. Split the file.",
            at: SourceLocation(file: file, line: line))
    }

    static func fileTooLarge(_ size: Int, _ limit: Int, file: String) -> BieuMauError {
        BieuMauError(.dataError,
            vi: "tệp lớn \(size) byte, vượt giới hạn \(limit) byte cho một phụ lục. Hãy kiểm tra có chọn nhầm tệp.",
            en: "the file has \(size) bytes, over the \(limit)-byte limit for an appendix. Check that this is the right file.",
            at: SourceLocation(file: file))
    }
}
