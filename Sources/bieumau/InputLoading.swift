import AppendixModel
import CSVInput
import FormSchema
import Foundation
import SheetGrid
import Support
import TableLocator
import XLSXInput

/// What an input file is, judged by its first bytes (never by its extension).
enum InputKind: Equatable {
    case xlsx, legacyOLE, csv

    static func sniff(_ path: String) throws -> InputKind {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw BieuMauError(.noInput, vi: "Không đọc được tệp \(path).", en: "Cannot read the file \(path).",
                               at: SourceLocation(file: path))
        }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 8)) ?? Data())
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0x50, 0x4B, 0x05, 0x06]) { return .xlsx }
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return .legacyOLE }
        return .csv
    }
}

/// Reads an appendix from a CSV file or a workbook, for every command.
/// - Parameters:
///   - formID: `--form`; else the workbook's `bieumau.form` property; else the best-matching form.
///   - sheet: `--sheet` (workbooks only); else the `bieumau.sheet` property; else the first sheet holding the table.
func loadAppendix(path: String, library: FormLibrary, formID: String?, sheet: String?) throws -> Appendix {
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
        throw BieuMauError(.noInput, vi: "Không có tệp \(path). Hãy kiểm tra lại đường dẫn.",
                           en: "The file \(path) does not exist. Check the path.", at: SourceLocation(file: path))
    }
    if isDir.boolValue {
        throw BieuMauError(.noInput, vi: "\(path) là thư mục, không phải tệp.", en: "\(path) is a folder, not a file.",
                           at: SourceLocation(file: path))
    }
    do {
        switch try InputKind.sniff(path) {
        case .xlsx:
            return try loadWorkbookAppendix(path: path, library: library, formID: formID, sheet: sheet)
        case .legacyOLE:
            // The XLSX reader tells an encrypted workbook from a legacy .xls.
            try XLSXSniffer.check(path: path)
            throw BieuMauError(.dataError,
                vi: "tệp là bảng tính Excel cũ (.xls) hoặc tệp Excel có mật khẩu; bieumau chỉ đọc .xlsx và CSV. Hãy mở tệp trong Excel/LibreOffice, bỏ mật khẩu nếu có, và lưu lại dưới dạng .xlsx.",
                en: "the file is a legacy Excel workbook (.xls) or a password-protected workbook; bieumau reads only .xlsx and CSV. Open it in Excel/LibreOffice, remove any password and save it as .xlsx.",
                at: SourceLocation(file: path))
        case .csv:
            if sheet != nil {
                throw BieuMauError(.usage, vi: "--sheet chỉ dùng cho tệp .xlsx; \(path) là tệp CSV.",
                                   en: "--sheet applies to .xlsx files only; \(path) is a CSV file.")
            }
            let document = try CSVReader.read(file: path)
            return try TableLocator.locate(grid: document.grid, library: library, formID: formID)
        }
    } catch let error as BieuMauError {
        throw error.inFile(path)
    }
}

/// Workbooks: the sheet named by `--sheet`, else by the `bieumau.sheet` property, else the first
/// sheet holding the table (visible sheets first).
func loadWorkbookAppendix(path: String, library: FormLibrary, formID: String?, sheet: String?) throws -> Appendix {
    let workbook = try XLSXWorkbook(path: path)
    if let sheet {
        return try TableLocator.locate(grid: try workbook.readGrid(try workbook.sheet(sheet)), library: library, formID: formID)
    }
    if let named = workbook.properties[WorkbookProperty.sheet], !named.isEmpty,
       let info = try? workbook.sheet(named) {
        let grid = try workbook.readGrid(info)
        if TableLocator.findTable(in: grid, library: library) != nil {
            return try TableLocator.locate(grid: grid, library: library, formID: formID)
        }
    }
    let ordered = workbook.sheets.filter { !$0.isHidden && $0.kind == "worksheet" }
        + workbook.sheets.filter { $0.isHidden && $0.kind == "worksheet" }
    for info in ordered {
        let grid = try workbook.readGrid(info)
        if TableLocator.findTable(in: grid, library: library) != nil {
            return try TableLocator.locate(grid: grid, library: library, formID: formID)
        }
    }
    // No sheet has the table: read the first one for its precise message.
    return try TableLocator.locate(grid: try workbook.readGrid(workbook.firstSheet), library: library, formID: formID)
}

/// Every sheet of a CSV file or workbook as a grid, visible sheets first (for `forms import`,
/// which needs the grids, not a located appendix).
func loadGrids(path: String) throws -> [Grid] {
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else {
        throw BieuMauError(.noInput, vi: "Không có tệp \(path). Hãy kiểm tra lại đường dẫn.",
                           en: "The file \(path) does not exist. Check the path.", at: SourceLocation(file: path))
    }
    do {
        switch try InputKind.sniff(path) {
        case .xlsx:
            let workbook = try XLSXWorkbook(path: path)
            let ordered = workbook.sheets.filter { !$0.isHidden && $0.kind == "worksheet" }
                + workbook.sheets.filter { $0.isHidden && $0.kind == "worksheet" }
            return try ordered.map { try workbook.readGrid($0) }
        case .legacyOLE:
            try XLSXSniffer.check(path: path)
            throw BieuMauError(.dataError,
                vi: "tệp là bảng tính Excel cũ (.xls) hoặc có mật khẩu; hãy lưu lại dưới dạng .xlsx.",
                en: "the file is a legacy Excel workbook (.xls) or password-protected; save it as .xlsx.",
                at: SourceLocation(file: path))
        case .csv:
            return [try CSVReader.read(file: path).grid]
        }
    } catch let error as BieuMauError {
        throw error.inFile(path)
    }
}
