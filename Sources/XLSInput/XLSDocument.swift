import Foundation
import FreeXLWrapper
import SheetGrid
import Support

/// Bounds on what the reader accepts: a hostile or broken .xls is refused before FreeXL
/// allocates anything for it (FreeXL keeps every sheet's declared rows × columns in memory).
public struct XLSLimits: Sendable, Hashable {
    /// The file's size (BIFF8 workbooks of real statistics are a few MB).
    public var maxFileBytes: Int = 256 << 20
    /// Rows × columns the sheets declare (DIMENSION records), all sheets together.
    public var maxDeclaredCells: Int = 20_000_000
    /// Cell records in one sheet (as the XLSX reader's `maxCellsPerSheet`).
    public var maxCellsPerSheet: Int = 50_000_000

    public init() {}

    public static let `default` = XLSLimits()
}

/// An Excel 97–2003 workbook (.xls, BIFF5/BIFF8) opened for reading. Cell values, shared
/// strings, code pages and dates come from FreeXL (FreeXLWrapper); sheet visibility, merged
/// areas, hidden rows, cell formats (percent, decimals, bold, italic), formula results and
/// boolean/error cells — which FreeXL does not give — from the BIFF records directly.
public final class XLSDocument: SheetDocument {
    /// The path as given, used in messages.
    public let path: String
    public let limits: XLSLimits
    public let sheetEntries: [SheetEntry]
    public var documentProperties: [String: String] { [:] }
    /// Sheets the file lists that FreeXL could not read (named, so nothing is dropped silently).
    public let notices: [ReadingNotice]

    private let freexl: FreeXLWorkbook
    private let biff: BIFFWorkbook
    /// For each FreeXL sheet, its BOUNDSHEET (nil when the two lists do not match).
    private let biffSheets: [BIFFSheet?]

    public init(path: String, limits: XLSLimits = .default) throws {
        self.path = path
        self.limits = limits
        let loc = SourceLocation(file: path)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else {
            throw BieuMauError(.noInput, vi: "Không tìm thấy tệp. Hãy kiểm tra đường dẫn.",
                               en: "File not found. Check the path.", at: loc)
        }
        let size = ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? NSNumber)?.intValue ?? 0
        if size > limits.maxFileBytes {
            throw Self.limitError(file: path, vi: "tệp lớn \(size) byte, vượt giới hạn \(limits.maxFileBytes)",
                                  en: "the file is \(size) bytes, over the limit \(limits.maxFileBytes)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BieuMauError(.noInput, vi: "Không đọc được tệp (quyền truy cập?).",
                               en: "The file cannot be read (permission?).", at: loc)
        }
        // Our own pass over the records first: encryption and broken structure are reported
        // precisely, and the declared sizes are checked before FreeXL allocates them.
        let biff: BIFFWorkbook
        do {
            biff = try BIFFScan.read([UInt8](data), maxCells: limits.maxCellsPerSheet)
        } catch {
            throw Self.problem(error, file: path)
        }
        var declared = 0
        for s in biff.sheets where s.type == 0 {
            let (cells, overflow) = s.rows.multipliedReportingOverflow(by: max(s.columns, 1))
            declared = overflow ? Int.max / 2 : min(declared + cells, Int.max / 2)
        }
        if declared > limits.maxDeclaredCells {
            throw Self.limitError(file: path,
                vi: "các trang tính khai báo \(declared) ô (dòng × cột), vượt giới hạn \(limits.maxDeclaredCells)",
                en: "the sheets declare \(declared) cells (rows × columns), over the limit \(limits.maxDeclaredCells)")
        }
        let freexl: FreeXLWorkbook
        do {
            freexl = try FreeXLWorkbook(path: path)
        } catch {
            throw Self.freeXLError(error, file: path, sheet: nil)
        }
        if freexl.isPasswordProtected { throw Self.problem(.encrypted, file: path) }
        guard freexl.sheetCount > 0 else {
            throw Self.problem(.brokenRecords("no worksheet could be read"), file: path)
        }
        self.freexl = freexl
        self.biff = biff
        var entries: [SheetEntry] = []
        for i in 0..<freexl.sheetCount {
            let name: String
            do { name = try freexl.sheetName(i) } catch { throw Self.freeXLError(error, file: path, sheet: nil) }
            entries.append(SheetEntry(name: TextNormalization.nfc(name)))
        }
        // FreeXL lists the worksheets in BOUNDSHEET order; it may stop early on a sheet it cannot
        // parse. The records' metadata is used where the names agree.
        let worksheets = biff.sheets.filter { $0.type == 0 }
        var matched: [BIFFSheet?] = []
        for (i, e) in entries.enumerated() {
            if i < worksheets.count, TextNormalization.nfc(worksheets[i].name) == e.name {
                matched.append(worksheets[i])
                entries[i].isHidden = worksheets[i].visibility != 0
            } else {
                matched.append(nil)
            }
        }
        biffSheets = matched
        sheetEntries = entries
        if worksheets.count > entries.count {
            let missing = worksheets[entries.count...].map { "'\(TextNormalization.nfc($0.name))'" }.joined(separator: ", ")
            notices = [ReadingNotice(
                vi: "\(path): FreeXL không đọc được \(worksheets.count - entries.count) trang tính của tệp .xls (\(missing)); nếu phụ lục nằm ở đó, hãy lưu tệp dưới dạng .xlsx.",
                en: "\(path): FreeXL could not read \(worksheets.count - entries.count) sheet(s) of the .xls file (\(missing)); if the appendix is there, save the file as .xlsx.")]
        } else {
            notices = []
        }
    }

    /// The grid of one sheet (0-based index into `sheetEntries`).
    public func grid(ofSheet index: Int) throws -> Grid {
        guard sheetEntries.indices.contains(index) else {
            let names = sheetEntries.enumerated().map { "\($0.offset + 1). \($0.element.name)" }.joined(separator: "; ")
            throw BieuMauError(.usage, vi: "Không có trang tính số \(index + 1). Các trang tính: \(names).",
                               en: "There is no sheet number \(index + 1). Sheets: \(names).", at: SourceLocation(file: path))
        }
        let sheetName = sheetEntries[index].name
        let (rowCount, columnCount): (Int, Int)
        do { (rowCount, columnCount) = try freexl.select(sheet: index) } catch {
            throw Self.freeXLError(error, file: path, sheet: sheetName)
        }
        let meta = biffSheets[index]
        var styleCache: [Int: CellStyle] = [:]
        func style(_ key: Int) -> CellStyle {
            guard let xf = meta?.xf[key] else { return CellStyle() }
            if let s = styleCache[xf] { return s }
            var s = CellStyle()
            if biff.xfs.indices.contains(xf) {
                let (fontIndex, formatIndex) = biff.xfs[xf]
                if let f = biff.font(fontIndex) { s.bold = f.bold; s.italic = f.italic }
                s.numberFormat = biff.formats[formatIndex] ?? CellStyle.builtInFormat(formatIndex)
            }
            styleCache[xf] = s
            return s
        }
        var rows: [GridRow] = []
        var cellCount = 0
        var extraRows: [Int: [Int]] = [:]
        for key in (meta?.extra.keys).map(Array.init) ?? [] { extraRows[key >> 16, default: []].append(key & 0xFFFF) }
        let lastRow = max(rowCount, (extraRows.keys.max() ?? -1) + 1)
        for r in 0..<lastRow {
            var cells: [Cell] = []
            var columns = Set<Int>()
            if r < rowCount {
                for c in 0..<columnCount {
                    let v: FreeXLCell
                    do { v = try freexl.cell(row: r, column: c) } catch {
                        throw Self.freeXLError(error, file: path, sheet: sheetName).at(cell: CellReference.a1(row: r, column: c))
                    }
                    let value = Self.value(v)
                    guard value != .empty else { continue }
                    cells.append(Cell(column: c, value: value, style: style(r << 16 | c)))
                    columns.insert(c)
                }
            }
            for c in extraRows[r] ?? [] where !columns.contains(c) {
                let key = r << 16 | c
                guard let v = meta?.extra[key] else { continue }
                cells.append(Cell(column: c, value: Self.value(v), style: style(key)))
            }
            let hidden = meta?.hiddenRows.contains(r) ?? false
            if !cells.isEmpty {
                cells.sort { $0.column < $1.column }
                cellCount += cells.count
                if cellCount > limits.maxCellsPerSheet {
                    throw Self.limitError(file: path, sheet: sheetName,
                                          vi: "trang tính có hơn \(limits.maxCellsPerSheet) ô", en: "the sheet has more than \(limits.maxCellsPerSheet) cells")
                }
                rows.append(GridRow(index: r, cells: cells, hidden: hidden))
            } else if hidden {
                rows.append(GridRow(index: r, cells: [], hidden: true))
            }
        }
        let merges = (meta?.merges ?? []).compactMap { m -> CellRange? in
            guard m.0 <= m.1, m.2 <= m.3 else { return nil }
            return CellRange(firstRow: m.0, firstColumn: m.2, lastRow: m.1, lastColumn: m.3)
        }
        return Grid(source: .workbook(file: path, sheet: sheetName), rows: rows, merges: merges)
    }

    /// The first visible sheet, else the first (0-based).
    public var firstVisibleSheet: Int { sheetEntries.firstIndex(where: { !$0.isHidden }) ?? 0 }

    // MARK: Values

    static func value(_ v: FreeXLCell) -> CellValue {
        switch v {
        case .empty: return .empty
        case .integer(let i): return .number(String(i))
        case .double(let d): return number(d)
        case .text(let s): return s.isEmpty ? .empty : .text(TextNormalization.nfc(s))
        case .date(let s), .time(let s): return .date(s)
        case .dateTime(let s): return .date(s.replacingOccurrences(of: " ", with: "T"))
        }
    }

    static func value(_ v: BIFFValue) -> CellValue {
        switch v {
        case .number(let d): return number(d)
        case .text(let s): return s.isEmpty ? .empty : .text(TextNormalization.nfc(s))
        case .bool(let b): return .bool(b)
        case .error(let e): return .error(e)
        }
    }

    /// A BIFF number is an IEEE double: its shortest text that reads back to the same double
    /// (`0.25`, `2.3`, `136284`, `1e-05`), so that no binary noise enters the exact decimals.
    static func number(_ d: Double) -> CellValue {
        guard d.isFinite else { return .error("#NUM!") }
        if d == d.rounded(), abs(d) < 1e15 { return .number(String(Int64(d))) }
        return .number("\(d)")
    }

    // MARK: Errors

    static func problem(_ p: BIFFProblem, file: String) -> BieuMauError {
        let loc = SourceLocation(file: file)
        let fixVi = "Hãy mở tệp bằng Excel hoặc LibreOffice và lưu lại dưới dạng .xlsx, hoặc xin lại tệp gốc."
        let fixEn = "Open the file in Excel or LibreOffice and save it again as .xlsx, or ask for the original file again."
        switch p {
        case .encrypted:
            return BieuMauError(.dataError,
                vi: "Sổ tính .xls được bảo vệ bằng mật khẩu (mã hoá). Hãy mở bằng Excel, gỡ mật khẩu (Tệp > Thông tin > Bảo vệ sổ làm việc > Mã hoá bằng mật khẩu) rồi lưu lại dưới dạng .xlsx.",
                en: "The .xls workbook is password-protected (encrypted). Open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt with Password) and save it as .xlsx.",
                at: loc)
        case .notACompoundFile:
            return BieuMauError(.dataError, vi: "Tệp không phải là sổ tính Excel 97–2003 (.xls). \(fixVi)",
                                en: "The file is not an Excel 97–2003 workbook (.xls). \(fixEn)", at: loc)
        case .noWorkbookStream:
            return BieuMauError(.dataError, vi: "Tệp Office này không chứa sổ tính Excel (không có luồng Workbook). \(fixVi)",
                                en: "This Office file holds no Excel workbook (no Workbook stream). \(fixEn)", at: loc)
        case .brokenCompoundFile(let d):
            return BieuMauError(.dataError, vi: "Tệp .xls bị hỏng hoặc bị cắt cụt (cấu trúc tệp: \(d)). \(fixVi)",
                                en: "The .xls file is corrupt or truncated (container: \(d)). \(fixEn)", at: loc)
        case .brokenRecords(let d):
            return BieuMauError(.dataError, vi: "Tệp .xls bị hỏng (bản ghi BIFF: \(d)). \(fixVi)",
                                en: "The .xls file is corrupt (BIFF records: \(d)). \(fixEn)", at: loc)
        }
    }

    static func freeXLError(_ e: FreeXLError, file: String, sheet: String?) -> BieuMauError {
        let loc = SourceLocation(file: file, sheet: sheet)
        switch e.kind {
        case .cannotOpen:
            return BieuMauError(.noInput, vi: "Không mở được tệp (\(e.detail)). Hãy kiểm tra đường dẫn và quyền đọc.",
                                en: "Cannot open the file (\(e.detail)). Check the path and read permission.", at: loc)
        case .unsupportedCharset:
            return BieuMauError(.dataError,
                vi: "Tệp .xls có chữ trong bảng mã không đọc được (\(e.detail)). Hãy mở bằng Excel và lưu lại dưới dạng .xlsx.",
                en: "The .xls file holds text in a code page that cannot be read (\(e.detail)). Open it in Excel and save it as .xlsx.", at: loc)
        default:
            return BieuMauError(.dataError,
                vi: "Tệp .xls bị hỏng, FreeXL không đọc được (\(e.detail)). Hãy mở tệp bằng Excel hoặc LibreOffice và lưu lại dưới dạng .xlsx, hoặc xin lại tệp gốc.",
                en: "The .xls file is corrupt and FreeXL cannot read it (\(e.detail)). Open it in Excel or LibreOffice and save it as .xlsx, or ask for the original file again.", at: loc)
        }
    }

    static func limitError(file: String, sheet: String? = nil, vi: String, en: String) -> BieuMauError {
        FileFormatWording.xlsx.limitError(file: file, part: nil, sheet: sheet, vi: vi, en: en)
    }
}

extension BieuMauError {
    fileprivate func at(cell: String) -> BieuMauError {
        var copy = self
        copy.location?.cell = cell
        return copy
    }
}
