import Foundation

/// Exit codes follow BSD `sysexits.h`, as users' scripts expect.
public enum ExitStatus: Int32, Sendable {
    case success = 0
    /// Validation found errors (the file was read; the appendix has problems).
    case findings = 1
    case usage = 64
    case dataError = 65
    case noInput = 66
    case cannotCreate = 73
}

/// A user-facing text in Vietnamese (default) and English.
public struct Localized: Sendable, Hashable, Codable {
    public var vi: String
    public var en: String
    public init(vi: String, en: String) {
        self.vi = vi
        self.en = en
    }
    public func text(_ language: Language) -> String { language == .en ? en : vi }
}

public enum Language: String, Sendable, CaseIterable, Codable {
    case vi, en
}

/// Where something is in an input: a file, and inside it a sheet and cell, or a CSV line/column.
public struct SourceLocation: Sendable, Hashable, Codable {
    public var file: String?
    public var sheet: String?
    /// A1-style cell reference, for workbooks.
    public var cell: String?
    /// 1-based physical line and column, for CSV; 1-based row and column of a Word table.
    public var line: Int?
    public var column: Int?
    /// 1-based table of a Word document (`line`/`column` are then the row and column in it).
    public var table: Int?
    /// 1-based paragraph of a Word document (outside tables).
    public var paragraph: Int?

    public init(file: String? = nil, sheet: String? = nil, cell: String? = nil, line: Int? = nil, column: Int? = nil,
                table: Int? = nil, paragraph: Int? = nil) {
        self.file = file
        self.sheet = sheet
        self.cell = cell
        self.line = line
        self.column = column
        self.table = table
        self.paragraph = paragraph
    }

    /// `'Phụ lục'!D23` for a workbook, `dòng 23, cột 4` / `line 23, column 4` for CSV,
    /// `bảng 3, hàng 5, cột 4` / `table 3, row 5, column 4` and `đoạn 12` / `paragraph 12` for Word.
    public func cellText(_ language: Language) -> String? {
        if let table {
            var s = language == .en ? "table \(table)" : "bảng \(table)"
            if let line { s += language == .en ? ", row \(line)" : ", hàng \(line)" }
            if let column { s += language == .en ? ", column \(column)" : ", cột \(column)" }
            return s
        }
        if let paragraph { return language == .en ? "paragraph \(paragraph)" : "đoạn \(paragraph)" }
        if let cell {
            if let sheet { return "'\(sheet.replacingOccurrences(of: "'", with: "''"))'!\(cell)" }
            return cell
        }
        if let line {
            var s = language == .en ? "line \(line)" : "dòng \(line)"
            if let column { s += language == .en ? ", column \(column)" : ", cột \(column)" }
            return s
        }
        return nil
    }

    public func describe(_ language: Language) -> String {
        var parts: [String] = []
        if let file { parts.append(file) }
        if let c = cellText(language) { parts.append(c) }
        else if let sheet { parts.append(language == .en ? "sheet '\(sheet)'" : "trang tính '\(sheet)'") }
        return parts.joined(separator: ": ")
    }
}

/// The one error type every module throws at the user: what went wrong, where, and what to do.
public struct BieuMauError: Error, Sendable, CustomStringConvertible {
    public var status: ExitStatus
    public var message: Localized
    public var location: SourceLocation?

    public init(_ status: ExitStatus, _ message: Localized, at location: SourceLocation? = nil) {
        self.status = status
        self.message = message
        self.location = location
    }

    public init(_ status: ExitStatus, vi: String, en: String, at location: SourceLocation? = nil) {
        self.init(status, Localized(vi: vi, en: en), at: location)
    }

    public func text(_ language: Language) -> String {
        if let location {
            let where_ = location.describe(language)
            if !where_.isEmpty { return "\(where_): \(message.text(language))" }
        }
        return message.text(language)
    }

    public var description: String { text(.vi) }

    /// Returns a copy that names `file` if no file was named yet.
    public func inFile(_ file: String) -> BieuMauError {
        var copy = self
        var loc = copy.location ?? SourceLocation()
        if loc.file == nil { loc.file = file }
        copy.location = loc
        return copy
    }
}
