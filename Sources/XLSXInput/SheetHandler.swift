import SheetGrid
import VietnameseText
import XMLScan

/// A problem with one cell, turned into a located BieuMauError by the reader.
enum CellProblem: Error {
    case badReference(String)
    case badRowNumber(String)
    case sharedStringIndex(index: String, count: Int, row: Int, column: Int)
}

/// Turns `<sheetData>` into rows. Completed rows collect in `ready`; the reader drains them after
/// each chunk, so memory holds one chunk's rows at most.
struct SheetHandler: XMLHandler {
    let shared: [String]
    /// The runs of rich shared strings whose runs name their fonts (see SharedStringsHandler).
    let sharedRuns: [Int: [SharedStringsHandler.Run]]
    let formats: [ResolvedFormat]
    let date1904: Bool
    let maxCells: Int
    let maxBytes: Int

    var ready: [GridRow] = []
    var merges: [CellRange] = []
    var cellCount = 0
    var rowCount = 0
    /// Legacy encodings of the text cells converted because of their font.
    var converted: Set<LegacyVietnameseEncoding> = []

    private enum Collect { case none, value, formula, inlineText }
    private enum CellType { case number, shared, inline, formulaString, bool, error, date }

    private var inSheetData = false
    private var inRow = false
    private var rowIndex = 0
    private var rowHasIndex = false
    private var nextRowIndex = 0
    private var rowHidden = false
    /// The cells of the open row (`rowCells` of them), moved into the row's array at its end.
    private var cellScratch = Scratch<Cell?>(capacity: 16, initial: nil)
    private var rowCells = 0
    /// The column of the last cell of the row (-1 when none).
    private var lastColumn = -1
    private var sorted = true
    private var nextColumn = 0

    private var column = 0
    private var cellType = CellType.number
    private var styleIndex = 0
    private var collect = Collect.none
    /// The bytes of the cell's `<v>` (`valueCount` of them), decoded.
    private var valueScratch = Scratch<UInt8>(capacity: 64, initial: 0)
    private var valueCount = 0
    private var formulaBytes: [UInt8] = []
    private var inlineBytes: [UInt8] = []
    private var hasValue = false
    private var hasFormula = false
    private var hasInline = false
    private var inInline = false
    private var phoneticDepth = 0
    /// The shared string the current cell holds, else -1.
    private var sharedIndex = -1
    /// The runs of a rich inline string: where each starts in `inlineBytes`, and its `rFont`.
    private var inlineRuns: [(start: Int, font: String?)] = []
    private var inlineRunStart = 0
    private var inlineRunFont: String?

    init(shared: [String], sharedRuns: [Int: [SharedStringsHandler.Run]] = [:], formats: [ResolvedFormat], date1904: Bool,
         maxCells: Int, maxBytes: Int) {
        self.shared = shared
        self.sharedRuns = sharedRuns
        self.formats = formats
        self.date1904 = date1904
        self.maxCells = maxCells
        self.maxBytes = maxBytes
    }

    mutating func startElement(_ name: XMLBytes, _ a: XMLAttributes) throws {
        let first = name.count > 0 ? name[0] : 0
        if inRow {
            if first == UInt8(ascii: "c") && name.count == 1 {
                try startCell(a)
            } else if first == UInt8(ascii: "v") && name.count == 1 {
                collect = .value
                hasValue = true
            } else if first == UInt8(ascii: "f") && name.count == 1 {
                collect = .formula
                hasFormula = true
            } else if name.equals("is") {
                inInline = true
                hasInline = true
            } else if inInline && name.equals("t") && phoneticDepth == 0 {
                collect = .inlineText
            } else if name.equals("rPh") {
                phoneticDepth += 1
            } else if inInline && name.count == 1 && first == UInt8(ascii: "r") && phoneticDepth == 0 {
                inlineRunStart = inlineBytes.count
                inlineRunFont = nil
            } else if inInline && name.equals("rFont") {
                inlineRunFont = try a.string("val")
            }
            return
        }
        if inSheetData && name.equals("row") {
            try startRow(a)
        } else if name.equals("sheetData") {
            inSheetData = true
        } else if name.equals("mergeCell") {
            if let ref = try a.string("ref"), let range = Self.parseRange(ref) { merges.append(range) }
        }
    }

    mutating func endElement(_ name: XMLBytes) throws {
        guard inRow || inSheetData else { return }
        let first = name.count > 0 ? name[0] : 0
        if name.count == 1 && (first == UInt8(ascii: "v") || first == UInt8(ascii: "f") || first == UInt8(ascii: "t")) {
            collect = .none
        } else if name.count == 1 && first == UInt8(ascii: "c") {
            try endCell()
        } else if inInline && name.count == 1 && first == UInt8(ascii: "r") && phoneticDepth == 0 {
            // A rich inline run (inline strings are rare: this costs nothing to other cells).
            if inlineRuns.count < 4096 { inlineRuns.append((inlineRunStart, inlineRunFont)) }
        } else if name.equals("row") {
            endRow()
        } else if name.equals("is") {
            inInline = false
        } else if name.equals("rPh") {
            phoneticDepth -= 1
        } else if name.equals("sheetData") {
            inSheetData = false
        }
    }

    mutating func text(_ raw: XMLBytes, cdata: Bool) throws {
        switch collect {
        case .none: return
        case .value:
            if cdata || XMLText.isPlain(raw) {
                appendValue(raw)
            } else {
                var decoded: [UInt8] = []
                try XMLText.appendDecoded(raw, to: &decoded)
                decoded.withUnsafeBufferPointer { appendValue($0) }
            }
            if valueCount > maxBytes { throw LimitExceeded.stringLength(maxBytes) }
        case .formula:
            if cdata { formulaBytes.append(contentsOf: raw) } else { try XMLText.appendDecoded(raw, to: &formulaBytes) }
            if formulaBytes.count > maxBytes { throw LimitExceeded.stringLength(maxBytes) }
        case .inlineText:
            if cdata { inlineBytes.append(contentsOf: raw) } else { try XMLText.appendDecoded(raw, to: &inlineBytes) }
            if inlineBytes.count > maxBytes { throw LimitExceeded.stringLength(maxBytes) }
        }
    }

    private mutating func appendValue(_ bytes: XMLBytes) {
        if valueCount + bytes.count > valueScratch.capacity {
            valueScratch = valueScratch.grown(keeping: valueCount, toAtLeast: valueCount + bytes.count, initial: 0)
        }
        if let b = bytes.baseAddress { (valueScratch.base + valueCount).update(from: b, count: bytes.count) }
        valueCount += bytes.count
    }

    /// The value's bytes so far (valid until the next cell starts).
    private var valueBytes: XMLBytes { XMLBytes(start: valueScratch.base, count: valueCount) }

    private mutating func startRow(_ a: XMLAttributes) throws {
        if let r = a.raw("r") {
            guard let n = r.parseInt(), n >= 1, n <= 1_048_576 else {
                throw CellProblem.badRowNumber(String(decoding: r, as: UTF8.self))
            }
            rowIndex = n - 1
            rowHasIndex = true
        } else {
            rowIndex = nextRowIndex
            rowHasIndex = false
        }
        rowHidden = a.bool("hidden")
        inRow = true
        sorted = true
        nextColumn = 0
        lastColumn = -1
        for k in 0..<rowCells { cellScratch.base[k] = nil }
        rowCells = 0
    }

    private mutating func endRow() {
        inRow = false
        // The row's cells moved (not copied) out of the scratch into an array of their number.
        let scratch = cellScratch.base
        var cells = [Cell](unsafeUninitializedCapacity: rowCells) { buffer, count in
            for k in 0..<rowCells { (buffer.baseAddress! + k).initialize(to: scratch[k].take()!) }
            count = rowCells
        }
        rowCells = 0
        if !sorted {
            // Stable sort, then keep the last of duplicate columns.
            let indexed = cells.enumerated().sorted { ($0.element.column, $0.offset) < ($1.element.column, $1.offset) }
            var out: [Cell] = []
            for (_, c) in indexed {
                if let last = out.last, last.column == c.column { out[out.count - 1] = c } else { out.append(c) }
            }
            cells = out
        }
        ready.append(GridRow(index: rowIndex, cells: cells, hidden: rowHidden))
        rowCount += 1
        nextRowIndex = rowIndex + 1
        lastColumn = -1
    }

    private mutating func startCell(_ a: XMLAttributes) throws {
        let (rAttribute, tAttribute, sAttribute) = a.raw("r", "t", "s")
        if let r = rAttribute, r.count > 0 {
            guard let ref = Self.parseReference(r) else {
                throw CellProblem.badReference(String(decoding: r, as: UTF8.self))
            }
            column = ref.column
            if let row = ref.row, !rowHasIndex, rowCells == 0 {
                rowIndex = row
                rowHasIndex = true
            }
        } else {
            column = nextColumn
            guard column < 16_384 else {
                throw CellProblem.badReference(CellReference.a1(row: rowIndex, column: 16_383) + "+1")
            }
        }
        nextColumn = column + 1
        cellType = .number
        if let t = tAttribute, t.count > 0 {
            switch t[0] {
            case UInt8(ascii: "s"): cellType = t.count == 1 ? .shared : .formulaString
            case UInt8(ascii: "i"): cellType = .inline
            case UInt8(ascii: "b"): cellType = .bool
            case UInt8(ascii: "e"): cellType = .error
            case UInt8(ascii: "d"): cellType = .date
            default: cellType = .number
            }
        }
        styleIndex = sAttribute?.parseInt() ?? 0
        hasValue = false
        hasFormula = false
        hasInline = false
        valueCount = 0
        if !formulaBytes.isEmpty { formulaBytes.removeAll(keepingCapacity: true) }
        if !inlineBytes.isEmpty { inlineBytes.removeAll(keepingCapacity: true) }
        if !inlineRuns.isEmpty { inlineRuns.removeAll(keepingCapacity: true) }
    }

    private mutating func endCell() throws {
        collect = .none
        // The cell's format, read in place (fields, not a copy of the whole format per cell).
        let hasFormat = styleIndex < formats.count
        var value: CellValue
        sharedIndex = -1
        switch cellType {
        case .shared:
            guard hasValue, let idx = Self.trimmed(valueBytes).parseInt(), idx < shared.count else {
                if !hasValue || Self.trimmed(valueBytes).isEmpty { value = .empty; break }
                throw CellProblem.sharedStringIndex(index: String(decoding: valueBytes, as: UTF8.self),
                                                     count: shared.count, row: rowIndex, column: column)
            }
            value = .text(shared[idx])
            sharedIndex = idx
        case .inline:
            value = hasInline ? .text(XEscapes.decode(inlineBytes)) : (hasValue ? .text(XEscapes.decode(Array(valueBytes))) : .empty)
        case .formulaString:
            value = hasValue ? .text(XEscapes.decode(Array(valueBytes))) : .empty
        case .bool:
            let t = Self.trimmed(valueBytes)
            value = hasValue && !t.isEmpty ? .bool(t.equals("1") || t.equals("true") || t.equals("TRUE")) : .empty
        case .error:
            value = hasValue ? .error(String(decoding: Self.trimmed(valueBytes), as: UTF8.self)) : .empty
        case .date:
            value = hasValue ? .date(String(decoding: Self.trimmed(valueBytes), as: UTF8.self)) : .empty
        case .number:
            if hasInline {
                value = .text(XEscapes.decode(inlineBytes))
            } else {
                let t = Self.trimmed(valueBytes)
                if !hasValue || t.isEmpty {
                    value = .empty
                } else {
                    let text = String(decoding: t, as: UTF8.self)
                    if hasFormat, formats[styleIndex].temporal != .none,
                       let iso = SerialDates.iso(text, kind: formats[styleIndex].temporal, date1904: date1904) {
                        value = .date(iso)
                    } else {
                        value = .number(text)
                    }
                }
            }
        }
        // Text typed in a legacy Vietnamese font (a field of the format already looked up: nothing
        // more for any other cell).
        if hasInline && inlineRuns.contains(where: { $0.font != nil }) {
            // Runs that name their fonts: each converted by its own (the others by the cell's).
            value = .text(SharedStringsHandler.text(of: inlineRichRuns(), cellFont: hasFormat ? formats[styleIndex].legacyFont : nil,
                                                             converted: &converted))
        } else if hasFormat, let font = formats[styleIndex].legacyFont, case .text(let text) = value {
            value = .text(legacyText(text, font: font))
        }
        let formula = hasFormula && !formulaBytes.isEmpty ? String(decoding: formulaBytes, as: UTF8.self) : nil
        if case .empty = value, formula == nil { return }
        cellCount += 1
        if cellCount > maxCells { throw LimitExceeded.cells(maxCells) }
        if lastColumn >= column { sorted = false }
        lastColumn = column
        if rowCells == cellScratch.capacity {
            let bigger = Scratch<Cell?>(capacity: rowCells * 2, initial: nil)
            for k in 0..<rowCells { bigger.base[k] = cellScratch.base[k].take() }
            cellScratch = bigger
        }
        cellScratch.base[rowCells] = Cell(column: column, value: value, style: hasFormat ? formats[styleIndex].style : CellStyle(),
                                          formula: formula)
        rowCells += 1
    }

    /// The text of a cell whose font is a legacy font, in Unicode. A shared string whose runs
    /// name their own fonts was converted run by run already; only its runs without a font take
    /// the cell's.
    private mutating func legacyText(_ text: String, font: LegacyFont) -> String {
        if sharedIndex >= 0, let runs = sharedRuns[sharedIndex] {
            return runs.isEmpty ? text : SharedStringsHandler.text(of: runs, cellFont: font, converted: &converted)
        }
        converted.insert(font.encoding)
        return font.convert(text)
    }

    private func inlineRichRuns() -> [SharedStringsHandler.Run] {
        var runs: [SharedStringsHandler.Run] = []
        var bounds = inlineRuns
        if let first = bounds.first, first.start > 0 { bounds.insert((0, nil), at: 0) }
        for (k, run) in bounds.enumerated() {
            let end = k + 1 < bounds.count ? bounds[k + 1].start : inlineBytes.count
            guard run.start < end, end <= inlineBytes.count else { continue }
            runs.append(SharedStringsHandler.Run(text: XEscapes.decode(Array(inlineBytes[run.start..<end])), font: run.font))
        }
        return runs
    }

    private static func trimmed(_ bytes: XMLBytes) -> XMLBytes {
        var s = 0, e = bytes.count
        while s < e && (bytes[s] == 0x20 || bytes[s] == 0x0A || bytes[s] == 0x09) { s += 1 }
        while e > s && (bytes[e - 1] == 0x20 || bytes[e - 1] == 0x0A || bytes[e - 1] == 0x09) { e -= 1 }
        return XMLBytes(rebasing: bytes[s..<e])
    }

    /// `B7`, `$B$7`, or a column alone (`B`); nil when malformed or beyond XFD1048576.
    static func parseReference(_ r: XMLBytes) -> (row: Int?, column: Int)? {
        var col = 0, row = 0, letters = 0, digits = 0
        for u in r {
            if u == UInt8(ascii: "$") { continue }
            let upper = u & 0xDF
            if upper >= 65 && upper <= 90 && u >= 65 {
                if digits > 0 { return nil }
                letters += 1
                col = col * 26 + Int(upper - 64)
                if col > 16_384 { return nil }
            } else if u >= 48 && u <= 57 {
                digits += 1
                row = row * 10 + Int(u - 48)
                if row > 1_048_576 { return nil }
            } else {
                return nil
            }
        }
        guard letters > 0 else { return nil }
        if digits == 0 { return (nil, col - 1) }
        guard row >= 1 else { return nil }
        return (row - 1, col - 1)
    }

    static func parseRange(_ ref: String) -> CellRange? {
        let parts = ref.split(separator: ":")
        guard parts.count == 1 || parts.count == 2,
              let a = CellReference.parse(parts[0]), let b = CellReference.parse(parts.last!) else { return nil }
        return CellRange(firstRow: min(a.row, b.row), firstColumn: min(a.column, b.column),
                         lastRow: max(a.row, b.row), lastColumn: max(a.column, b.column))
    }
}

/// Memory of a handler's own, every element initialised (to `initial` at first), freed with it: the
/// handler reaches it through constants, so no access pays an exclusivity check or a uniqueness test.
final class Scratch<T> {
    let base: UnsafeMutablePointer<T>
    let capacity: Int

    init(capacity: Int, initial: T) {
        self.capacity = max(capacity, 1)
        base = .allocate(capacity: self.capacity)
        base.initialize(repeating: initial, count: self.capacity)
    }

    deinit {
        base.deinitialize(count: capacity)
        base.deallocate()
    }

    /// A larger scratch (twice, or at least `toAtLeast`) with this one's first `count` elements copied.
    func grown(keeping count: Int, toAtLeast wanted: Int, initial: T) -> Scratch<T> {
        let bigger = Scratch(capacity: max(capacity * 2, wanted), initial: initial)
        bigger.base.update(from: base, count: count)
        return bigger
    }
}
