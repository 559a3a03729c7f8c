import CSVInput
import Foundation
import SheetGrid
import Support
import XLSXInput
import XlsxWriterWrapper

/// `dump`: one sheet copied between a spreadsheet and CSV, either way, or the list of sheets.
///
/// ```swift
/// print(Dump.listing(try Dump.sheets(of: "bao-cao.xlsx")))
/// try Dump.sheetToCSV(input: "bao-cao.xlsx", sheet: "Phụ lục", output: "phu-luc.csv")
/// let copy = try Dump.csvToXLSX(input: "phu-luc.csv", output: "phu-luc.xlsx")
/// ```
public enum Dump {
    /// One sheet as `dump --list` shows it.
    public struct SheetLine: Sendable, Hashable {
        /// 1-based.
        public var index: Int
        public var name: String
        /// `visible`, `hidden` or `veryHidden`.
        public var state: String
        /// `worksheet`, `chartsheet`…; `csv` for a CSV file.
        public var kind: String
    }

    /// True for the names of CSV inputs (`.csv`, `.tsv`, `.txt`), which are copied to .xlsx.
    public static func isCSVPath(_ path: String) -> Bool {
        ["csv", "tsv", "txt"].contains((path as NSString).pathExtension.lowercased())
    }

    /// The sheets of `input`: a workbook's as stored, any other document's as read; a CSV file is
    /// one sheet, named `sheet` or after the file (see `sheetName(for:sheet:)`).
    public static func sheets(of input: String, sheet: String? = nil) throws -> [SheetLine] {
        if isCSVPath(input) {
            return [SheetLine(index: 1, name: sheetName(for: input, sheet: sheet), state: "visible", kind: "csv")]
        }
        let format = try InputFormat.sniff(path: input)
        if format != .xlsx && format != .csv {
            let entries = try AppendixReader.openSheets(path: input).document.sheetEntries
            return entries.enumerated().map {
                SheetLine(index: $0.offset + 1, name: $0.element.name, state: $0.element.isHidden ? "hidden" : "visible",
                          kind: "worksheet")
            }
        }
        return try XLSXWorkbook(path: input).sheets.map {
            SheetLine(index: $0.index, name: $0.name, state: $0.state.rawValue, kind: "\($0.kind)")
        }
    }

    /// The tab-separated listing `dump --list` prints, with its heading line.
    public static func listing(_ sheets: [SheetLine]) -> String {
        (["index\tname\tstate\tkind"] + sheets.map { "\($0.index)\t\($0.name)\t\($0.state)\t\($0.kind)" })
            .joined(separator: "\n") + "\n"
    }

    /// Writes one sheet of `input` as RFC 4180 CSV (UTF-8, CRLF, quoted only when needed; dates
    /// ISO 8601, numbers as stored, error cells as their code) to `output`, atomically, or to
    /// standard output when `output` is nil or `-`. An .xlsx sheet is streamed; other documents
    /// (.ods, .xls…) are read through `AppendixReader`. `sheet`: a name or 1-based number, else
    /// the first visible sheet. Formula-like fields get a leading `'` unless `rawValues`.
    /// Missing rows are written as empty records (line N is sheet row N), and records are padded
    /// to the sheet's width (up to 1024 columns) so that CSV readers see a rectangle.
    public static func sheetToCSV(input: String, sheet: String? = nil, output: String?, force: Bool = false,
                                  rawValues: Bool = false) throws {
        let toFile = output.flatMap { $0 == "-" ? nil : $0 }
        // Refuse early, before reading anything, when the output exists.
        if let toFile { try AtomicOutput.checkWritable(toFile, force: force, inputs: [input]) }
        let format = try InputFormat.sniff(path: input)
        let width: Int
        let rows: ((GridRow) throws -> Void) throws -> Void
        if format != .xlsx && format != .csv {
            // The sheet in memory; an .xlsx streams below, and text named otherwise than .csv is
            // explained by the workbook reader.
            let document = try AppendixReader.openSheets(path: input).document
            let entries = document.sheetEntries
            let index = try sheet.map { try AppendixReader.sheetIndex($0, in: entries, file: input) }
                ?? entries.firstIndex(where: { !$0.isHidden }) ?? 0
            let grid = try document.grid(ofSheet: index)
            let widest = grid.rows.map { ($0.cells.last?.column ?? -1) + 1 }.max() ?? 0
            width = widest <= 1024 ? widest : 0
            rows = { body in for row in grid.rows { try body(row) } }
        } else {
            let workbook = try XLSXWorkbook(path: input)
            let target = try sheet.map { try workbook.sheet($0) } ?? workbook.firstSheet
            // A declared width beyond 1024 columns (producers write A1:XFD1048576) is not trusted.
            let declared = workbook.declaredDimension(of: target).map { $0.lastColumn + 1 } ?? 0
            width = declared <= 1024 ? declared : 0
            rows = { body in _ = try workbook.forEachRow(in: target, body) }
        }
        func write(_ writer: inout CSVRecordWriter) throws {
            var nextRow = 0
            try rows { row in
                // Rows absent from the file are written as empty records, so line N is sheet row N.
                while nextRow < row.index {
                    writer.endRecord(fieldsSoFar: 0, width: width)
                    nextRow += 1
                    try writer.flushIfFull()
                }
                guard row.index >= nextRow else { return } // rows out of order: keep the first
                var column = 0
                for cell in row.cells {
                    while column < cell.column {
                        if column > 0 { writer.separator() }
                        column += 1
                    }
                    if column > 0 { writer.separator() }
                    writer.field(cell.value.plainText)
                    column += 1
                }
                writer.endRecord(fieldsSoFar: column, width: width)
                nextRow = row.index + 1
                try writer.flushIfFull()
            }
        }
        if let out = toFile {
            try AtomicOutput.write(to: out, force: force, inputs: [input]) { tmp in
                guard let file = fopen(tmp, "wb") else {
                    throw BieuMauError(.cannotCreate, vi: "Không tạo được tệp \(out).", en: "Cannot create \(out).")
                }
                var writer = CSVRecordWriter(file: file, path: out, rawValues: rawValues)
                do {
                    try write(&writer)
                    try writer.close()
                } catch {
                    _ = try? writer.close()
                    throw error
                }
            }
        } else {
            guard let out = fdopen(dup(STDOUT_FILENO), "wb") else {
                throw BieuMauError(.cannotCreate, vi: "Không ghi được stdout.", en: "Cannot write to stdout.")
            }
            var writer = CSVRecordWriter(file: out, path: "stdout", rawValues: rawValues)
            try write(&writer)
            try writer.close()
        }
    }

    /// What `csvToXLSX` wrote.
    public struct CSVCopy: Sendable {
        public var sheetName: String
        public var rows: Int
        /// Non-empty cells.
        public var cells: Int
        public var encoding: CSVEncoding
        public var delimiter: Character
    }

    /// Streams a CSV file into one sheet of a new workbook `output` (.xlsx, atomically; memory
    /// does not grow with the file). A field that is a plain decimal number (-12, 3.5; no grouping,
    /// no leading zeros, at most 15 digits) becomes a number; everything else (03, codes, 1.234,5)
    /// stays text. `sheet` names the sheet (else the file name); `delimiter` is detected when nil.
    public static func csvToXLSX(input: String, output: String, sheet: String? = nil, delimiter: Character? = nil,
                                 force: Bool = false) throws -> CSVCopy {
        guard (output as NSString).pathExtension.lowercased() == "xlsx" else {
            throw BieuMauError(.usage, vi: "tệp kết quả \(output) phải có đuôi .xlsx.", en: "the output \(output) must end in .xlsx.")
        }
        // Refuse early, before reading, when the output exists.
        try AtomicOutput.checkWritable(output, force: force, inputs: [input])
        let reader = try CSVStreamReader(file: input, delimiter: delimiter)
        let name = sheetName(for: input, sheet: sheet)
        let (rows, cells) = try AtomicOutput.write(to: output, force: force, inputs: [input]) { tmp in
            let workbook = try XlsxWorkbook(path: tmp, constantMemory: true)
            let worksheet = try workbook.addWorksheet(name: name)
            let counts = try copy(reader, into: worksheet)
            try workbook.close()
            return counts
        }
        return CSVCopy(sheetName: name, rows: rows, cells: cells, encoding: reader.encoding, delimiter: reader.delimiter)
    }

    /// `sheet`, else the input's file name without extension, made a valid sheet name.
    public static func sheetName(for input: String, sheet: String?) -> String {
        var base = sheet ?? ((input as NSString).lastPathComponent as NSString).deletingPathExtension
        base = TextNormalization.nfc(base)
        base = String(base.map { "[]:*?/\\".contains($0) ? "_" : $0 })
        base = base.trimmingCharacters(in: CharacterSet(charactersIn: "' "))
        if base.count > 31 { base = String(base.prefix(31)) }
        return base.isEmpty ? "Sheet1" : base
    }

    /// Writes every record as one row; returns (rows, non-empty cells).
    static func copy(_ reader: CSVStreamReader, into sheet: XlsxWorksheet) throws -> (Int, Int) {
        var rows = 0
        var cells = 0
        let maxCellChars = 32_767
        try reader.forEachRecord { record in
            if record.index >= XlsxWorksheet.maxRows {
                throw BieuMauError(.dataError,
                    vi: "tệp có hơn \(XlsxWorksheet.maxRows) dòng, quá số dòng của một trang tính Excel. Hãy chia nhỏ tệp.",
                    en: "the file has more than \(XlsxWorksheet.maxRows) records, more than an Excel sheet holds. Split the file.",
                    at: SourceLocation(file: reader.path, line: record.line))
            }
            if record.count > XlsxWorksheet.maxColumns {
                throw BieuMauError(.dataError,
                    vi: "dòng có \(record.count) cột, quá \(XlsxWorksheet.maxColumns) cột của một trang tính Excel.",
                    en: "the record has \(record.count) fields, more than the \(XlsxWorksheet.maxColumns) columns of an Excel sheet.",
                    at: SourceLocation(file: reader.path, line: record.line))
            }
            rows = record.index + 1
            for i in 0..<record.count {
                let bytes = record.field(i)
                if bytes.isEmpty { continue }
                cells += 1
                if PlainNumber.isPlain(bytes) {
                    try sheet.writeNumber(row: record.index, col: i, strtod(record.cString(i), nil))
                    continue
                }
                if bytes.count > maxCellChars {
                    var chars = 0
                    for b in bytes where b & 0xC0 != 0x80 { chars += 1 }
                    if chars > maxCellChars {
                        throw BieuMauError(.dataError,
                            vi: "ô có \(chars) ký tự, quá \(maxCellChars) ký tự của một ô Excel.",
                            en: "the field has \(chars) characters, more than the \(maxCellChars) an Excel cell holds.",
                            at: SourceLocation(file: reader.path, line: record.line, column: i + 1))
                    }
                }
                if TextNormalization.isCertainlyNFC(utf8: bytes) {
                    try sheet.writeString(row: record.index, col: i, nfcCString: record.cString(i))
                } else {
                    try sheet.writeString(row: record.index, col: i, record.string(i))
                }
            }
        }
        return (rows, cells)
    }
}
