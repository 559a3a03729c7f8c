import Foundation
import SheetGrid
import Support

/// What the reader found out about a CSV file besides its cells.
public struct CSVDocument: Sendable {
    public var grid: Grid
    public var encoding: CSVEncoding
    public var delimiter: Character
}

/// Reads CSV as offices produce it into a grid in memory: UTF-8 (with or without BOM), UTF-16
/// (Excel "Unicode text", tabs), Windows-1258 (Excel "CSV" on Vietnamese Windows), TCVN3/VNI;
/// `,` `;` or tab (an Excel `sep=` first line names it and is not a row); RFC 4180 quoting with
/// line breaks inside quoted fields; CRLF, LF or CR line ends. The tokenizer is `CSVStreamReader`'s.
/// Every field keeps its raw text (NFC); `GridRow.sourceLine` is the line the record starts on.
public enum CSVReader {
    /// Reads a file; a missing file is exit 66, unreadable content exit 65.
    public static func read(file path: String, delimiter: Character? = nil,
                            limits: CSVLimits = .default) throws -> CSVDocument {
        guard FileManager.default.fileExists(atPath: path) else {
            throw BieuMauError(.noInput, vi: "Không có tệp \(path).", en: "The file \(path) does not exist.",
                               at: SourceLocation(file: path))
        }
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int,
           size > limits.maxFileBytes {
            throw CSVLimits.fileTooLarge(size, limits.maxFileBytes, file: path)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BieuMauError(.noInput, vi: "Không đọc được tệp \(path).", en: "Cannot read the file \(path).",
                               at: SourceLocation(file: path))
        }
        return try read(data: data, fileName: path, delimiter: delimiter, limits: limits)
    }

    public static func read(data: Data, fileName: String, delimiter: Character? = nil,
                            limits: CSVLimits = .default) throws -> CSVDocument {
        if data.count > limits.maxFileBytes {
            throw CSVLimits.fileTooLarge(data.count, limits.maxFileBytes, file: fileName)
        }
        if data.isEmpty {
            throw BieuMauError(.dataError, vi: "tệp rỗng (0 byte). Hãy xin lại tệp gốc.",
                               en: "the file is empty (0 bytes). Ask for the original file again.",
                               at: SourceLocation(file: fileName))
        }
        let reader = try CSVStreamReader(data: data, fileName: fileName, delimiter: delimiter, limits: limits)
        return CSVDocument(grid: Grid(source: .csv(file: fileName), rows: try gridRows(reader)),
                           encoding: reader.encoding, delimiter: reader.delimiter)
    }

    /// The records of `reader` as grid rows: a cell per non-empty field, NFC text.
    static func gridRows(_ reader: CSVStreamReader) throws -> [GridRow] {
        var rows: [GridRow] = []
        var cellCount = 0
        try reader.forEachRecord { record in
            var cells: [Cell] = []
            for i in 0..<record.count where !record.field(i).isEmpty {
                cellCount += 1
                if cellCount > reader.limits.maxCells {
                    throw CSVLimits.tooManyCells(reader.limits.maxCells, file: reader.path, line: record.line)
                }
                cells.append(Cell(column: i, value: .text(record.string(i))))
            }
            rows.append(GridRow(index: record.index, cells: cells, sourceLine: record.line))
        }
        return rows
    }

    /// Excel's `sep=;` first line, which names the delimiter.
    static func excelSeparatorHint(_ s: [Unicode.Scalar]) -> Character? {
        guard s.count >= 5, String(String.UnicodeScalarView(s[0..<4])).lowercased() == "sep=" else { return nil }
        let d = s[4]
        guard d == "," || d == ";" || d == "\t" || d == "|" else { return nil }
        if s.count > 5 && s[5] != "\n" && s[5] != "\r" { return nil }
        return Character(d)
    }

    /// Parses already decoded text (with the same tokenizer as files).
    public static func parse(text: String, fileName: String, delimiter: Character? = nil,
                             limits: CSVLimits = .default) throws -> Grid {
        guard !text.isEmpty else { return Grid(source: .csv(file: fileName), rows: []) }
        let reader = try CSVStreamReader(source: .data(Data(TextNormalization.nfc(text).utf8)), name: fileName,
                                         delimiter: delimiter, limits: limits, chunkSize: 1 << 18, encoding: .utf8)
        return Grid(source: .csv(file: fileName), rows: try gridRows(reader))
    }

    /// The delimiter (`,`, `;` or tab) that splits the first lines into the most records of one
    /// consistent width of at least 3 columns; `,` when nothing is convincing.
    public static func detectDelimiter(_ scalars: [Unicode.Scalar], sampleRecords: Int = 60) -> Character {
        var best: (delim: Character, score: Int) = (",", 0)
        for candidate in [",", ";", "\t"] as [Character] {
            let d = candidate.unicodeScalars.first!
            let widths = sampleWidths(scalars, delimiter: d, limit: sampleRecords)
            var histogram: [Int: Int] = [:]
            for w in widths where w >= 2 { histogram[w, default: 0] += 1 }
            // The most common width of at least 3 columns, and how many records have it.
            let mode = histogram.filter { $0.key >= 3 }.max { a, b in a.value < b.value || (a.value == b.value && a.key < b.key) }
            let score = mode?.value ?? 0
            if score > best.score { best = (candidate, score) }
        }
        return best.delim
    }

    /// Field counts of the first records (quote-aware, never throws).
    static func sampleWidths(_ s: [Unicode.Scalar], delimiter: Unicode.Scalar, limit: Int) -> [Int] {
        var widths: [Int] = []
        var fields = 1
        var inQuotes = false
        var atFieldStart = true
        var nonEmpty = false
        var i = 0
        while i < s.count && widths.count < limit {
            let c = s[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < s.count && s[i + 1] == "\"" { i += 1 } else { inQuotes = false }
                }
            } else if c == "\"" && atFieldStart {
                inQuotes = true
                atFieldStart = false
                nonEmpty = true
            } else if c == delimiter {
                fields += 1
                atFieldStart = true
            } else if c == "\n" || c == "\r" {
                if nonEmpty || fields > 1 { widths.append(fields) }
                if c == "\r" && i + 1 < s.count && s[i + 1] == "\n" { i += 1 }
                fields = 1
                atFieldStart = true
                nonEmpty = false
            } else {
                atFieldStart = false
                if c != " " { nonEmpty = true }
            }
            i += 1
        }
        if (nonEmpty || fields > 1) && widths.count < limit { widths.append(fields) }
        return widths
    }
}

/// A CSV file is a document of one sheet, named after the file (as spreadsheet programs do).
extension CSVDocument: SheetDocument {
    public var sheetEntries: [SheetEntry] {
        [SheetEntry(name: ((grid.fileName as NSString).lastPathComponent as NSString).deletingPathExtension)]
    }
    public var documentProperties: [String: String] { [:] }
    public var notices: [ReadingNotice] { encoding.notice.map { [$0] } ?? [] }
    public func grid(ofSheet index: Int) throws -> Grid { grid }
}
