#if canImport(Glibc)
import Glibc
#endif
import CFreeXL

/// Why FreeXL could not open or read a workbook: its error code and its own description.
/// Callers turn these into user-facing messages; this module knows nothing about appendices.
public struct FreeXLError: Error, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The file is missing or cannot be read.
        case cannotOpen
        /// Not a compound file, or its header/allocation tables are broken.
        case notACompoundFile
        /// The BIFF records (workbook stream, string table, cells) are broken or crafted.
        case corrupt
        /// Text in a code page FreeXL cannot convert.
        case unsupportedCharset
        case outOfMemory
        /// Any other code (a misuse of the API by the caller).
        case other
    }
    public var kind: Kind
    /// FreeXL's return code (`FREEXL_…`).
    public var code: Int32
    public var detail: String

    init(code: Int32) {
        self.code = code
        switch code {
        case FREEXL_FILE_NOT_FOUND:
            kind = .cannotOpen; detail = "file not found or not readable"
        case FREEXL_INVALID_CFBF_HEADER, FREEXL_CFBF_INVALID_SIGNATURE, FREEXL_CFBF_INVALID_SECTOR_SIZE:
            kind = .notACompoundFile; detail = "invalid compound-file header"
        case FREEXL_CFBF_READ_ERROR, FREEXL_CFBF_SEEK_ERROR:
            kind = .corrupt; detail = "read past the end of the file (truncated or corrupt)"
        case FREEXL_CFBF_EMPTY_FAT_CHAIN, FREEXL_CFBF_ILLEGAL_FAT_ENTRY, FREEXL_INVALID_MINI_STREAM,
             FREEXL_CFBF_ILLEGAL_MINI_FAT_ENTRY:
            kind = .corrupt; detail = "broken sector allocation table"
        case FREEXL_BIFF_INVALID_BOF:
            kind = .corrupt; detail = "invalid BIFF record (BOF)"
        case FREEXL_BIFF_INVALID_SST, FREEXL_BIFF_ILLEGAL_SST_INDEX:
            kind = .corrupt; detail = "broken shared-string table"
        case FREEXL_BIFF_WORKBOOK_NOT_FOUND:
            kind = .corrupt; detail = "no workbook stream"
        case FREEXL_ILLEGAL_RK_VALUE:
            kind = .corrupt; detail = "invalid RK number"
        case FREEXL_CRAFTED_FILE:
            kind = .corrupt; detail = "severely corrupted or crafted file"
        case FREEXL_INVALID_CHARACTER, FREEXL_UNSUPPORTED_CHARSET:
            kind = .unsupportedCharset; detail = "text in an unsupported or invalid code page"
        case FREEXL_INSUFFICIENT_MEMORY:
            kind = .outOfMemory; detail = "out of memory"
        default:
            kind = .other; detail = "FreeXL error \(code)"
        }
    }
}

/// One cell as FreeXL decodes it. Numbers are IEEE doubles in the file (BIFF stores no text);
/// text is UTF-8 (FreeXL converts the workbook's code page); dates are FreeXL's text.
public enum FreeXLCell: Sendable, Equatable {
    case empty
    case integer(Int32)
    case double(Double)
    case text(String)
    /// `2023-03-14`
    case date(String)
    /// `2023-03-14 08:30:00`
    case dateTime(String)
    /// `08:30:00`
    case time(String)
}

/// An Excel 97–2003 (BIFF) workbook opened with FreeXL. Not thread-safe; one per task.
public final class FreeXLWorkbook {
    private let handle: UnsafeRawPointer
    public let path: String
    /// BIFF version (2, 3, 4, 5 or 8).
    public let biffVersion: Int
    /// True when the workbook stream is obfuscated or encrypted with a password (FILEPASS).
    public let isPasswordProtected: Bool
    /// True when dates count from 1904.
    public let date1904: Bool
    public let sheetCount: Int

    public init(path: String) throws(FreeXLError) {
        var h: UnsafeRawPointer?
        let rc = freexl_open(path, &h)
        guard rc == FREEXL_OK, let h else {
            if let h { freexl_close(h) }
            // FreeXL answers OK without a handle for some BIFF8 files it cannot parse.
            throw rc == FREEXL_OK ? FreeXLError(code: FREEXL_BIFF_WORKBOOK_NOT_FOUND) : FreeXLError(code: rc)
        }
        handle = h
        self.path = path
        func info(_ what: Int32) -> UInt32 {
            var v: UInt32 = 0
            return freexl_get_info(h, UInt16(what), &v) == FREEXL_OK ? v : 0
        }
        biffVersion = Int(info(FREEXL_BIFF_VERSION))
        isPasswordProtected = info(FREEXL_BIFF_PASSWORD) == UInt32(FREEXL_BIFF_OBFUSCATED)
        date1904 = info(FREEXL_BIFF_DATEMODE) == UInt32(FREEXL_BIFF_DATEMODE_1904)
        sheetCount = Int(info(FREEXL_BIFF_SHEET_COUNT))
    }

    deinit {
        freexl_close(handle)
    }

    /// The name of worksheet `index` (0-based), as UTF-8.
    public func sheetName(_ index: Int) throws(FreeXLError) -> String {
        var name: UnsafePointer<CChar>?
        let rc = freexl_get_worksheet_name(handle, UInt16(clamping: index), &name)
        guard rc == FREEXL_OK else { throw FreeXLError(code: rc) }
        return name.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: strlen($0)), as: UTF8.self) } ?? ""
    }

    /// Makes worksheet `index` the one `dimensions` and `cell` read, and returns its size.
    public func select(sheet index: Int) throws(FreeXLError) -> (rows: Int, columns: Int) {
        var rc = freexl_select_active_worksheet(handle, UInt16(clamping: index))
        guard rc == FREEXL_OK else { throw FreeXLError(code: rc) }
        var rows: UInt32 = 0
        var columns: UInt16 = 0
        rc = freexl_worksheet_dimensions(handle, &rows, &columns)
        guard rc == FREEXL_OK else { throw FreeXLError(code: rc) }
        return (Int(rows), Int(columns))
    }

    /// The cell at 0-based (row, column) of the selected sheet.
    public func cell(row: Int, column: Int) throws(FreeXLError) -> FreeXLCell {
        var v = FreeXL_CellValue()
        let rc = freexl_get_cell_value(handle, UInt32(clamping: row), UInt16(clamping: column), &v)
        guard rc == FREEXL_OK else { throw FreeXLError(code: rc) }
        func text() -> String {
            guard let p = v.value.text_value else { return "" }
            return String(decoding: UnsafeRawBufferPointer(start: p, count: strlen(p)), as: UTF8.self)
        }
        switch Int32(v.type) {
        case FREEXL_CELL_INT: return .integer(v.value.int_value)
        case FREEXL_CELL_DOUBLE: return .double(v.value.double_value)
        case FREEXL_CELL_TEXT, FREEXL_CELL_SST_TEXT: return .text(text())
        case FREEXL_CELL_DATE: return .date(text())
        case FREEXL_CELL_DATETIME: return .dateTime(text())
        case FREEXL_CELL_TIME: return .time(text())
        default: return .empty
        }
    }

    /// FreeXL's version string.
    public static var version: String { String(cString: freexl_version()) }
}
