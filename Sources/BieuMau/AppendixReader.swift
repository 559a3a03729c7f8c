import AppendixModel
import CSVInput
import DOCXInput
import FormSchema
import Foundation
import ODSInput
import SheetGrid
import Support
import TableLocator
import VietnameseText
import XLSInput
import XLSXInput

/// An appendix read from a file, with what the reading found out.
public struct LoadedAppendix: Sendable {
    /// The appendix: form, metadata, one value per row, and the locator's findings.
    public var appendix: Appendix
    /// Information from the reader for the user (e.g. legacy font text converted), never errors.
    public var notices: [ReadingNotice]
    /// The format the file's bytes showed.
    public var format: InputFormat
    /// The sheet (or Word table) the appendix was read from; nil for a CSV file.
    public var sheet: String?
}

/// The one entry point that turns any input file into an appendix: it sniffs the file once
/// (``InputFormat/sniff(path:)``), opens it with the reader of its format (each a
/// `SheetDocument`), picks the sheet that holds the table and locates the table once.
///
/// ```swift
/// let library = try FormLibrary.load()
/// let loaded = try AppendixReader(library: library).read(path: "bao-cao.xlsx")
/// print(loaded.appendix.form.id, loaded.appendix.metadata.unit ?? "?")
/// ```
///
/// Every front end (the command line, the portal) reads through this; errors are
/// `BieuMauError`s naming the file (exit 66 for a missing file, 65 for unreadable content,
/// 64 for a sheet asked of a CSV file).
public struct AppendixReader: Sendable {
    public var library: FormLibrary

    public init(library: FormLibrary) {
        self.library = library
    }

    /// Reads the appendix from a file.
    /// - Parameters:
    ///   - formID: the form to read against; else the workbook's `bieumau.form` property; else
    ///     the best-matching form.
    ///   - sheet: a sheet by name or 1-based number (workbooks only); else the `bieumau.sheet`
    ///     property; else the first sheet holding the table, visible sheets first.
    public func read(path: String, formID: String? = nil, sheet: String? = nil) throws -> LoadedAppendix {
        try Self.checkInputFile(path)
        if StreamInput.isStream(path) {
            // A pipe or FIFO: read once (bounded in size and waiting time), then as an upload.
            let bytes = try StreamInput.readAll(path)
            return try read(bytes: bytes, name: path, formID: formID, sheet: sheet)
        }
        do {
            let format = try InputFormat.sniff(path: path)
            return try read(format: format, path: path, displayName: path, formID: formID, sheet: sheet)
        } catch let error as BieuMauError {
            throw error.inFile(path)
        }
    }

    /// Reads the appendix from the file at `path` whose bytes the caller read whole (to hash them
    /// as well): a workbook is opened from those bytes, without opening the file again; other
    /// formats are read from the file. Results and errors are those of `read(path:formID:sheet:)`.
    func read(path: String, contents: [UInt8], formID: String? = nil) throws -> LoadedAppendix {
        do {
            return try readWorkbook(contents, name: path, formID: formID, sheet: nil) { format in
                try read(format: format, path: path, displayName: path, formID: formID, sheet: nil)
            }
        } catch let error as BieuMauError {
            throw error.inFile(path)
        }
    }

    /// An .xlsx workbook opened from `contents` (named `name` in messages and locations); any
    /// other format is handed to `otherwise` with the format sniffed.
    func readWorkbook(_ contents: [UInt8], name: String, formID: String?, sheet: String?,
                      otherwise: (InputFormat) throws -> LoadedAppendix) throws -> LoadedAppendix {
        let format = InputFormat.sniff(contents: contents)
        guard format == .xlsx else { return try otherwise(format) }
        let document = try contents.withUnsafeBytes {
            try XLSXWorkbook(contents: $0, path: name, limits: .appendix)
        }
        return try read(document: document, format: format, displayName: name, formID: formID, sheet: sheet)
    }

    /// Reads the appendix from bytes in memory (an upload). `name` is what messages and cell
    /// locations call the file (e.g. the uploaded file's name); it is never opened.
    ///
    /// The bytes are sniffed in memory; an .xlsx workbook is opened from them. Readers of the
    /// other formats that need a file get a private temporary copy (a fresh folder only this
    /// user can read, removed before returning); nothing of its path appears in the result or in
    /// errors.
    public func read(bytes: Data, name: String, formID: String? = nil, sheet: String? = nil) throws -> LoadedAppendix {
        do {
            return try readWorkbook([UInt8](bytes), name: name, formID: formID, sheet: sheet) { format in
                try Self.withPrivateCopy(of: bytes, name: name) { temporary in
                    try read(format: format, path: temporary, displayName: name, formID: formID, sheet: sheet)
                }
            }
        } catch let error as BieuMauError {
            throw error.inFile(name)
        }
    }

    /// Runs `body` on a private temporary copy of uploaded `bytes` (a fresh folder only this user
    /// can read, removed before returning), for readers that need a file. Errors name `name`,
    /// never the temporary path.
    static func withPrivateCopy<T>(of bytes: Data, name: String, fileName: String = "upload",
                                   _ body: (String) throws -> T) throws -> T {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("bieumau-upload-\(UUID().uuidString)", isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw BieuMauError(.cannotCreate, vi: "không tạo được thư mục tạm để đọc tệp tải lên \(name).",
                               en: "cannot create a temporary folder to read the upload \(name).")
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let temporary = folder.appendingPathComponent(fileName).path
        guard FileManager.default.createFile(atPath: temporary, contents: bytes,
                                             attributes: [.posixPermissions: 0o600]) else {
            throw BieuMauError(.cannotCreate, vi: "không ghi được bản tạm của tệp tải lên \(name).",
                               en: "cannot write a temporary copy of the upload \(name).")
        }
        do {
            return try body(temporary)
        } catch let error as BieuMauError {
            throw error.renamingFile(temporary, to: name).inFile(name)
        }
    }

    // MARK: Formats

    /// Opens any file bieumau reads as its sheets (for listing or copying a sheet), sniffed as
    /// `read(path:)` does; errors name the file.
    public static func openSheets(path: String) throws -> (format: InputFormat, document: any SheetDocument) {
        if StreamInput.isStream(path) {
            throw BieuMauError(.noInput,
                vi: "\(path) là ống dẫn (pipe/FIFO): lệnh này cần một tệp. Hãy lưu dữ liệu vào một tệp rồi chạy lại.",
                en: "\(path) is a pipe/FIFO: this command needs a file. Save the data to a file and run it again.",
                at: SourceLocation(file: path))
        }
        do {
            let format = try InputFormat.sniff(path: path)
            return (format, try openDocument(format, path: path))
        } catch let error as BieuMauError {
            throw error.inFile(path)
        }
    }

    /// Opens the file with the reader of its format. One case per format: a new reader is one
    /// case here returning its `SheetDocument`.
    /// `asAppendix`: with the tighter limits of one appendix (`AppendixLimits`), not those of any sheet.
    static func openDocument(_ format: InputFormat, path: String, asAppendix: Bool = false) throws -> any SheetDocument {
        switch format {
        case .csv:
            return try CSVReader.read(file: path, limits: asAppendix ? .appendix : .default)
        case .xlsx:
            return try XLSXWorkbook(path: path, limits: asAppendix ? .appendix : .default)
        case .xls:
            return try XLSDocument(path: path, limits: asAppendix ? .appendix : .default)
        case .ods:
            return try ODSDocument(path: path, limits: asAppendix ? .appendix : .default)
        case .docx:
            return try DOCXDocument(path: path)
        case .doc:
            throw LegacyWordDocument.refusal(file: path)
        case .odt:
            throw notYetRead(
                vi: "tệp là văn bản OpenDocument (.odt), định dạng bieumau không đọc. Hãy mở tệp trong LibreOffice và lưu lại dưới dạng Word (.docx).",
                en: "the file is an OpenDocument text (.odt), which bieumau does not read. Open it in LibreOffice and save it as Word (.docx).")
        case .encrypted:
            throw notYetRead(
                vi: "tệp được bảo vệ bằng mật khẩu (mã hoá). Hãy mở tệp, gỡ mật khẩu (Tệp > Thông tin > Bảo vệ > Mã hoá bằng mật khẩu) rồi lưu lại.",
                en: "the file is password-protected (encrypted). Open it, remove the password (File > Info > Protect > Encrypt with Password) and save it again.")
        case .ole:
            throw notYetRead(
                vi: "tệp là bảng tính Excel cũ (.xls) hoặc tệp Office có mật khẩu; bieumau không đọc được. Hãy mở tệp trong Excel/LibreOffice, bỏ mật khẩu nếu có, và lưu lại dưới dạng .xlsx.",
                en: "the file is a legacy Excel workbook (.xls) or a password-protected Office file, which bieumau cannot read. Open it in Excel/LibreOffice, remove any password and save it as .xlsx.")
        }
    }

    static func notYetRead(vi: String, en: String) -> BieuMauError {
        BieuMauError(.dataError, vi: vi, en: en)
    }

    // MARK: Reading

    func read(format: InputFormat, path: String, displayName: String, formID: String?, sheet: String?) throws -> LoadedAppendix {
        if format == .csv, sheet != nil {
            throw BieuMauError(.usage, vi: "--sheet chỉ dùng cho bảng tính và văn bản Word (bảng số N); \(displayName) là tệp CSV.",
                               en: "--sheet applies to workbooks and Word documents (table N) only; \(displayName) is a CSV file.")
        }
        let document = try Self.openDocument(format, path: path, asAppendix: true)
        return try read(document: document, format: format, displayName: displayName, formID: formID, sheet: sheet)
    }

    func read(document: any SheetDocument, format: InputFormat, displayName: String, formID: String?,
              sheet: String?) throws -> LoadedAppendix {
        // Workbooks carry no encoding of their own: their readers convert the cells whose font is a
        // TCVN3/VNI font; text in such encodings under another font is found here by character
        // statistics (CSV and Word readers convert by themselves).
        let repairs = format == .xlsx || format == .xls || format == .ods
        var converted: Set<LegacyVietnameseEncoding> = []
        let (index, appendix) = try locate(in: document, displayName: displayName, formID: formID, sheet: sheet,
                                           repairLegacyText: repairs, converted: &converted)
        var notices = document.notices
        for n in LegacyText.notices(converted) where !notices.contains(n) { notices.append(n) }
        return LoadedAppendix(appendix: appendix, notices: notices, format: format,
                              sheet: format == .csv ? nil : document.sheetEntries[index].name)
    }

    /// The sheet named by `sheet`, else by the `bieumau.sheet` property, else the first sheet
    /// holding the table (visible sheets first), else the first sheet for its precise message.
    func locate(in document: any SheetDocument, displayName: String, formID: String?,
                sheet: String?, repairLegacyText: Bool = false,
                converted: inout Set<LegacyVietnameseEncoding>) throws -> (Int, Appendix) {
        let entries = document.sheetEntries
        guard !entries.isEmpty else {
            throw BieuMauError(.dataError, vi: "tệp không có trang tính nào chứa dữ liệu.",
                               en: "the file has no sheet holding data.")
        }
        func grid(_ index: Int) throws -> Grid {
            var grid = try document.grid(ofSheet: index)
            grid.rename(file: displayName)
            if repairLegacyText { converted.formUnion(LegacyText.repair(&grid)) }
            return grid
        }
        if let sheet {
            let index = try Self.sheetIndex(sheet, in: entries, file: displayName)
            return (index, try TableLocator.locate(grid: try grid(index), library: library, formID: formID))
        }
        if let named = document.documentProperties[WorkbookProperty.sheet], !named.isEmpty,
           let index = try? Self.sheetIndex(named, in: entries, file: displayName) {
            let g = try grid(index)
            if let layout = TableLocator.findTable(in: g, library: library) {
                return (index, try TableLocator.locate(grid: g, layout: layout, library: library, formID: formID))
            }
        }
        let ordered = entries.indices.filter { !entries[$0].isHidden } + entries.indices.filter { entries[$0].isHidden }
        for index in ordered {
            let g = try grid(index)
            if let layout = TableLocator.findTable(in: g, library: library) {
                return (index, try TableLocator.locate(grid: g, layout: layout, library: library, formID: formID))
            }
        }
        let first = ordered[0]
        return (first, try TableLocator.locate(grid: try grid(first), library: library, formID: formID))
    }

    /// Exit 66 with a message when `path` is missing or a folder.
    static func checkInputFile(_ path: String) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw BieuMauError(.noInput, vi: "Không có tệp \(path). Hãy kiểm tra lại đường dẫn.",
                               en: "The file \(path) does not exist. Check the path.", at: SourceLocation(file: path))
        }
        if isDir.boolValue {
            throw BieuMauError(.noInput, vi: "\(path) là thư mục, không phải tệp.", en: "\(path) is a folder, not a file.",
                               at: SourceLocation(file: path))
        }
    }

    /// A sheet by name (exact, then ignoring case and Unicode normalisation) or 1-based number.
    public static func sheetIndex(_ selector: String, in entries: [SheetEntry], file: String) throws -> Int {
        if let i = entries.firstIndex(where: { $0.name == selector }) { return i }
        let wanted = TextNormalization.nfc(selector).lowercased()
        if let i = entries.firstIndex(where: { TextNormalization.nfc($0.name).lowercased() == wanted }) { return i }
        if let n = Int(selector), n >= 1, n <= entries.count { return n - 1 }
        let names = entries.enumerated()
            .map { "\($0.offset + 1). \($0.element.name)\($0.element.isHidden ? " (ẩn/hidden)" : "")" }
            .joined(separator: "; ")
        throw BieuMauError(.dataError,
            vi: "Không có trang tính '\(selector)'. Các trang tính: \(names). Hãy dùng --sheet với tên hoặc số thứ tự (từ 1).",
            en: "There is no sheet '\(selector)'. Sheets: \(names). Use --sheet with a name or a 1-based number.",
            at: SourceLocation(file: file))
    }
}

extension Grid {
    /// Names the grid's file as the user knows it (an upload's name rather than its temporary copy).
    mutating func rename(file: String) {
        switch source {
        case .csv(let f) where f != file: source = .csv(file: file)
        case .workbook(let f, let sheet) where f != file: source = .workbook(file: file, sheet: sheet)
        case .document(let f, let table, let titleRows) where f != file:
            source = .document(file: file, table: table, titleRows: titleRows)
        default: break
        }
    }
}

extension BieuMauError {
    /// The same error with `path` (a temporary copy) called `name` in its location and text.
    func renamingFile(_ path: String, to name: String) -> BieuMauError {
        var copy = self
        if copy.location?.file == path { copy.location?.file = name }
        copy.message = Localized(vi: message.vi.replacingOccurrences(of: path, with: name),
                                 en: message.en.replacingOccurrences(of: path, with: name))
        return copy
    }
}
