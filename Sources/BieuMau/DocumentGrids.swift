import Foundation
import SheetGrid
import Support

/// A document's sheets as grids, for jobs that need the cells rather than a located appendix
/// (`forms import` infers a form from them). Read through the same sniffing and readers as
/// ``AppendixReader/read(path:formID:sheet:)``.
public struct DocumentGrids: Sendable {
    /// The sheets holding cells, visible sheets first, each grid naming the file as given.
    public var grids: [Grid]
    public var notices: [ReadingNotice]
    public var format: InputFormat
}

extension AppendixReader {
    /// Every sheet of the file as a grid (visible sheets first); `sheet` (name or 1-based number)
    /// keeps only that one.
    public static func grids(path: String, sheet: String? = nil) throws -> DocumentGrids {
        try Self.checkInputFile(path)
        do {
            let format = try InputFormat.sniff(path: path)
            if format == .csv, sheet != nil {
                throw BieuMauError(.usage, vi: "--sheet chỉ dùng cho bảng tính; \(path) là tệp CSV.",
                                   en: "--sheet applies to workbooks only; \(path) is a CSV file.")
            }
            let document = try openDocument(format, path: path)
            let entries = document.sheetEntries
            var indices = entries.indices.filter { !entries[$0].isHidden } + entries.indices.filter { entries[$0].isHidden }
            if let sheet { indices = [try sheetIndex(sheet, in: entries, file: path)] }
            let grids = try indices.map { try document.grid(ofSheet: $0) }
            return DocumentGrids(grids: grids, notices: document.notices, format: format)
        } catch let error as BieuMauError {
            throw error.inFile(path)
        }
    }
}
