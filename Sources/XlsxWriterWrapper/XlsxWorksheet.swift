import CXlsxWriter
import Foundation
import Support

/// How a data validation reacts to a value outside its rule.
public enum ValidationErrorStyle: Sendable, Hashable {
    /// Refuses the value.
    case stop
    /// Asks "Continue?" and keeps the value on Yes.
    case warning
    /// Informs and keeps the value.
    case information
}

/// What a data validation allows.
public enum ValidationRule: Sendable, Hashable {
    /// A dropdown of the cells of a range, e.g. `='Danh mục'!$A$1:$A$3` (no length limit).
    case listRange(String)
    /// A dropdown of literal items; their comma-joined UTF-8 must fit in 255 bytes and no item may
    /// contain a comma (checked: libxlsxwriter 1.1.4 aborts the process past 255 bytes).
    case list([String])
    /// A whole number ≥ `minimum`.
    case wholeNumber(minimum: Int)
    /// A decimal ≥ `minimum`, and ≤ `maximum` when given.
    case decimal(minimum: Double, maximum: Double?)
    /// Any value (only the input message is shown).
    case any
}

public struct DataValidation: Sendable, Hashable {
    public var rule: ValidationRule
    /// ≤ 32 characters (longer titles are cut).
    public var inputTitle: String?
    /// ≤ 255 characters (longer messages are cut).
    public var inputMessage: String?
    public var errorTitle: String?
    public var errorMessage: String?
    public var errorStyle: ValidationErrorStyle
    public var ignoreBlank: Bool
    public init(rule: ValidationRule, inputTitle: String? = nil, inputMessage: String? = nil,
                errorTitle: String? = nil, errorMessage: String? = nil, errorStyle: ValidationErrorStyle = .stop,
                ignoreBlank: Bool = true) {
        self.rule = rule
        self.inputTitle = inputTitle
        self.inputMessage = inputMessage
        self.errorTitle = errorTitle
        self.errorMessage = errorMessage
        self.errorStyle = errorStyle
        self.ignoreBlank = ignoreBlank
    }

    /// The largest literal list libxlsxwriter accepts, in UTF-8 bytes of the items joined by commas.
    public static let maxLiteralListBytes = 255

    /// Whether `items` can be written as a literal list (else use a range on a hidden sheet).
    public static func fitsLiteralList(_ items: [String]) -> Bool {
        !items.isEmpty && items.joined(separator: ",").utf8.count <= maxLiteralListBytes
            && !items.contains { $0.contains(",") || $0.contains("\"") || $0.isEmpty }
    }
}

/// Sheet protection: what users may still do.
public struct ProtectionOptions: Sendable, Hashable {
    public var allowFormatCells: Bool
    public var allowFormatColumns: Bool
    public var allowFormatRows: Bool
    public var allowSelectLocked: Bool
    public var allowSelectUnlocked: Bool
    public init(allowFormatCells: Bool = false, allowFormatColumns: Bool = true, allowFormatRows: Bool = true,
                allowSelectLocked: Bool = true, allowSelectUnlocked: Bool = true) {
        self.allowFormatCells = allowFormatCells
        self.allowFormatColumns = allowFormatColumns
        self.allowFormatRows = allowFormatRows
        self.allowSelectLocked = allowSelectLocked
        self.allowSelectUnlocked = allowSelectUnlocked
    }
}

/// One sheet of an `XlsxWorkbook`. Rows and columns are 0-based.
public final class XlsxWorksheet {
    /// Keeps the workbook (and so the C handles) alive as long as a sheet is used.
    public let workbook: XlsxWorkbook
    let handle: UnsafeMutablePointer<lxw_worksheet>
    public let name: String

    init(workbook: XlsxWorkbook, handle: UnsafeMutablePointer<lxw_worksheet>, name: String) {
        self.workbook = workbook
        self.handle = handle
        self.name = name
    }

    public static let maxRows = 1_048_576
    public static let maxColumns = 16_384

    private func cell(_ row: Int, _ col: Int) throws -> (lxw_row_t, lxw_col_t) {
        try workbook.ensureOpen()
        guard row >= 0, row < Self.maxRows, col >= 0, col < Self.maxColumns else {
            throw BieuMauError(.cannotCreate,
                vi: "Ô (dòng \(row + 1), cột \(col + 1)) nằm ngoài giới hạn của Excel.",
                en: "Cell (row \(row + 1), column \(col + 1)) is outside Excel's limits.")
        }
        return (lxw_row_t(row), lxw_col_t(col))
    }

    private func ref(_ row: Int, _ col: Int) -> String { "'\(name)'!\(CellName.cell(row: row, col: col))" }

    // MARK: Cells

    public func writeString(row: Int, col: Int, _ text: String, format: XlsxFormat? = nil) throws {
        let (r, c) = try cell(row, col)
        if text.isEmpty { return try writeBlank(row: row, col: col, format: format) }
        try check(worksheet_write_string(handle, r, c, SafeText.xml(text), format?.pointer), ref(row, col))
    }

    /// Writes a NUL-terminated UTF-8 string as it is: the caller guarantees it is NFC and not
    /// empty (the fast path for streaming large sheets; no Swift `String` is made).
    public func writeString(row: Int, col: Int, nfcCString text: UnsafePointer<CChar>, format: XlsxFormat? = nil) throws {
        let (r, c) = try cell(row, col)
        let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(text).assumingMemoryBound(to: UInt8.self), count: strlen(text))
        if SafeText.needsXMLRepair(bytes: bytes) {
            return try writeString(row: row, col: col, String(decoding: bytes, as: UTF8.self), format: format)
        }
        try check(worksheet_write_string(handle, r, c, text, format?.pointer), ref(row, col))
    }

    public func writeNumber(row: Int, col: Int, _ value: Double, format: XlsxFormat? = nil) throws {
        let (r, c) = try cell(row, col)
        guard value.isFinite else {
            throw BieuMauError(.cannotCreate, vi: "Số không hợp lệ ở ô \(ref(row, col)).", en: "Invalid number for \(ref(row, col)).")
        }
        try check(worksheet_write_number(handle, r, c, value, format?.pointer), ref(row, col))
    }

    /// A formula (`=IF(D57=0,"",D58/D57)`) with the value a reader without a calculation engine sees.
    public func writeFormula(row: Int, col: Int, _ formula: String, cachedNumber: Double, format: XlsxFormat? = nil) throws {
        let (r, c) = try cell(row, col)
        try check(worksheet_write_formula_num(handle, r, c, SafeText.xml(formula), format?.pointer, cachedNumber.isFinite ? cachedNumber : 0),
                  ref(row, col))
    }

    public func writeFormula(row: Int, col: Int, _ formula: String, cachedString: String, format: XlsxFormat? = nil) throws {
        let (r, c) = try cell(row, col)
        try check(worksheet_write_formula_str(handle, r, c, SafeText.xml(formula), format?.pointer, SafeText.xml(cachedString)),
                  ref(row, col))
    }

    public func writeBlank(row: Int, col: Int, format: XlsxFormat? = nil) throws {
        let (r, c) = try cell(row, col)
        // libxlsxwriter ignores a blank without a format (it would be an empty cell anyway).
        guard let format else { return }
        try check(worksheet_write_blank(handle, r, c, format.pointer), ref(row, col))
    }

    /// An internal link (`internal:'Phụ lục'!D23`) or URL, shown as `text`.
    public func writeURL(row: Int, col: Int, _ url: String, text: String? = nil, tooltip: String? = nil,
                         format: XlsxFormat? = nil) throws {
        let (r, c) = try cell(row, col)
        try check(worksheet_write_url_opt(handle, r, c, SafeText.xml(url), format?.pointer,
                                          text.map(SafeText.xml), tooltip.map(SafeText.xml)),
                  ref(row, col))
    }

    /// Merges a range and writes `text` in it (the format applies to every cell of the range).
    public func mergeRange(firstRow: Int, firstCol: Int, lastRow: Int, lastCol: Int, _ text: String,
                           format: XlsxFormat? = nil) throws {
        let (r1, c1) = try cell(firstRow, firstCol)
        let (r2, c2) = try cell(lastRow, lastCol)
        try check(worksheet_merge_range(handle, r1, c1, r2, c2, SafeText.xml(text), format?.pointer),
                  "'\(name)'!\(CellName.range(sheet: nil, firstRow: firstRow, firstCol: firstCol, lastRow: lastRow, lastCol: lastCol, absolute: false))")
    }

    // MARK: Comments

    public func writeComment(row: Int, col: Int, _ text: String, author: String? = nil, visible: Bool = false,
                             width: Int? = nil, height: Int? = nil) throws {
        let (r, c) = try cell(row, col)
        let pool = CStringPool()
        var options = lxw_comment_options()
        options.visible = UInt8(visible ? LXW_COMMENT_DISPLAY_VISIBLE.rawValue : LXW_COMMENT_DISPLAY_HIDDEN.rawValue)
        options.author = pool.string(author.map(SafeText.xml))
        if let width { options.width = UInt16(clamping: width) }
        if let height { options.height = UInt16(clamping: height) }
        try check(worksheet_write_comment_opt(handle, r, c, SafeText.xml(text), &options), "comment \(ref(row, col))")
    }

    // MARK: Rows and columns

    /// Width in characters (Excel's unit).
    public func setColumn(first: Int, last: Int? = nil, width: Double, format: XlsxFormat? = nil, hidden: Bool = false) throws {
        let (_, c1) = try cell(0, first)
        let (_, c2) = try cell(0, last ?? first)
        var options = lxw_row_col_options()
        options.hidden = hidden ? 1 : 0
        try check(worksheet_set_column_opt(handle, c1, c2, width, format?.pointer, &options), "column \(CellName.column(first))")
    }

    /// Height in points; nil keeps the default height (Excel then fits wrapped text).
    public func setRow(_ row: Int, height: Double?, format: XlsxFormat? = nil, hidden: Bool = false) throws {
        let (r, _) = try cell(row, 0)
        var options = lxw_row_col_options()
        options.hidden = hidden ? 1 : 0
        try check(worksheet_set_row_opt(handle, r, height ?? LXW_DEF_ROW_HEIGHT, format?.pointer, &options), "row \(row + 1)")
    }

    /// Freezes the rows above `row` and the columns left of `col`.
    public func freezePanes(row: Int, col: Int) throws {
        let (r, c) = try cell(row, col)
        worksheet_freeze_panes(handle, r, c)
    }

    // MARK: Printing

    /// Rows printed at the top of every page (print titles).
    public func repeatRows(first: Int, last: Int) throws {
        let (r1, _) = try cell(first, 0)
        let (r2, _) = try cell(last, 0)
        try check(worksheet_repeat_rows(handle, r1, r2), "print titles")
    }

    public func setPaperA4() { worksheet_set_paper(handle, 9) }
    public func setLandscape() { worksheet_set_landscape(handle) }
    public func setPortrait() { worksheet_set_portrait(handle) }
    /// Margins in inches (1 inch = 25.4 mm).
    public func setMargins(left: Double, right: Double, top: Double, bottom: Double) {
        worksheet_set_margins(handle, left, right, top, bottom)
    }
    /// `width` pages wide, `height` pages tall (0: as many as needed).
    public func fitToPages(width: Int, height: Int) {
        worksheet_fit_to_pages(handle, UInt16(clamping: width), UInt16(clamping: height))
    }
    public func centerHorizontally() { worksheet_center_horizontally(handle) }
    /// Excel header code, e.g. `&CTrang &P/&N` (≤ 255 characters).
    public func setHeader(_ text: String) throws {
        try check(worksheet_set_header(handle, SafeText.xml(text)), "page header")
    }
    public func setFooter(_ text: String) throws {
        try check(worksheet_set_footer(handle, SafeText.xml(text)), "page footer")
    }
    public func hideGridlines() { worksheet_gridlines(handle, UInt8(LXW_HIDE_ALL_GRIDLINES.rawValue)) }
    public func setZoom(_ percent: Int) { worksheet_set_zoom(handle, UInt16(clamping: percent)) }
    public func setTabColor(_ rgb: UInt32) { worksheet_set_tab_color(handle, rgb) }

    // MARK: Sheet state

    public func activate() { worksheet_activate(handle) }
    public func setFirstSheet() { worksheet_set_first_sheet(handle) }
    public func hide() { worksheet_hide(handle) }

    /// Protects the sheet; a password over 24 characters is refused (libxlsxwriter hashes it wrongly).
    public func protect(password: String? = nil, options: ProtectionOptions = ProtectionOptions()) throws {
        try workbook.ensureOpen()
        if let password, password.count > 24 {
            throw BieuMauError(.usage,
                vi: "Mật khẩu bảo vệ trang tính dài tối đa 24 ký tự (đang có \(password.count)).",
                en: "The sheet protection password may have at most 24 characters (it has \(password.count)).")
        }
        var p = lxw_protection()
        p.format_cells = options.allowFormatCells ? 1 : 0
        p.format_columns = options.allowFormatColumns ? 1 : 0
        p.format_rows = options.allowFormatRows ? 1 : 0
        p.no_select_locked_cells = options.allowSelectLocked ? 0 : 1
        p.no_select_unlocked_cells = options.allowSelectUnlocked ? 0 : 1
        if let password, !password.isEmpty {
            worksheet_protect(handle, password, &p)
        } else {
            worksheet_protect(handle, nil, &p)
        }
    }

    // MARK: Validation and highlighting

    public func dataValidation(firstRow: Int, firstCol: Int, lastRow: Int? = nil, lastCol: Int? = nil,
                               _ validation: DataValidation) throws {
        let (r1, c1) = try cell(firstRow, firstCol)
        let (r2, c2) = try cell(lastRow ?? firstRow, lastCol ?? firstCol)
        let pool = CStringPool()
        var v = lxw_data_validation()
        switch validation.rule {
        case .listRange(let formula):
            v.validate = UInt8(LXW_VALIDATION_TYPE_LIST_FORMULA.rawValue)
            v.value_formula = pool.string(SafeText.xml(formula))
        case .list(let items):
            let nfcItems = items.map(SafeText.xml)
            guard DataValidation.fitsLiteralList(nfcItems) else {
                throw BieuMauError(.cannotCreate,
                    vi: "Danh sách chọn cho ô \(ref(firstRow, firstCol)) dài quá 255 byte hoặc có dấu phẩy: hãy dùng danh sách trên một trang tính ẩn.",
                    en: "The dropdown list for \(ref(firstRow, firstCol)) exceeds 255 bytes or contains a comma: use a list range on a hidden sheet.")
            }
            v.validate = UInt8(LXW_VALIDATION_TYPE_LIST.rawValue)
            v.value_list = pool.list(nfcItems)
        case .wholeNumber(let minimum):
            v.validate = UInt8(LXW_VALIDATION_TYPE_INTEGER.rawValue)
            v.criteria = UInt8(LXW_VALIDATION_CRITERIA_GREATER_THAN_OR_EQUAL_TO.rawValue)
            v.value_number = Double(minimum)
        case .decimal(let minimum, let maximum):
            v.validate = UInt8(LXW_VALIDATION_TYPE_DECIMAL.rawValue)
            if let maximum {
                v.criteria = UInt8(LXW_VALIDATION_CRITERIA_BETWEEN.rawValue)
                v.minimum_number = minimum
                v.maximum_number = maximum
            } else {
                v.criteria = UInt8(LXW_VALIDATION_CRITERIA_GREATER_THAN_OR_EQUAL_TO.rawValue)
                v.value_number = minimum
            }
        case .any:
            v.validate = UInt8(LXW_VALIDATION_TYPE_ANY.rawValue)
        }
        v.ignore_blank = UInt8(validation.ignoreBlank ? LXW_VALIDATION_ON.rawValue : LXW_VALIDATION_OFF.rawValue)
        switch validation.errorStyle {
        case .stop: v.error_type = UInt8(LXW_VALIDATION_ERROR_TYPE_STOP.rawValue)
        case .warning: v.error_type = UInt8(LXW_VALIDATION_ERROR_TYPE_WARNING.rawValue)
        case .information: v.error_type = UInt8(LXW_VALIDATION_ERROR_TYPE_INFORMATION.rawValue)
        }
        func cut(_ s: String?, _ n: Int) -> String? { s.map { SafeText.xml(String($0.prefix(n))) } }
        v.input_title = pool.string(cut(validation.inputTitle, 32))
        v.input_message = pool.string(cut(validation.inputMessage, 255))
        v.error_title = pool.string(cut(validation.errorTitle, 32))
        v.error_message = pool.string(cut(validation.errorMessage, 255))
        let err = (r1 == r2 && c1 == c2)
            ? worksheet_data_validation_cell(handle, r1, c1, &v)
            : worksheet_data_validation_range(handle, r1, c1, r2, c2, &v)
        try check(err, "data validation \(ref(firstRow, firstCol))")
    }

    /// Applies `format` to the range where `formula` (relative to the first cell) is true.
    public func conditionalFormat(firstRow: Int, firstCol: Int, lastRow: Int, lastCol: Int, formula: String,
                                  format: XlsxFormat) throws {
        let (r1, c1) = try cell(firstRow, firstCol)
        let (r2, c2) = try cell(lastRow, lastCol)
        let pool = CStringPool()
        var cf = lxw_conditional_format()
        cf.type = UInt8(LXW_CONDITIONAL_TYPE_FORMULA.rawValue)
        cf.value_string = pool.string(SafeText.xml(formula))
        cf.format = format.pointer
        try check(worksheet_conditional_format_range(handle, r1, c1, r2, c2, &cf), "conditional format \(ref(firstRow, firstCol))")
    }

    // MARK: Charts

    /// Inserts a chart with its top-left corner at the cell.
    public func insertChart(row: Int, col: Int, _ spec: ChartSpec) throws {
        let (r, c) = try cell(row, col)
        let chart = try workbook.addChart(spec)
        var options = lxw_chart_options()
        options.x_scale = spec.xScale
        options.y_scale = spec.yScale
        try check(worksheet_insert_chart_opt(handle, r, c, chart, &options), "chart \(ref(row, col))")
    }
}
