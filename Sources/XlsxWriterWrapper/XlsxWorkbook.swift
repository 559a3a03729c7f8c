// The only module that sees libxlsxwriter (CXlsxWriter). A thin, checked Swift surface:
// reference types own the C handles, value types describe formats, validations and charts.
// Every lxw_error becomes a BieuMauError(.cannotCreate, …) in Vietnamese and English.
import CXlsxWriter
import Foundation
import Support

// MARK: - Errors and C strings

/// Turns an `lxw_error` into a `BieuMauError` naming what was being written.
func check(_ error: lxw_error, _ what: @autoclosure () -> String, file: String? = nil) throws {
    guard error != LXW_NO_ERROR else { return }
    let reason = lxw_strerror(error).map { String(cString: $0) } ?? "lxw_error \(error.rawValue)"
    throw BieuMauError(.cannotCreate,
        vi: "Không ghi được \(what()) vào bảng tính (\(reason)).",
        en: "Cannot write \(what()) to the workbook (\(reason)).",
        at: file.map { SourceLocation(file: $0) })
}

/// `strdup`ed strings kept alive while libxlsxwriter reads them (its structs take `char *`).
final class CStringPool {
    private var pointers: [UnsafeMutableRawPointer] = []

    func string(_ s: String?) -> UnsafeMutablePointer<CChar>? {
        guard let s else { return nil }
        guard let p = strdup(s) else { return nil }
        pointers.append(UnsafeMutableRawPointer(p))
        return p
    }

    /// A NULL-terminated `char **` array.
    func list(_ items: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> {
        let array = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: items.count + 1)
        for (i, item) in items.enumerated() { array[i] = string(item) }
        array[items.count] = nil
        pointers.append(UnsafeMutableRawPointer(array))
        return array
    }

    deinit { for p in pointers { free(p) } }
}

/// A1-style references.
public enum CellName {
    /// `A`, `B`, …, `Z`, `AA` for a 0-based column.
    public static func column(_ col: Int) -> String {
        var n = col + 1
        var s = ""
        while n > 0 {
            let r = (n - 1) % 26
            s = String(UnicodeScalar(UInt8(65 + r))) + s
            n = (n - 1) / 26
        }
        return s
    }

    /// `D23` for 0-based row 22, column 3; `$D$23` when absolute.
    public static func cell(row: Int, col: Int, absolute: Bool = false) -> String {
        absolute ? "$\(column(col))$\(row + 1)" : "\(column(col))\(row + 1)"
    }

    /// `'Danh mục'!$A$1:$A$3`: a sheet name quoted as formulas need it.
    public static func range(sheet: String?, firstRow: Int, firstCol: Int, lastRow: Int, lastCol: Int,
                             absolute: Bool = true) -> String {
        let a = cell(row: firstRow, col: firstCol, absolute: absolute)
        let b = cell(row: lastRow, col: lastCol, absolute: absolute)
        let body = a == b ? a : "\(a):\(b)"
        guard let sheet else { return body }
        return "\(quotedSheet(sheet))!\(body)"
    }

    public static func quotedSheet(_ name: String) -> String {
        "'\(name.replacingOccurrences(of: "'", with: "''"))'"
    }
}

// MARK: - Formats

public enum HorizontalAlignment: Sendable, Hashable { case general, left, center, right, justify, centerAcross }
public enum VerticalAlignment: Sendable, Hashable { case top, center, bottom }

/// Everything a cell format can say, as a value: equal specs share one libxlsxwriter format.
public struct FormatSpec: Sendable, Hashable {
    public var fontName: String
    public var fontSize: Double
    public var bold: Bool
    public var italic: Bool
    public var underline: Bool
    /// RGB, e.g. `0x9C0006`.
    public var fontColor: UInt32?
    /// Solid background fill, RGB.
    public var backgroundColor: UInt32?
    public var horizontal: HorizontalAlignment
    public var vertical: VerticalAlignment
    public var wrap: Bool
    /// Thin borders on all four sides.
    public var border: Bool
    /// Only a bottom border (e.g. under a motto).
    public var bottomBorder: Bool
    /// Excel number format code (`#,##0`, `0.00%`, `@`).
    public var numberFormat: String?
    /// Locked cells cannot be edited once the sheet is protected (Excel's default is locked).
    public var locked: Bool
    public var indent: Int

    public init(fontName: String = "Times New Roman", fontSize: Double = 12, bold: Bool = false, italic: Bool = false,
                underline: Bool = false, fontColor: UInt32? = nil, backgroundColor: UInt32? = nil,
                horizontal: HorizontalAlignment = .general, vertical: VerticalAlignment = .center,
                wrap: Bool = false, border: Bool = false, bottomBorder: Bool = false, numberFormat: String? = nil,
                locked: Bool = true, indent: Int = 0) {
        self.fontName = fontName
        self.fontSize = fontSize
        self.bold = bold
        self.italic = italic
        self.underline = underline
        self.fontColor = fontColor
        self.backgroundColor = backgroundColor
        self.horizontal = horizontal
        self.vertical = vertical
        self.wrap = wrap
        self.border = border
        self.bottomBorder = bottomBorder
        self.numberFormat = numberFormat
        self.locked = locked
        self.indent = indent
    }
}

/// A format registered in one workbook (valid only with that workbook's sheets).
public struct XlsxFormat {
    let pointer: UnsafeMutablePointer<lxw_format>
}

// MARK: - Workbook

/// Document properties (File › Properties).
public struct DocumentProperties: Sendable, Hashable {
    public var title: String?
    public var subject: String?
    public var author: String?
    public var company: String?
    public var comments: String?
    public var keywords: String?
    public init(title: String? = nil, subject: String? = nil, author: String? = nil, company: String? = nil,
                comments: String? = nil, keywords: String? = nil) {
        self.title = title
        self.subject = subject
        self.author = author
        self.company = company
        self.comments = comments
        self.keywords = keywords
    }
}

/// An .xlsx file being written. Nothing reaches the disk before `close()`; a workbook dropped
/// without `close()` is discarded and leaves no file.
public final class XlsxWorkbook {
    let handle: UnsafeMutablePointer<lxw_workbook>
    public let path: String
    private var closed = false
    /// Keeps option strings alive as long as the workbook.
    private let optionStrings = CStringPool()
    private var formats: [FormatSpec: XlsxFormat] = [:]
    public private(set) var worksheets: [XlsxWorksheet] = []

    public convenience init(path: String) throws {
        try self.init(path: path, constantMemory: false)
    }

    /// `constantMemory`: each row is written to a temporary file as soon as a later row is
    /// started, so memory stays flat for any number of rows. Rows must then be written in order,
    /// strings are stored inline, and merged ranges are only possible on the current row.
    /// `temporaryDirectory`: where libxlsxwriter keeps its temporary files (default: the system's).
    public init(path: String, constantMemory: Bool, temporaryDirectory: String? = nil) throws {
        var options = lxw_workbook_options()
        options.constant_memory = constantMemory ? 1 : 0
        options.tmpdir = optionStrings.string(temporaryDirectory)
        guard let wb = workbook_new_opt(path, &options) else {
            throw BieuMauError(.cannotCreate,
                vi: "Không tạo được bảng tính \(path).", en: "Cannot create the workbook \(path).")
        }
        handle = wb
        self.path = path
    }

    deinit {
        if !closed { lxw_workbook_free(handle) }
    }

    /// Adds a sheet; the name must be unique, ≤ 31 characters, without `[]:*?/\`.
    public func addWorksheet(name: String) throws -> XlsxWorksheet {
        try ensureOpen()
        let nfc = SafeText.xml(name)
        let err = workbook_validate_sheet_name(handle, nfc)
        if err != LXW_NO_ERROR {
            let reason = lxw_strerror(err).map { String(cString: $0) } ?? ""
            throw BieuMauError(.cannotCreate,
                vi: "Tên trang tính '\(nfc)' không hợp lệ (\(reason)): tối đa 31 ký tự, không trùng, không chứa []:*?/\\.",
                en: "The sheet name '\(nfc)' is not valid (\(reason)): at most 31 characters, unique, none of []:*?/\\.")
        }
        guard let ws = workbook_add_worksheet(handle, nfc) else {
            throw BieuMauError(.cannotCreate, vi: "Không thêm được trang tính '\(nfc)'.", en: "Cannot add the sheet '\(nfc)'.")
        }
        let sheet = XlsxWorksheet(workbook: self, handle: ws, name: nfc)
        worksheets.append(sheet)
        return sheet
    }

    public func worksheet(named name: String) -> XlsxWorksheet? {
        worksheets.first { $0.name == SafeText.xml(name) }
    }

    /// The libxlsxwriter format for `spec`, created once per distinct spec.
    public func addFormat(_ spec: FormatSpec) -> XlsxFormat {
        if let f = formats[spec] { return f }
        let f = workbook_add_format(handle)!
        format_set_font_name(f, spec.fontName)
        format_set_font_size(f, spec.fontSize)
        if spec.bold { format_set_bold(f) }
        if spec.italic { format_set_italic(f) }
        if spec.underline { format_set_underline(f, UInt8(LXW_UNDERLINE_SINGLE.rawValue)) }
        if let c = spec.fontColor { format_set_font_color(f, c) }
        if let c = spec.backgroundColor {
            format_set_pattern(f, UInt8(LXW_PATTERN_SOLID.rawValue))
            format_set_bg_color(f, c)
        }
        switch spec.horizontal {
        case .general: break
        case .left: format_set_align(f, UInt8(LXW_ALIGN_LEFT.rawValue))
        case .center: format_set_align(f, UInt8(LXW_ALIGN_CENTER.rawValue))
        case .right: format_set_align(f, UInt8(LXW_ALIGN_RIGHT.rawValue))
        case .justify: format_set_align(f, UInt8(LXW_ALIGN_JUSTIFY.rawValue))
        case .centerAcross: format_set_align(f, UInt8(LXW_ALIGN_CENTER_ACROSS.rawValue))
        }
        switch spec.vertical {
        case .top: format_set_align(f, UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue))
        case .center: format_set_align(f, UInt8(LXW_ALIGN_VERTICAL_CENTER.rawValue))
        case .bottom: format_set_align(f, UInt8(LXW_ALIGN_VERTICAL_BOTTOM.rawValue))
        }
        if spec.wrap { format_set_text_wrap(f) }
        if spec.border { format_set_border(f, UInt8(LXW_BORDER_THIN.rawValue)) }
        if spec.bottomBorder { format_set_bottom(f, UInt8(LXW_BORDER_THIN.rawValue)) }
        if let nf = spec.numberFormat { format_set_num_format(f, nf) }
        if !spec.locked { format_set_unlocked(f) }
        if spec.indent > 0 { format_set_indent(f, UInt8(min(spec.indent, 15))) }
        let format = XlsxFormat(pointer: f)
        formats[spec] = format
        return format
    }

    public func setProperties(_ p: DocumentProperties) throws {
        try ensureOpen()
        let pool = CStringPool()
        var props = lxw_doc_properties()
        props.title = pool.string(p.title.map(SafeText.xml))
        props.subject = pool.string(p.subject.map(SafeText.xml))
        props.author = pool.string(p.author.map(SafeText.xml))
        props.company = pool.string(p.company.map(SafeText.xml))
        props.comments = pool.string(p.comments.map(SafeText.xml))
        props.keywords = pool.string(p.keywords.map(SafeText.xml))
        try check(workbook_set_properties(handle, &props), "document properties / thuộc tính tài liệu")
    }

    public func setProperties(title: String? = nil, subject: String? = nil, author: String? = nil,
                              company: String? = nil, comments: String? = nil) throws {
        try setProperties(DocumentProperties(title: title, subject: subject, author: author, company: company,
                                             comments: comments))
    }

    /// A custom document property (text). Empty values are skipped (Excel rejects them).
    public func setCustomProperty(name: String, string value: String) throws {
        try ensureOpen()
        guard !value.isEmpty else { return }
        try check(workbook_set_custom_property_string(handle, SafeText.xml(name), SafeText.xml(value)),
                  "custom property \(name)")
    }

    public func setCustomProperty(name: String, integer value: Int) throws {
        try ensureOpen()
        try check(workbook_set_custom_property_integer(handle, SafeText.xml(name), Int32(clamping: value)), "custom property \(name)")
    }

    /// A workbook-level name: `defineName("Tong_ho_so", formula: "='Phụ lục'!$D$57")`.
    public func defineName(_ name: String, formula: String) throws {
        try ensureOpen()
        try check(workbook_define_name(handle, SafeText.xml(name), SafeText.xml(formula)), "defined name \(name)")
    }

    /// A bar (horizontal) or column chart of one or more series.
    func addChart(_ spec: ChartSpec) throws -> UnsafeMutablePointer<lxw_chart> {
        try ensureOpen()
        let type: UInt8
        switch spec.type {
        case .bar: type = UInt8(LXW_CHART_BAR.rawValue)
        case .column: type = UInt8(LXW_CHART_COLUMN.rawValue)
        }
        guard let chart = workbook_add_chart(handle, type) else {
            throw BieuMauError(.cannotCreate, vi: "Không tạo được biểu đồ.", en: "Cannot create the chart.")
        }
        for s in spec.series {
            guard let series = chart_add_series(chart, nil, nil) else {
                throw BieuMauError(.cannotCreate, vi: "Không thêm được dãy số liệu vào biểu đồ.", en: "Cannot add a chart series.")
            }
            let c = s.categories, v = s.values
            chart_series_set_categories(series, SafeText.xml(c.sheet), UInt32(c.firstRow), UInt16(c.firstCol),
                                        UInt32(c.lastRow), UInt16(c.lastCol))
            chart_series_set_values(series, SafeText.xml(v.sheet), UInt32(v.firstRow), UInt16(v.firstCol),
                                    UInt32(v.lastRow), UInt16(v.lastCol))
            if let name = s.name { chart_series_set_name(series, SafeText.xml(name)) }
            if s.dataLabels { chart_series_set_labels(series) }
        }
        if let t = spec.title { chart_title_set_name(chart, SafeText.xml(t)) }
        if let x = spec.categoryAxisTitle { chart_axis_set_name(chart.pointee.x_axis, SafeText.xml(x)) }
        if let y = spec.valueAxisTitle { chart_axis_set_name(chart.pointee.y_axis, SafeText.xml(y)) }
        if let nf = spec.valueNumberFormat { chart_axis_set_num_format(chart.pointee.y_axis, nf) }
        if spec.series.count <= 1 { chart_legend_set_position(chart, UInt8(LXW_CHART_LEGEND_NONE.rawValue)) }
        return chart
    }

    /// Writes the file. Call once; the workbook cannot be used afterwards.
    public func close() throws {
        try ensureOpen()
        closed = true
        // libxlsxwriter prints its own "[ERROR] …" lines (in English, naming the temporary file)
        // to stderr: keep them out of the user's terminal, and take the system's reason from them.
        var err = LXW_NO_ERROR
        let printed = StderrCapture.capturing { err = workbook_close(handle) }
        if err != LXW_NO_ERROR {
            var reason = lxw_strerror(err).map { String(cString: $0) } ?? ""
            if let r = printed.range(of: "System error = ") {
                let system = printed[r.upperBound...].prefix { $0 != "\n" }
                if !system.isEmpty { reason = String(system) }
            }
            throw BieuMauError(.cannotCreate,
                vi: "Không ghi được tệp \(path) (\(reason)). Kiểm tra quyền ghi và dung lượng đĩa.",
                en: "Cannot write \(path) (\(reason)). Check write permission and free disk space.")
        }
    }

    public var isClosed: Bool { closed }

    func ensureOpen() throws {
        if closed {
            throw BieuMauError(.cannotCreate, vi: "Bảng tính \(path) đã đóng.", en: "The workbook \(path) is already closed.")
        }
    }
}

// MARK: - Charts

public struct ChartRange: Sendable, Hashable {
    public var sheet: String
    public var firstRow: Int, firstCol: Int, lastRow: Int, lastCol: Int
    public init(sheet: String, firstRow: Int, firstCol: Int, lastRow: Int, lastCol: Int) {
        self.sheet = sheet
        self.firstRow = firstRow
        self.firstCol = firstCol
        self.lastRow = lastRow
        self.lastCol = lastCol
    }
}

public struct ChartSeries: Sendable, Hashable {
    public var name: String?
    public var categories: ChartRange
    public var values: ChartRange
    public var dataLabels: Bool
    public init(name: String? = nil, categories: ChartRange, values: ChartRange, dataLabels: Bool = false) {
        self.name = name
        self.categories = categories
        self.values = values
        self.dataLabels = dataLabels
    }
}

public struct ChartSpec: Sendable, Hashable {
    public enum ChartType: Sendable, Hashable { case bar, column }
    public var type: ChartType
    public var title: String?
    public var categoryAxisTitle: String?
    public var valueAxisTitle: String?
    /// E.g. `0%` for ratios stored as fractions.
    public var valueNumberFormat: String?
    public var series: [ChartSeries]
    /// Size relative to the default 480 × 288 pixels.
    public var xScale: Double
    public var yScale: Double
    public init(type: ChartType = .bar, title: String? = nil, categoryAxisTitle: String? = nil,
                valueAxisTitle: String? = nil, valueNumberFormat: String? = nil, series: [ChartSeries],
                xScale: Double = 1, yScale: Double = 1) {
        self.type = type
        self.title = title
        self.categoryAxisTitle = categoryAxisTitle
        self.valueAxisTitle = valueAxisTitle
        self.valueNumberFormat = valueNumberFormat
        self.series = series
        self.xScale = xScale
        self.yScale = yScale
    }
}

/// Runs a C call with file descriptor 2 pointed at a temporary file and returns what it printed.
/// One at a time (the descriptor is the process's); messages other threads print meanwhile are
/// kept in the returned text rather than shown.
enum StderrCapture {
    private static let lock = NSLock()

    static func capturing(_ body: () -> Void) -> String {
        lock.lock()
        defer { lock.unlock() }
        fflush(nil)
        guard let file = tmpfile() else { body(); return "" }
        defer { fclose(file) }
        let saved = dup(STDERR_FILENO)
        guard saved >= 0 else { body(); return "" }
        dup2(fileno(file), STDERR_FILENO)
        body()
        fflush(nil)
        dup2(saved, STDERR_FILENO)
        close(saved)
        var out = [UInt8]()
        rewind(file)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n <= 0 { break }
            out.append(contentsOf: buffer[0..<n])
            if out.count > 1 << 16 { break }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
