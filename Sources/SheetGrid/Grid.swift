import Support

/// What a cell holds, as its producer stored it. Numbers keep their stored text (`"0.25"`,
/// `"136284"`) so that no value ever passes through binary floating point.
public enum CellValue: Sendable, Hashable {
    case empty
    case text(String)
    /// A numeric cell: the number exactly as written in the file (e.g. `"0.1"`, `"1E-3"`).
    case number(String)
    case bool(Bool)
    /// An error value such as `#DIV/0!`.
    case error(String)
    /// A date or time, ISO 8601 (`2023-03-14`, `2023-03-14T08:30:00`), resolved by the reader.
    case date(String)

    public var isEmpty: Bool {
        switch self {
        case .empty: return true
        case .text(let s):
            // A printable ASCII first byte starts a character that is not white space.
            if let b = s.utf8.first, b > 0x20, b < 0x7F { return false }
            return s.allSatisfy { $0.isWhitespace }
        default: return false
        }
    }

    /// The text a CSV export of this cell holds.
    public var plainText: String {
        switch self {
        case .empty: return ""
        case .text(let s): return s
        case .number(let s): return s
        case .bool(let b): return b ? "TRUE" : "FALSE"
        case .error(let e): return e
        case .date(let d): return d
        }
    }
}

/// Presentation details a locator may use (bold section rows, italic sub-rows, percent formats).
public struct CellStyle: Sendable, Hashable {
    public var bold: Bool
    public var italic: Bool
    /// The number format code (`0%`, `#,##0`, `General`), resolved from built-in ids.
    public var numberFormat: String?
    @inlinable
    public init(bold: Bool = false, italic: Bool = false, numberFormat: String? = nil) {
        self.bold = bold
        self.italic = italic
        self.numberFormat = numberFormat
    }
    /// A `%` outside quotes and brackets makes Excel show the value × 100.
    public var isPercentFormat: Bool {
        guard let f = numberFormat else { return false }
        var found = false
        CellStyle.forEachLiteralCharacter(of: f[...]) { ch in
            if ch == "%" { found = true; return false }
            return true
        }
        return found
    }

    /// The built-in number formats of Excel, by id (ECMA-376 Part 1, 18.8.30; the same ids in
    /// BIFF `XF` records of .xls files). Nil for ids that have no fixed code.
    public static func builtInFormat(_ id: Int) -> String? {
        switch id {
        case 0: return "General"
        case 1: return "0"
        case 2: return "0.00"
        case 3: return "#,##0"
        case 4: return "#,##0.00"
        case 9: return "0%"
        case 10: return "0.00%"
        case 11: return "0.00E+00"
        case 12: return "# ?/?"
        case 13: return "# ??/??"
        case 14: return "mm-dd-yy"
        case 15: return "d-mmm-yy"
        case 16: return "d-mmm"
        case 17: return "mmm-yy"
        case 18: return "h:mm AM/PM"
        case 19: return "h:mm:ss AM/PM"
        case 20: return "h:mm"
        case 21: return "h:mm:ss"
        case 22: return "m/d/yy h:mm"
        case 37: return "#,##0 ;(#,##0)"
        case 38: return "#,##0 ;[Red](#,##0)"
        case 39: return "#,##0.00;(#,##0.00)"
        case 40: return "#,##0.00;[Red](#,##0.00)"
        case 45: return "mm:ss"
        case 46: return "[h]:mm:ss"
        case 47: return "mmss.0"
        case 48: return "##0.0E+0"
        case 49: return "@"
        default: return nil
        }
    }

    /// Decimals the number format shows (`0.00%` → 2, `#,##0` → 0); nil for General or none.
    public var formatDecimals: Int? { CellStyle.decimals(ofFormat: numberFormat) }

    /// Decimals a number format code shows, from its first section.
    public static func decimals(ofFormat format: String?) -> Int? {
        guard let format, !format.isEmpty, format.lowercased() != "general" else { return nil }
        let section = format.split(separator: ";", omittingEmptySubsequences: false).first ?? format[...]
        var afterPoint = false, count = 0
        forEachLiteralCharacter(of: section) { ch in
            if ch == "." {
                if afterPoint { return false }
                afterPoint = true
            } else if afterPoint {
                if ch == "0" || ch == "#" || ch == "?" { count += 1 } else if count > 0 { return false }
            }
            return true
        }
        return count
    }

    /// Calls `body` with each character of a format code that is outside quotes, brackets and
    /// backslash escapes (the characters that format the number); stops when `body` returns false.
    static func forEachLiteralCharacter(of format: Substring, _ body: (Character) -> Bool) {
        var inQuote = false, inBracket = false, escaped = false
        for ch in format {
            if escaped { escaped = false; continue }
            switch ch {
            case "\\": escaped = true
            case "\"": inQuote.toggle()
            case "[": if !inQuote { inBracket = true }
            case "]": if !inQuote { inBracket = false }
            default:
                if !inQuote && !inBracket && !body(ch) { return }
            }
        }
    }
}

public struct Cell: Sendable, Hashable {
    /// 0-based column.
    public var column: Int
    public var value: CellValue
    public var style: CellStyle
    /// The formula text (without `=`) when the cell holds one; `value` is then its cached result.
    public var formula: String?

    @inlinable
    public init(column: Int, value: CellValue, style: CellStyle = CellStyle(), formula: String? = nil) {
        self.column = column
        self.value = value
        self.style = style
        self.formula = formula
    }
}

/// One row of a sheet; cells are sparse and sorted by column.
public struct GridRow: Sendable, Hashable {
    /// 0-based row index in the sheet (for CSV: the record index).
    public var index: Int
    public var cells: [Cell]
    public var hidden: Bool
    /// 1-based physical line where the record starts (CSV; a quoted field may span lines); for a
    /// Word table, the 1-based table row (or paragraph number for a title row).
    public var sourceLine: Int?

    public init(index: Int, cells: [Cell], hidden: Bool = false, sourceLine: Int? = nil) {
        self.index = index
        self.cells = cells
        self.hidden = hidden
        self.sourceLine = sourceLine
    }

    public func cell(at column: Int) -> Cell? {
        // Rows are short; a linear scan beats a dictionary here.
        for c in cells where c.column == column { return c }
        return nil
    }

    public func value(at column: Int) -> CellValue { cell(at: column)?.value ?? .empty }

    public var isBlank: Bool { cells.allSatisfy { $0.value.isEmpty } }
}

/// A rectangular range, 0-based inclusive.
public struct CellRange: Sendable, Hashable {
    public var firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int
    public init(firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int) {
        self.firstRow = firstRow
        self.firstColumn = firstColumn
        self.lastRow = lastRow
        self.lastColumn = lastColumn
    }
    public func contains(row: Int, column: Int) -> Bool {
        row >= firstRow && row <= lastRow && column >= firstColumn && column <= lastColumn
    }
    /// `A1:D2`
    public var a1: String {
        CellReference.a1(row: firstRow, column: firstColumn) + ":" + CellReference.a1(row: lastRow, column: lastColumn)
    }
}

/// Where a grid came from, for messages.
public enum GridSource: Sendable, Hashable {
    case csv(file: String)
    case workbook(file: String, sheet: String)
    /// Table `table` (1-based) of a Word document; the grid's first `titleRows` rows are the
    /// paragraphs above the table, the rest its rows (`GridRow.sourceLine` holds the paragraph
    /// number, resp. the table row number, both 1-based).
    case document(file: String, table: Int, titleRows: Int)
}

/// A sheet of cells from any format: what the locator reads.
public struct Grid: Sendable {
    public var source: GridSource
    public var rows: [GridRow]
    public var merges: [CellRange]
    /// Document properties the producer stored (custom properties of a workbook; empty for CSV).
    public var properties: [String: String]

    public init(source: GridSource, rows: [GridRow], merges: [CellRange] = [], properties: [String: String] = [:]) {
        self.source = source
        self.rows = rows
        self.merges = merges
        self.properties = properties
    }

    public var fileName: String {
        switch source {
        case .csv(let f): return f
        case .workbook(let f, _): return f
        case .document(let f, _, _): return f
        }
    }

    /// The sheet name to show for this grid (`Bảng 3` for a Word table), nil for CSV.
    public var sheetName: String? {
        switch source {
        case .csv: return nil
        case .workbook(_, let sheet): return sheet
        case .document(_, let table, _): return "Bảng \(table)"
        }
    }

    /// The location of a cell, as a user would look for it: `'Sheet'!D23` or a CSV line and column.
    public func location(row: GridRow, column: Int) -> SourceLocation {
        switch source {
        case .csv(let file):
            return SourceLocation(file: file, line: row.sourceLine ?? (row.index + 1), column: column + 1)
        case .workbook(let file, let sheet):
            return SourceLocation(file: file, sheet: sheet, cell: CellReference.a1(row: row.index, column: column))
        case .document(let file, let table, let titleRows):
            if row.index < titleRows {
                return SourceLocation(file: file, paragraph: row.sourceLine ?? (row.index + 1))
            }
            return SourceLocation(file: file, line: row.sourceLine ?? (row.index - titleRows + 1), column: column + 1,
                                  table: table)
        }
    }
}

public enum CellReference {
    /// Column letters for a 0-based column: 0 → A, 25 → Z, 26 → AA.
    public static func columnLetters(_ column: Int) -> String {
        if column >= 0 && column < 26 { return singleLetters[column] }
        var n = column + 1
        var letters: [Character] = []
        while n > 0 {
            let r = (n - 1) % 26
            letters.append(Character(UnicodeScalar(UInt8(65 + r))))
            n = (n - 1) / 26
        }
        return String(letters.reversed())
    }

    private static let singleLetters = (0..<26).map { String(UnicodeScalar(UInt8(65 + $0))) }

    public static func a1(row: Int, column: Int) -> String {
        // Columns A…ZZ and rows 1…10⁹: the bytes written at once into one small string (a value's
        // location is made for every row of every unit); `general` for the rest.
        guard column >= 0 && column < 702 && row >= 0 && row < 999_999_999 else { return general(row: row, column: column) }
        return String(unsafeUninitializedCapacity: 11) { out in
            var n = 0
            if column >= 26 { out[n] = UInt8(64 + column / 26); n += 1 }
            out[n] = UInt8(65 + column % 26); n += 1
            var digits = 1, number = row + 1
            while number >= 10 { number /= 10; digits += 1 }
            number = row + 1
            for i in stride(from: n + digits - 1, through: n, by: -1) {
                out[i] = UInt8(48 + number % 10)
                number /= 10
            }
            return n + digits
        }
    }

    /// `a1` as letters and the row's decimal text joined (any column and row).
    static func general(row: Int, column: Int) -> String {
        columnLetters(column) + String(row + 1)
    }

    /// Parses `D23` (also `$D$23`) into 0-based (row, column). Returns nil when malformed or
    /// beyond XFD1048576.
    public static func parse(_ ref: some StringProtocol) -> (row: Int, column: Int)? {
        var col = 0, row = 0, sawLetter = false, sawDigit = false
        for u in ref.utf8 {
            switch u {
            case UInt8(ascii: "$"): continue
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"):
                if sawDigit { return nil }
                sawLetter = true
                col = col * 26 + Int((u & 0xDF) - 64)
                if col > 16384 { return nil }
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                sawDigit = true
                row = row * 10 + Int(u - 48)
                if row > 1_048_576 { return nil }
            default: return nil
            }
        }
        guard sawLetter, sawDigit, row >= 1 else { return nil }
        return (row - 1, col - 1)
    }
}
