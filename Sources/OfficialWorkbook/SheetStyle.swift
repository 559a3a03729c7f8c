import AppendixModel
import FormSchema
import Foundation
import Support
import XlsxWriterWrapper

/// Where things go on an appendix sheet.
enum Layout {
    static let code = 0, label = 1, unit = 2, value = 3, note = 4
    /// Column widths in Excel character units: STT, Chỉ tiêu thống kê, Đơn vị tính, Số liệu, Ghi chú.
    static let columnWidths: [Double] = [7, 60, 14, 14, 16]
    /// The header block: parent body and unit on the left, the national motto on the right.
    static let headerLeft = 0...1
    static let headerRight = 2...4
    static let headerRows = 8...9
    static let firstDataRow = 10

    static func mm(_ millimetres: Double) -> Double { millimetres / 25.4 }

    static func width(_ cols: ClosedRange<Int>) -> Double { cols.reduce(0) { $0 + columnWidths[$1] } }

    /// Lines `text` takes wrapped in a cell (or merged range) `widthUnits` wide. Neither Excel for
    /// merged cells nor LibreOffice for generated files fits row heights, so they are estimated.
    static func lines(of text: String, widthUnits: Double, fontSize: Double, bold: Bool = false, upper: Bool = false) -> Int {
        // Average glyph width of Times New Roman in Excel width units (one unit ≈ 7 px) at 12 pt,
        // measured on LibreOffice renderings and rounded up so text is not clipped.
        var perChar = fontSize * 0.72 / 12
        if upper { perChar *= 1.35 }
        if bold { perChar *= 1.08 }
        let usable = max(widthUnits - 1.5, 1)
        if let n = linesCountingScalars(of: text, perChar: perChar, usable: usable) { return n }
        return linesCountingCharacters(of: text, perChar: perChar, usable: usable)
    }

    /// True when every scalar of `text` is a character of its own (no combining marks, joiners,
    /// CR LF pairs…), so characters can be counted as UTF-8 lead bytes: line feed, U+0020–U+027F,
    /// U+1E00–U+1EFF (Vietnamese), U+2010–U+2027 and U+2030–U+205E (dashes, quotes, ellipsis).
    static func eachScalarIsACharacter(_ text: String) -> Bool {
        for b in text.utf8 where b < 0x20 || b >= 0xCA {
            return text.unicodeScalars.allSatisfy { c in
                let v = c.value
                return v == 0x0A || (0x20...0x27F).contains(v) || (0x1E00...0x1EFF).contains(v)
                    || (0x2010...0x2027).contains(v) || (0x2030...0x205E).contains(v)
            }
        }
        return true
    }

    /// The wrapping itself (once): words placed on lines at word boundaries, a word longer than a
    /// line broken across lines. Fed word lengths in characters and paragraph ends.
    struct LineCounter {
        let perChar: Double
        let usable: Double
        private var total = 0
        private var line = 0.0
        private var count = 1

        init(perChar: Double, usable: Double) {
            self.perChar = perChar
            self.usable = usable
        }

        mutating func word(_ length: Int) {
            guard length > 0 else { return }
            let w = Double(length) * perChar
            let add = line == 0 ? w : line + perChar + w
            if add > usable && line > 0 {
                count += 1
                line = w
            } else {
                line = add
            }
            while line > usable { count += 1; line -= usable }
        }

        mutating func endParagraph() {
            total += count
            line = 0
            count = 1
        }

        /// The lines of everything fed, the last paragraph ended.
        mutating func finish() -> Int {
            endParagraph()
            return max(total, 1)
        }
    }

    /// The lines of `text`, counting characters as UTF-8 lead bytes: only for text where each
    /// scalar is a character (nil otherwise).
    static func linesCountingScalars(of text: String, perChar: Double, usable: Double) -> Int? {
        guard eachScalarIsACharacter(text) else { return nil }
        var counter = LineCounter(perChar: perChar, usable: usable)
        var wordLength = 0
        for b in text.utf8 {
            if b == 0x0A || b == 0x20 {
                counter.word(wordLength)
                wordLength = 0
                if b == 0x0A { counter.endParagraph() }
            } else if b & 0xC0 != 0x80 {
                wordLength += 1
            }
        }
        counter.word(wordLength)
        return counter.finish()
    }

    /// The lines of any text, counting characters (grapheme clusters).
    static func linesCountingCharacters(of text: String, perChar: Double, usable: Double) -> Int {
        var counter = LineCounter(perChar: perChar, usable: usable)
        var wordLength = 0
        for ch in text {
            if ch == "\n" || ch == " " {
                counter.word(wordLength)
                wordLength = 0
                if ch == "\n" { counter.endParagraph() }
            } else {
                wordLength += 1
            }
        }
        counter.word(wordLength)
        return counter.finish()
    }

    /// Height in points of `lines` lines of text at `fontSize`.
    static func height(lines: Int, fontSize: Double) -> Double {
        Double(lines) * (fontSize * 1.22) + 3
    }

    static func height(of text: String, widthUnits: Double, fontSize: Double, bold: Bool = false, upper: Bool = false) -> Double {
        height(lines: lines(of: text, widthUnits: widthUnits, fontSize: fontSize, bold: bold, upper: upper), fontSize: fontSize)
    }
}

enum Palette {
    /// Light yellow: cells a unit fills in a template.
    static let input: UInt32 = 0xFFF2CC
    /// Light grey: computed cells (live ratio formulas).
    static let computed: UInt32 = 0xF2F2F2
    static let errorFill: UInt32 = 0xFFC7CE
    static let errorFont: UInt32 = 0x9C0006
    static let warningFill: UInt32 = 0xFFEB9C
    static let warningFont: UInt32 = 0x9C5700
}

/// The look of one table row's cells.
struct CellStyle: Hashable {
    var bold: Bool
    var italic: Bool
    /// A template input cell: unlocked and shaded.
    var input = false
    /// A live formula in a template.
    var computed = false
    var annotation: AnnotationSeverity?
    /// Sub-rows without a code are indented.
    var indent: Int

    init(row: FormRow) {
        bold = row.style == .bold
        italic = row.style == .italic
        indent = row.code.isEmpty && row.kind != .section && row.kind != .group ? 1 : 0
    }
}

enum CellRole: Hashable {
    case code, label, unit, note, valueText
    case valueNumber(String?)
}

/// Formats of table cells already made in a workbook, by cell style and role: an appendix sheet
/// asks for five per row, and a merged workbook writes hundreds of sheets.
final class TableFormatCache {
    struct Key: Hashable {
        let cell: CellStyle
        let role: CellRole
    }
    var formats: [Key: XlsxFormat] = [:]
}

/// Builds (cached) formats for the appendix sheet.
struct SheetStyle {
    let workbook: XlsxWorkbook
    var cache = TableFormatCache()
    static let font = "Times New Roman"
    static let tableSize: Double = 12

    func header(size: Double, bold: Bool = false, italic: Bool = false) -> FormatSpec {
        FormatSpec(fontName: Self.font, fontSize: size, bold: bold, italic: italic, horizontal: .center,
                   vertical: .center, wrap: true)
    }

    func tableHeader() -> FormatSpec {
        FormatSpec(fontName: Self.font, fontSize: Self.tableSize, bold: true, horizontal: .center, vertical: .center,
                   wrap: true, border: true)
    }

    func format(_ cell: CellStyle, _ role: CellRole) -> XlsxFormat {
        let key = TableFormatCache.Key(cell: cell, role: role)
        if let f = cache.formats[key] { return f }
        let f = makeFormat(cell, role)
        cache.formats[key] = f
        return f
    }

    private func makeFormat(_ cell: CellStyle, _ role: CellRole) -> XlsxFormat {
        var s = FormatSpec(fontName: Self.font, fontSize: Self.tableSize, bold: cell.bold, italic: cell.italic,
                           vertical: .center, wrap: true, border: true)
        switch role {
        case .code:
            s.horizontal = .center
        case .label:
            s.horizontal = .left
            s.indent = cell.indent
        case .unit:
            s.horizontal = .center
        case .note:
            s.horizontal = .left
            s.bold = false
            if cell.input { s.locked = false; s.backgroundColor = Palette.input }
        case .valueText:
            s.horizontal = .center
            s.numberFormat = "@"
        case .valueNumber(let nf):
            s.horizontal = .right
            s.numberFormat = nf
        }
        if role != .note && role != .code && role != .label && role != .unit {
            if cell.input { s.locked = false; s.backgroundColor = Palette.input }
            if cell.computed { s.backgroundColor = Palette.computed }
            switch cell.annotation {
            case .error?: s.backgroundColor = Palette.errorFill; s.fontColor = Palette.errorFont
            case .warning?: s.backgroundColor = Palette.warningFill; s.fontColor = Palette.warningFont
            case nil: break
            }
        }
        return workbook.addFormat(s)
    }
}

/// Number formats and the percent-to-fraction step at the spreadsheet edge.
enum ValueFormat {
    /// Decimals to show: as the unit printed them (the digits of the value when that is not
    /// known), and at least the row's own. The stored value keeps every digit either way.
    static func places(row: FormRow, value: RowValue, number: ExactDecimal) -> Int {
        let shown = value.decimals ?? number.normalized.scale
        return min(max(shown, row.decimals ?? 0), 15)
    }

    /// `#,##0`, `#,##0.000`.
    static func numberFormat(places: Int) -> String {
        places > 0 ? "#,##0." + String(repeating: "0", count: places) : "#,##0"
    }

    /// `0%`, `0.00%`.
    static func percentFormat(places: Int) -> String {
        places > 0 ? "0." + String(repeating: "0", count: places) + "%" : "0%"
    }

    /// 25 (%) → 0.25, exactly.
    static func fraction(ofPercent p: ExactDecimal) -> ExactDecimal {
        p.divided(by: ExactDecimal(100), places: min(p.scale + 2, ExactDecimal.maxScale)) ?? p
    }
}
