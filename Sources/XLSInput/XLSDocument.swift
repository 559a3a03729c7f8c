import Foundation
import SheetGrid
import Support
import VietnameseText
import XLSXInput

/// Bounds on what the reader accepts: a hostile or broken .xls is refused with a message; memory
/// stays within a small multiple of the file's size.
public struct XLSLimits: Sendable, Hashable {
    /// The file's size (BIFF8 workbooks of real statistics are a few MB).
    public var maxFileBytes: Int = 256 << 20
    /// Rows × columns a sheet declares (DIMENSION record): beyond any real sheet.
    public var maxDeclaredCells: Int = 20_000_000
    /// Cell records in one sheet (as the XLSX reader's `maxCellsPerSheet`).
    public var maxCellsPerSheet: Int = 50_000_000

    public init() {}

    public static let `default` = XLSLimits()

    /// For a workbook read as one appendix (`AppendixLimits`).
    public static let appendix: XLSLimits = {
        var l = XLSLimits()
        l.maxCellsPerSheet = AppendixLimits.maxCells
        return l
    }()
}

/// An Excel 97–2003 workbook (.xls, BIFF8; also Excel 5.0/95, BIFF5) opened for reading, by
/// Swift code alone (BIFFRecords.swift): values, shared strings, formula results, number formats
/// (dates, percent), fonts (bold, italic, and the legacy Vietnamese `.VnTime`/`VNI-Times` fonts
/// whose text is converted to Unicode), merged areas, hidden rows and sheets. No C library reads
/// the file: a crafted file is refused with a message, never a crash, and the work and memory
/// are bounded by the file's size and the limits.
public final class XLSDocument: SheetDocument {
    /// The path as given, used in messages.
    public let path: String
    public let limits: XLSLimits
    public let sheetEntries: [SheetEntry]
    public var documentProperties: [String: String] { [:] }
    /// The legacy font encodings converted in the sheets read so far, once each.
    public var notices: [ReadingNotice] {
        LegacyVietnameseEncoding.allCases.filter(convertedLegacyText.contains).map {
            ReadingNotice(vi: $0.cellConversionNotice.vi, en: $0.cellConversionNotice.en)
        }
    }
    /// Legacy Vietnamese encodings converted so far because of the cells' fonts.
    public private(set) var convertedLegacyText: Set<LegacyVietnameseEncoding> = []
    /// True when dates count from 1904 (DATEMODE).
    public var date1904: Bool { biff.date1904 }
    /// 8 for Excel 97–2003, 5 for Excel 5.0/95.
    public var biffVersion: Int { biff.biffVersion }

    private let biff: BIFFWorkbook
    private let stream: [UInt8]
    /// The BOUNDSHEETs of the worksheets, in workbook order (as `sheetEntries`).
    private let worksheets: [BIFFSheet]
    /// Where each worksheet's records must end (the next sheet's start, else the stream's end).
    private let worksheetEnds: [Int]
    private var formats: [Int: XFFormat] = [:]

    /// A cell format resolved once per XF: the style, the format (for dates), the legacy font.
    private struct XFFormat {
        var style: CellStyle
        var formatID: Int
        var custom: String?
        var temporal: Bool
        var legacyFont: LegacyFont?
    }

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
        guard data.count <= limits.maxFileBytes else {
            throw Self.limitError(file: path, vi: "tệp lớn \(data.count) byte, vượt giới hạn \(limits.maxFileBytes)",
                                  en: "the file is \(data.count) bytes, over the limit \(limits.maxFileBytes)")
        }
        do {
            (biff, stream) = try BIFFScan.read([UInt8](data), maxCells: limits.maxCellsPerSheet)
        } catch {
            throw Self.problem(error, file: path)
        }
        worksheets = biff.sheets.filter { $0.type == 0 }
        guard !worksheets.isEmpty else {
            throw Self.problem(.brokenRecords("the workbook lists no worksheet"), file: path)
        }
        do {
            let ends = try BIFFScan.sheetEnds(biff.sheets, streamLength: stream.count)
            worksheetEnds = zip(biff.sheets, ends).filter { $0.0.type == 0 }.map(\.1)
        } catch {
            throw Self.problem(error, file: path)
        }
        sheetEntries = worksheets.map { SheetEntry(name: TextNormalization.nfc($0.name), isHidden: $0.visibility != 0) }
    }

    /// The grid of one sheet (0-based index into `sheetEntries`).
    public func grid(ofSheet index: Int) throws -> Grid {
        guard sheetEntries.indices.contains(index) else {
            let names = sheetEntries.enumerated().map { "\($0.offset + 1). \($0.element.name)" }.joined(separator: "; ")
            throw BieuMauError(.usage, vi: "Không có trang tính số \(index + 1). Các trang tính: \(names).",
                               en: "There is no sheet number \(index + 1). Sheets: \(names).", at: SourceLocation(file: path))
        }
        let sheetName = sheetEntries[index].name
        let data: BIFFSheetData
        do {
            data = try BIFFScan.sheet(stream, worksheets[index], end: worksheetEnds[index], workbook: biff,
                                      maxCells: limits.maxCellsPerSheet)
        } catch {
            throw Self.problem(error, file: path, sheet: sheetName)
        }
        let (declared, overflow) = data.declaredRows.multipliedReportingOverflow(by: max(data.declaredColumns, 1))
        if overflow || declared > limits.maxDeclaredCells {
            throw Self.limitError(file: path, sheet: sheetName,
                vi: "trang tính khai báo \(overflow ? Int.max : declared) ô (dòng × cột), vượt giới hạn \(limits.maxDeclaredCells)",
                en: "the sheet declares \(overflow ? Int.max : declared) cells (rows × columns), over the limit \(limits.maxDeclaredCells)")
        }
        // Cells by row; a later record for the same cell replaces an earlier one.
        var byRow: [Int: [Cell]] = [:]
        for c in data.cells {
            let format = format(c.xf)
            let value = cellValue(c.value, format: format)
            if case .empty = value { continue }
            byRow[c.row, default: []].append(Cell(column: c.column, value: value, style: format.style))
        }
        var rows: [GridRow] = []
        rows.reserveCapacity(byRow.count + data.hiddenRows.count)
        for r in Set(byRow.keys).union(data.hiddenRows).sorted() {
            var cells = byRow[r] ?? []
            if cells.count > 1 {
                let indexed = cells.enumerated().sorted { ($0.element.column, $0.offset) < ($1.element.column, $1.offset) }
                var unique: [Cell] = []
                for (_, c) in indexed {
                    if let last = unique.last, last.column == c.column { unique[unique.count - 1] = c } else { unique.append(c) }
                }
                cells = unique
            }
            rows.append(GridRow(index: r, cells: cells, hidden: data.hiddenRows.contains(r)))
        }
        let merges = data.merges.compactMap { m -> CellRange? in
            guard m.0 <= m.1, m.2 <= m.3 else { return nil }
            return CellRange(firstRow: m.0, firstColumn: m.2, lastRow: m.1, lastColumn: m.3)
        }
        return Grid(source: .workbook(file: path, sheet: sheetName), rows: rows, merges: merges)
    }

    /// The first visible sheet, else the first (0-based).
    public var firstVisibleSheet: Int { sheetEntries.firstIndex(where: { !$0.isHidden }) ?? 0 }

    // MARK: Values

    private func format(_ xf: Int) -> XFFormat {
        if let f = formats[xf] { return f }
        var style = CellStyle()
        var formatID = 0
        var custom: String?
        var legacy: LegacyFont?
        if biff.xfs.indices.contains(xf) {
            let (fontIndex, formatIndex) = biff.xfs[xf]
            if let f = biff.font(fontIndex) {
                style.bold = f.bold
                style.italic = f.italic
                legacy = LegacyFont(fontName: f.name)
            }
            formatID = formatIndex
            custom = biff.formats[formatIndex]
            style.numberFormat = custom ?? CellStyle.builtInFormat(formatIndex)
        }
        let f = XFFormat(style: style, formatID: formatID, custom: custom,
                         temporal: SpreadsheetDates.isTemporal(formatID: formatID, custom: custom), legacyFont: legacy)
        formats[xf] = f
        return f
    }

    private func cellValue(_ v: BIFFValue, format: XFFormat) -> CellValue {
        switch v {
        case .number(let d):
            let n = Self.number(d)
            if format.temporal, case .number(let text) = n,
               let iso = SpreadsheetDates.iso(serial: text, formatID: format.formatID, custom: format.custom, date1904: biff.date1904) {
                return .date(iso)
            }
            return n
        case .hundredths(let h):
            let text = Self.hundredths(h)
            if format.temporal,
               let iso = SpreadsheetDates.iso(serial: text, formatID: format.formatID, custom: format.custom, date1904: biff.date1904) {
                return .date(iso)
            }
            return .number(text)
        case .text(let t):
            let s = text(t, cellFont: format.legacyFont)
            return s.isEmpty ? .empty : .text(s)
        case .bool(let b): return .bool(b)
        case .error(let e): return .error(e)
        }
    }

    /// The text of a string: BIFF8 UTF-16 or BIFF5 bytes in the code page; runs in a legacy font,
    /// or the whole text in a cell of one, converted to Unicode.
    private func text(_ t: BIFFText, cellFont: LegacyFont?) -> String {
        if let bytes = t.bytes {
            if let font = cellFont {
                convertedLegacyText.insert(font.encoding)
                return font.convert(bytes: bytes)
            }
            return TextNormalization.nfc(CodePage.decode(bytes, codepage: biff.codepage))
        }
        if t.runs.isEmpty {
            let s = String(decoding: t.units, as: UTF16.self)
            guard let font = cellFont else { return TextNormalization.nfc(s) }
            convertedLegacyText.insert(font.encoding)
            return font.convert(s)
        }
        // Rich text: each run in its own font (the characters before the first run in the cell's).
        var pieces: [(text: String, font: LegacyFont?)] = []
        var start = 0
        var font = cellFont
        for run in t.runs + [BIFFRun(firstCharacter: t.units.count, font: -1)] {
            let end = min(max(run.firstCharacter, start), t.units.count)
            if end > start { pieces.append((String(decoding: t.units[start..<end], as: UTF16.self), font)) }
            start = end
            font = run.font >= 0 ? biff.font(run.font).flatMap { LegacyFont(fontName: $0.name) } : nil
        }
        return LegacyFont.text(ofRuns: pieces, converted: &convertedLegacyText)
    }

    /// A BIFF number is an IEEE double: its shortest text that reads back to the same double
    /// (`0.25`, `2.3`, `136284`, `1e-05`), so that no binary noise enters the exact decimals.
    static func number(_ d: Double) -> CellValue {
        guard d.isFinite else { return .error("#NUM!") }
        if d == d.rounded(), abs(d) < 1e15 { return .number(String(Int64(d))) }
        return .number("\(d)")
    }

    /// An RK integer divided by 100, exactly: 1234 → `12.34`, -5 → `-0.05`.
    static func hundredths(_ h: Int) -> String {
        let sign = h < 0 ? "-" : ""
        let m = h.magnitude
        let whole = m / 100, cents = m % 100
        if cents == 0 { return sign + String(whole) }
        let frac = cents % 10 == 0 ? String(cents / 10) : (cents < 10 ? "0" : "") + String(cents)
        return sign + String(whole) + "." + frac
    }

    // MARK: Errors

    static func problem(_ p: BIFFProblem, file: String, sheet: String? = nil) -> BieuMauError {
        let loc = SourceLocation(file: file, sheet: sheet)
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
        case .tooOld(let version):
            return BieuMauError(.dataError,
                vi: "Tệp là sổ tính Excel \(version).x (BIFF\(version), trước năm 1995), định dạng bieumau không đọc. Hãy mở tệp bằng Excel hoặc LibreOffice và lưu lại dưới dạng .xlsx.",
                en: "The file is an Excel \(version).x workbook (BIFF\(version), before 1995), a format bieumau does not read. Open it in Excel or LibreOffice and save it as .xlsx.",
                at: loc)
        case .tooManyCells(let n):
            return limitError(file: file, sheet: sheet, vi: "trang tính có hơn \(n) ô", en: "the sheet has more than \(n) cells")
        case .tooManyStrings(let declared, let limit):
            return limitError(file: file, sheet: sheet,
                              vi: "bảng chuỗi dùng chung khai báo \(declared) chuỗi, hơn giới hạn \(limit)",
                              en: "the shared-string table declares \(declared) strings, more than \(limit)")
        }
    }

    static func limitError(file: String, sheet: String? = nil, vi: String, en: String) -> BieuMauError {
        FileFormatWording.xlsx.limitError(file: file, part: nil, sheet: sheet, vi: vi, en: en)
    }
}
