import SheetGrid
import VietnameseText

/// The records of an Excel 97–2003 workbook (BIFF5/BIFF8), read by Swift code alone: the
/// compound file (OLE2) walked with every index and length bounds-checked and every sector chain
/// bounded; each record bounds-checked; strings split over CONTINUE records followed flag byte by
/// flag byte. No C code sees the file's bytes. Anything broken throws a `BIFFProblem`; the work
/// is linear in the file's size (every loop consumes bytes), so no file can hang the reader.
enum BIFFProblem: Error, Equatable {
    case notACompoundFile
    case brokenCompoundFile(String)
    case noWorkbookStream
    case brokenRecords(String)
    case encrypted
    /// Excel 2.x–4.0 (BIFF2–4): a format of the early 1990s, not read.
    case tooOld(Int)
    case tooManyCells(Int)
    case tooManyStrings(declared: Int, limit: Int)
}

/// One sheet listed by a BOUNDSHEET record.
struct BIFFSheet: Sendable {
    var name: String
    /// 0 visible, 1 hidden, 2 very hidden.
    var visibility: UInt8
    /// 0 worksheet, 1 macro sheet, 2 chart, 6 Visual Basic module.
    var type: UInt8
    /// Where its BOF record starts in the workbook stream.
    var offset: Int
}

/// A cell value as the records hold it.
enum BIFFValue: Sendable, Equatable {
    case number(Double)
    /// An RK integer divided by 100: the exact decimal (`hundredths` / 100), no binary noise.
    case hundredths(Int)
    case text(BIFFText)
    case bool(Bool)
    case error(String)
}

/// Text as stored: UTF-16 (BIFF8), or bytes in the workbook's code page (BIFF5), with the
/// rich-text runs that change its font (`(first character, font index)`).
struct BIFFText: Sendable, Equatable {
    var units: [UInt16] = []
    var bytes: [UInt8]? = nil
    var runs: [BIFFRun] = []
}

struct BIFFRun: Sendable, Equatable {
    var firstCharacter: Int
    var font: Int
}

struct BIFFFont: Sendable {
    var bold: Bool
    var italic: Bool
    var name: String
}

/// One cell of a sheet, before its format is applied.
struct BIFFCell: Sendable {
    var row: Int
    var column: Int
    var xf: Int
    var value: BIFFValue
    var isFormula = false
}

/// A worksheet's records.
struct BIFFSheetData: Sendable {
    var cells: [BIFFCell] = []
    /// (first row, last row, first column, last column), as MERGEDCELLS stores them.
    var merges: [(Int, Int, Int, Int)] = []
    var hiddenRows: Set<Int> = []
    /// DIMENSION: rows × columns the sheet declares.
    var declaredRows = 0
    var declaredColumns = 0
}

/// The workbook globals.
struct BIFFWorkbook: Sendable {
    var biffVersion = 8
    var date1904 = false
    /// CODEPAGE: the code page of BIFF5 byte strings (1252 when absent).
    var codepage = 1252
    var sheets: [BIFFSheet] = []
    var formats: [Int: String] = [:]
    /// XF index → (font index, format index).
    var xfs: [(font: Int, format: Int)] = []
    var fonts: [BIFFFont] = []
    var sharedStrings: [BIFFText] = []

    func font(_ index: Int) -> BIFFFont? {
        // Font index 4 does not exist in BIFF: indices above it are shifted by one.
        let i = index >= 4 ? index - 1 : index
        return fonts.indices.contains(i) ? fonts[i] : nil
    }
}

/// Reads bytes of one record and its CONTINUE records as one sequence, knowing where each
/// record's data starts (a string's characters resume after a new flags byte there).
struct RecordReader {
    let stream: [UInt8]
    let segments: [Range<Int>]
    private(set) var segment = 0
    private(set) var position: Int

    init(_ stream: [UInt8], _ segments: [Range<Int>]) {
        self.stream = stream
        self.segments = segments
        position = segments.first?.lowerBound ?? 0
    }

    static let runOut = BIFFProblem.brokenRecords("a record ends before the data it declares")

    var atSegmentEnd: Bool { position >= segments[segment].upperBound }

    private mutating func nextSegment() throws(BIFFProblem) {
        segment += 1
        guard segment < segments.count else { throw Self.runOut }
        position = segments[segment].lowerBound
    }

    mutating func byte() throws(BIFFProblem) -> UInt8 {
        while position >= segments[segment].upperBound { try nextSegment() }
        defer { position += 1 }
        return stream[position]
    }

    mutating func u16() throws(BIFFProblem) -> Int {
        let lo = Int(try byte())
        let hi = Int(try byte())
        return lo | hi << 8
    }
    mutating func u32() throws(BIFFProblem) -> Int {
        let lo = try u16()
        let hi = try u16()
        return lo | hi << 16
    }

    mutating func skip(_ n: Int) throws(BIFFProblem) {
        var left = n
        while left > 0 {
            if position >= segments[segment].upperBound { try nextSegment(); continue }
            let take = min(left, segments[segment].upperBound - position)
            position += take
            left -= take
        }
    }

    /// A BIFF8 Unicode string (XLUnicodeRichExtendedString): `count` characters after the flags
    /// byte; at a CONTINUE boundary the characters go on after a new flags byte.
    mutating func unicodeCharacters(count: Int, flags: UInt8, maxUnits: Int) throws(BIFFProblem) -> [UInt16] {
        guard count <= maxUnits else { throw .brokenRecords("a string of \(count) characters is longer than allowed") }
        var units: [UInt16] = []
        units.reserveCapacity(count)
        var wide = flags & 0x01 != 0
        var left = count
        while left > 0 {
            if position >= segments[segment].upperBound {
                try nextSegment()
                guard position < segments[segment].upperBound else { throw Self.runOut }
                wide = stream[position] & 0x01 != 0
                position += 1
                continue
            }
            let width = wide ? 2 : 1
            let fit = (segments[segment].upperBound - position) / width
            guard fit > 0 else { throw Self.runOut }
            let take = min(left, fit)
            if wide {
                for k in 0..<take {
                    let i = position + 2 * k
                    units.append(UInt16(stream[i]) | UInt16(stream[i + 1]) << 8)
                }
            } else {
                for k in 0..<take { units.append(UInt16(stream[position + k])) }
            }
            position += take * width
            left -= take
        }
        return units
    }

    /// A BIFF8 string with a 16-bit length, its rich-text runs and phonetic data.
    mutating func richString(maxUnits: Int) throws(BIFFProblem) -> BIFFText {
        let count = try u16()
        let flags = try byte()
        var runCount = 0, extLength = 0
        if flags & 0x08 != 0 { runCount = try u16() }
        if flags & 0x04 != 0 { extLength = try u32() }
        var text = BIFFText(units: try unicodeCharacters(count: count, flags: flags, maxUnits: maxUnits))
        if runCount > 0 {
            text.runs.reserveCapacity(min(runCount, 4096))
            for _ in 0..<runCount {
                let first = try u16(), font = try u16()
                if text.runs.count < 4096 { text.runs.append(BIFFRun(firstCharacter: first, font: font)) }
            }
        }
        try skip(extLength)
        return text
    }
}

enum BIFFScan {
    /// The workbook globals of a compound file's Workbook stream, and the stream itself.
    static func read(_ bytes: [UInt8], maxCells: Int) throws(BIFFProblem) -> (BIFFWorkbook, [UInt8]) {
        let stream = try CompoundFile.workbookStream(bytes)
        return (try globals(stream, maxCells: maxCells), stream)
    }

    static func u16(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
    static func u32(_ b: [UInt8], _ i: Int) -> Int { u16(b, i) | u16(b, i + 2) << 16 }

    /// The record at `pos`: its type and data range, checked to lie in the stream.
    static func record(_ s: [UInt8], at pos: Int) throws(BIFFProblem) -> (type: Int, data: Range<Int>) {
        let type = u16(s, pos), len = u16(s, pos + 2)
        let start = pos + 4, end = start + len
        guard end <= s.count else { throw .brokenRecords("record 0x\(String(type, radix: 16)) runs past the stream") }
        return (type, start..<end)
    }

    /// The data of the record at `data` and of the CONTINUE records after it; `next` is where
    /// the record after them starts.
    static func continued(_ s: [UInt8], _ data: Range<Int>) throws(BIFFProblem) -> (segments: [Range<Int>], next: Int) {
        var segments = [data]
        var q = data.upperBound
        while q + 4 <= s.count, u16(s, q) == 0x003C {
            let r = try record(s, at: q)
            segments.append(r.data)
            q = r.data.upperBound
        }
        return (segments, q)
    }

    static func globals(_ s: [UInt8], maxCells: Int) throws(BIFFProblem) -> BIFFWorkbook {
        var wb = BIFFWorkbook()
        guard s.count >= 8 else { throw .brokenRecords("the workbook stream is empty") }
        let firstType = u16(s, 0)
        switch firstType {
        case 0x0809:
            let version = s.count >= 6 ? u16(s, 4) : 0
            switch version {
            case 0x0600: wb.biffVersion = 8
            case 0x0500: wb.biffVersion = 5
            default: throw .brokenRecords("unknown BIFF version 0x\(String(version, radix: 16))")
            }
        case 0x0009: throw .tooOld(2)
        case 0x0209: throw .tooOld(3)
        case 0x0409: throw .tooOld(4)
        default: throw .brokenRecords("the workbook stream does not start with BOF")
        }
        var pos = 0
        while pos + 4 <= s.count {
            let (type, data) = try record(s, at: pos)
            pos = data.upperBound
            let start = data.lowerBound, end = data.upperBound, len = data.count
            switch type {
            case 0x000A: return wb
            case 0x002F: throw .encrypted
            case 0x0042 where len >= 2:
                wb.codepage = u16(s, start)
            case 0x0022 where len >= 2:
                wb.date1904 = u16(s, start) == 1
            case 0x00FC where wb.biffVersion == 8:
                let (segments, next) = try continued(s, data)
                wb.sharedStrings = try sharedStrings(s, segments, maxStrings: maxCells)
                pos = next
            case 0x0085 where len >= 7:
                let name = wb.biffVersion == 8 ? shortUnicode(s, start + 6, end) : byteString(s, start + 6, end, codepage: wb.codepage)
                if wb.sheets.count < 65_536 {
                    wb.sheets.append(BIFFSheet(name: name, visibility: s[start + 4] & 0x03, type: s[start + 5], offset: u32(s, start)))
                }
            case 0x041E where len >= 3:
                let id = u16(s, start)
                wb.formats[id] = wb.biffVersion == 8 ? longUnicode(s, start + 2, end) : byteString(s, start + 2, end, codepage: wb.codepage)
            case 0x00E0 where len >= 4:
                if wb.xfs.count < 65_536 { wb.xfs.append((u16(s, start), u16(s, start + 2))) }
            case 0x0031 where len >= 15:
                let name = wb.biffVersion == 8 ? shortUnicode(s, start + 14, end) : byteString(s, start + 14, end, codepage: wb.codepage)
                if wb.fonts.count < 65_536 {
                    wb.fonts.append(BIFFFont(bold: u16(s, start + 6) >= 700, italic: s[start + 2] & 0x02 != 0, name: name))
                }
            default: break
            }
        }
        throw .brokenRecords("the workbook globals have no end (EOF) record")
    }

    /// Every string of an SST record (split over CONTINUE records, each continuation of
    /// characters starting with a new flags byte); throws if the data runs out first.
    static func sharedStrings(_ s: [UInt8], _ segments: [Range<Int>], maxStrings: Int) throws(BIFFProblem) -> [BIFFText] {
        guard let first = segments.first, first.count >= 8 else { throw .brokenRecords("shared-string table too short") }
        var reader = RecordReader(s, segments)
        _ = try reader.u32()
        let unique = try reader.u32()
        guard unique <= maxStrings else { throw .tooManyStrings(declared: unique, limit: maxStrings) }
        var out: [BIFFText] = []
        // Each string takes at least 3 bytes: no more are reserved than the records can hold.
        out.reserveCapacity(min(unique, segments.reduce(0) { $0 + $1.count } / 3))
        do {
            for _ in 0..<unique { out.append(try reader.richString(maxUnits: 65_535)) }
        } catch {
            throw .brokenRecords("shared-string table ends before its strings do")
        }
        return out
    }

    // MARK: Sheets

    /// Where each sheet's records may run to: the next sheet's BOF (by offset), else the end of
    /// the stream. Reading every sheet then reads each byte once at most, however a crafted file
    /// places its sheets; two sheets at one offset are refused.
    static func sheetEnds(_ sheets: [BIFFSheet], streamLength: Int) throws(BIFFProblem) -> [Int] {
        let offsets = sheets.map(\.offset).sorted()
        for (a, b) in zip(offsets, offsets.dropFirst()) where a == b {
            throw .brokenRecords("two sheets start at the same place (\(a))")
        }
        return sheets.map { sheet in
            // The first offset above this one (binary search in the sorted list).
            var lo = 0, hi = offsets.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if offsets[mid] <= sheet.offset { lo = mid + 1 } else { hi = mid }
            }
            return lo < offsets.count ? min(offsets[lo], streamLength) : streamLength
        }
    }

    /// The cells, merged areas and hidden rows of the worksheet whose BOF is at `sheet.offset`,
    /// its records ending before `end`.
    static func sheet(_ s: [UInt8], _ sheet: BIFFSheet, end limit: Int, workbook wb: BIFFWorkbook,
                      maxCells: Int) throws(BIFFProblem) -> BIFFSheetData {
        var out = BIFFSheetData()
        var pos = sheet.offset
        let limit = min(limit, s.count)
        guard pos >= 0, pos + 4 <= limit, u16(s, pos) == 0x0809 else {
            throw .brokenRecords("sheet '\(sheet.name)' does not start with BOF")
        }
        let v8 = wb.biffVersion == 8
        var depth = 0
        /// A FORMULA whose text result is in the STRING record after it.
        var pendingString: (row: Int, column: Int, xf: Int)?
        func add(_ cell: BIFFCell) throws(BIFFProblem) {
            guard out.cells.count < maxCells else { throw .tooManyCells(maxCells) }
            out.cells.append(cell)
        }
        while pos + 4 <= limit {
            let (type, data) = try record(s, at: pos)
            pos = data.upperBound
            let start = data.lowerBound, end = data.upperBound, len = data.count
            switch type {
            case 0x0809, 0x0409, 0x0209, 0x0009: depth += 1; continue
            case 0x000A:
                depth -= 1
                if depth <= 0 { return out }
                continue
            default: break
            }
            guard depth == 1 else { continue } // a chart embedded in the sheet
            if type != 0x0207 && type != 0x003C && type != 0x04BC && type != 0x0221 && type != 0x0236 {
                pendingString = nil
            }
            switch type {
            case 0x00FD where len >= 10: // LABELSST
                let index = u32(s, start + 6)
                guard index < wb.sharedStrings.count else {
                    throw .brokenRecords("cell \(CellReference.a1(row: u16(s, start), column: u16(s, start + 2))) refers to shared string \(index) of \(wb.sharedStrings.count)")
                }
                try add(BIFFCell(row: u16(s, start), column: u16(s, start + 2), xf: u16(s, start + 4),
                                 value: .text(wb.sharedStrings[index])))
            case 0x0204 where len >= 8, 0x00D6 where len >= 8: // LABEL, RSTRING
                let text: BIFFText
                if v8 {
                    var reader = RecordReader(s, [(start + 6)..<end])
                    let count = try reader.u16()
                    let flags = try reader.byte()
                    text = BIFFText(units: try reader.unicodeCharacters(count: count, flags: flags, maxUnits: 65_535))
                } else {
                    let count = u16(s, start + 6)
                    guard start + 8 + count <= end else { throw RecordReader.runOut }
                    text = BIFFText(bytes: Array(s[(start + 8)..<(start + 8 + count)]))
                }
                try add(BIFFCell(row: u16(s, start), column: u16(s, start + 2), xf: u16(s, start + 4), value: .text(text)))
            case 0x0203 where len >= 14: // NUMBER
                try add(BIFFCell(row: u16(s, start), column: u16(s, start + 2), xf: u16(s, start + 4),
                                 value: .number(double(s, start + 6))))
            case 0x027E where len >= 10: // RK
                try add(BIFFCell(row: u16(s, start), column: u16(s, start + 2), xf: u16(s, start + 4),
                                 value: rk(UInt32(truncatingIfNeeded: u32(s, start + 6)))))
            case 0x00BD where len >= 6: // MULRK: (xf, rk) × n from the first column
                let row = u16(s, start)
                var col = u16(s, start + 2)
                var p = start + 4
                while p + 6 <= end - 2 {
                    try add(BIFFCell(row: row, column: col, xf: u16(s, p), value: rk(UInt32(truncatingIfNeeded: u32(s, p + 2)))))
                    p += 6
                    col += 1
                }
            case 0x0205 where len >= 8: // BOOLERR
                let value: BIFFValue = s[start + 7] != 0 ? .error(errorText(s[start + 6])) : .bool(s[start + 6] != 0)
                try add(BIFFCell(row: u16(s, start), column: u16(s, start + 2), xf: u16(s, start + 4), value: value))
            case 0x0006 where len >= 20: // FORMULA: its cached result
                let row = u16(s, start), col = u16(s, start + 2), xf = u16(s, start + 4)
                if s[start + 12] == 0xFF && s[start + 13] == 0xFF {
                    switch s[start + 6] {
                    case 0: pendingString = (row, col, xf)
                    case 1: try add(BIFFCell(row: row, column: col, xf: xf, value: .bool(s[start + 8] != 0), isFormula: true))
                    case 2: try add(BIFFCell(row: row, column: col, xf: xf, value: .error(errorText(s[start + 8])), isFormula: true))
                    default: break // 3: an empty text
                    }
                } else {
                    try add(BIFFCell(row: row, column: col, xf: xf, value: .number(double(s, start + 6)), isFormula: true))
                }
            case 0x0207: // STRING: the text result of the FORMULA before it
                let (segments, next) = try continued(s, data)
                pos = next
                guard let cell = pendingString else { continue }
                pendingString = nil
                let text: BIFFText
                if v8 {
                    var reader = RecordReader(s, segments)
                    let count = try reader.u16()
                    let flags = try reader.byte()
                    text = BIFFText(units: try reader.unicodeCharacters(count: count, flags: flags, maxUnits: 65_535))
                } else {
                    guard len >= 2, start + 2 + u16(s, start) <= end else { throw RecordReader.runOut }
                    text = BIFFText(bytes: Array(s[(start + 2)..<(start + 2 + u16(s, start))]))
                }
                if !(text.units.isEmpty && (text.bytes?.isEmpty ?? true)) {
                    try add(BIFFCell(row: cell.row, column: cell.column, xf: cell.xf, value: .text(text), isFormula: true))
                }
            case 0x0200: // DIMENSION
                if v8, len >= 12 {
                    out.declaredRows = u32(s, start + 4)
                    out.declaredColumns = u16(s, start + 10)
                } else if len >= 8 {
                    out.declaredRows = u16(s, start + 2)
                    out.declaredColumns = u16(s, start + 6)
                }
            case 0x0208 where len >= 16: // ROW
                if u16(s, start + 12) & 0x20 != 0, out.hiddenRows.count < 65_536 { out.hiddenRows.insert(u16(s, start)) }
            case 0x00E5 where len >= 2: // MERGEDCELLS
                let n = u16(s, start)
                var p = start + 2
                for _ in 0..<n where p + 8 <= end {
                    out.merges.append((u16(s, p), u16(s, p + 2), u16(s, p + 4), u16(s, p + 6)))
                    p += 8
                }
            default: break
            }
        }
        throw .brokenRecords("sheet '\(sheet.name)' has no end (EOF) record")
    }

    static func double(_ s: [UInt8], _ at: Int) -> Double {
        var bits: UInt64 = 0
        for k in 0..<8 { bits |= UInt64(s[at + k]) << (8 * UInt64(k)) }
        return Double(bitPattern: bits)
    }

    /// An RK number: a 30-bit integer or the top 30 bits of a double, optionally divided by 100.
    static func rk(_ raw: UInt32) -> BIFFValue {
        let byHundred = raw & 0x01 != 0
        if raw & 0x02 != 0 {
            let i = Int(Int32(bitPattern: raw) >> 2)
            return byHundred ? .hundredths(i) : .number(Double(i))
        }
        let d = Double(bitPattern: UInt64(raw & 0xFFFF_FFFC) << 32)
        return .number(byHundred ? d / 100 : d)
    }

    static func errorText(_ code: UInt8) -> String {
        switch code {
        case 0x00: return "#NULL!"
        case 0x07: return "#DIV/0!"
        case 0x0F: return "#VALUE!"
        case 0x17: return "#REF!"
        case 0x1D: return "#NAME?"
        case 0x24: return "#NUM!"
        case 0x2A: return "#N/A"
        default: return "#VALUE!"
        }
    }

    // MARK: Strings of the globals (one record each)

    /// BIFF8 string with an 8-bit length (sheet and font names).
    static func shortUnicode(_ s: [UInt8], _ at: Int, _ end: Int) -> String {
        guard at + 2 <= end else { return "" }
        return chars(s, count: Int(s[at]), flags: s[at + 1], from: at + 2, end: end)
    }

    /// BIFF8 string with a 16-bit length (formats).
    static func longUnicode(_ s: [UInt8], _ at: Int, _ end: Int) -> String {
        guard at + 3 <= end else { return "" }
        let flags = s[at + 2]
        var p = at + 3
        if flags & 0x08 != 0 { p += 2 } // rich-text run count
        if flags & 0x04 != 0 { p += 4 } // far-east data size
        return chars(s, count: u16(s, at), flags: flags, from: p, end: end)
    }

    private static func chars(_ s: [UInt8], count: Int, flags: UInt8, from p: Int, end: Int) -> String {
        if flags & 0x01 != 0 {
            var units: [UInt16] = []
            var i = p
            while units.count < count && i + 1 < end { units.append(UInt16(s[i]) | UInt16(s[i + 1]) << 8); i += 2 }
            return String(decoding: units, as: UTF16.self)
        }
        let stop = min(end, p + count)
        guard p < stop else { return "" }
        // Compressed: the low bytes of UTF-16 (Latin-1).
        return String(decoding: s[p..<stop].map { UInt16($0) }, as: UTF16.self)
    }

    /// BIFF5 string with an 8-bit length, in the workbook's code page.
    private static func byteString(_ s: [UInt8], _ at: Int, _ end: Int, codepage: Int) -> String {
        guard at < end else { return "" }
        let stop = min(end, at + 1 + Int(s[at]))
        return CodePage.decode(s[(at + 1)..<max(at + 1, stop)], codepage: codepage)
    }
}

/// The OLE2 compound file container: just enough to find the `Workbook` (or `Book`) stream.
enum CompoundFile {
    private static func u16(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
    private static func u32(_ b: [UInt8], _ i: Int) -> Int { u16(b, i) | u16(b, i + 2) << 16 }
    private static let endOfChain = 0xFFFF_FFFE
    private static let freeSector = 0xFFFF_FFFF

    static func workbookStream(_ b: [UInt8]) throws(BIFFProblem) -> [UInt8] {
        guard b.count >= 512, b[0..<8].elementsEqual([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) else {
            throw .notACompoundFile
        }
        let shift = u16(b, 0x1E), miniShift = u16(b, 0x20)
        guard shift == 9 || shift == 12, miniShift == 6 else { throw .brokenCompoundFile("sector size") }
        let size = 1 << shift
        let sectorCount = (b.count - size) / size + 1
        func sector(_ n: Int) throws(BIFFProblem) -> ArraySlice<UInt8> {
            let off = (n + 1) * size
            guard n >= 0, n < sectorCount, off + size <= b.count + size, off < b.count else {
                throw .brokenCompoundFile("sector \(n) lies beyond the end of the file")
            }
            return b[off..<min(off + size, b.count)]
        }
        // FAT sectors: 109 in the header, the rest in the DIFAT chain.
        let fatCount = u32(b, 0x2C)
        guard fatCount <= sectorCount else { throw .brokenCompoundFile("FAT sector count") }
        var fatSectors: [Int] = []
        for i in 0..<min(fatCount, 109) { fatSectors.append(u32(b, 0x4C + 4 * i)) }
        var difat = u32(b, 0x44)
        var guardCount = 0
        while fatSectors.count < fatCount && difat != endOfChain && difat != freeSector {
            guardCount += 1
            if guardCount > sectorCount { throw .brokenCompoundFile("DIFAT loop") }
            let sec = Array(try sector(difat))
            let per = size / 4 - 1
            for i in 0..<per where fatSectors.count < fatCount && 4 * i + 3 < sec.count { fatSectors.append(u32(sec, 4 * i)) }
            difat = sec.count >= size ? u32(sec, size - 4) : endOfChain
        }
        var fat: [Int] = []
        fat.reserveCapacity(fatSectors.count * size / 4)
        for f in fatSectors {
            let sec = Array(try sector(f))
            var i = 0
            while i + 3 < sec.count { fat.append(u32(sec, i)); i += 4 }
        }
        /// The sectors of a chain; a loop or a chain longer than `limit` is broken. With `enough`,
        /// stops once that many sectors are found (a stream needs no more than its size).
        func chain(_ start: Int, table: [Int], limit: Int, enough: Int = .max) throws(BIFFProblem) -> [Int] {
            var out: [Int] = []
            var n = start
            while n != endOfChain && out.count < enough {
                guard n >= 0, n < table.count, out.count <= limit else { throw .brokenCompoundFile("broken sector chain") }
                out.append(n)
                n = table[n]
            }
            return out
        }
        var directory: [UInt8] = []
        for n in try chain(u32(b, 0x30), table: fat, limit: sectorCount) { directory.append(contentsOf: try sector(n)) }
        var root: (start: Int, size: Int)?
        var workbook: (start: Int, size: Int)?
        var p = 0
        while p + 128 <= directory.count {
            let nameBytes = u16(directory, p + 64)
            let type = directory[p + 66]
            var name = ""
            if nameBytes >= 2 && nameBytes <= 64 {
                var units: [UInt16] = []
                for i in stride(from: 0, to: nameBytes - 2, by: 2) { units.append(UInt16(directory[p + i]) | UInt16(directory[p + i + 1]) << 8) }
                name = String(decoding: units, as: UTF16.self)
            }
            let start = u32(directory, p + 0x74), length = u32(directory, p + 0x78)
            if type == 5 { root = (start, length) }
            if type == 2, workbook == nil, name.lowercased() == "workbook" || name.lowercased() == "book" {
                workbook = (start, length)
            }
            p += 128
        }
        guard let wb = workbook else { throw .noWorkbookStream }
        guard wb.size <= b.count else { throw .brokenCompoundFile("stream larger than the file") }
        var out: [UInt8] = []
        out.reserveCapacity(wb.size)
        if wb.size < u32(b, 0x38) {
            // A small stream lives in the mini stream (64-byte sectors inside the root's chain).
            guard let root else { throw .brokenCompoundFile("no root entry") }
            var miniFAT: [Int] = []
            for n in try chain(u32(b, 0x3C), table: fat, limit: sectorCount) {
                let sec = Array(try sector(n))
                var i = 0
                while i + 3 < sec.count { miniFAT.append(u32(sec, i)); i += 4 }
            }
            var mini: [UInt8] = []
            for n in try chain(root.start, table: fat, limit: sectorCount) { mini.append(contentsOf: try sector(n)) }
            for n in try chain(wb.start, table: miniFAT, limit: miniFAT.count, enough: (wb.size + 63) / 64) {
                let off = n * 64
                guard off + 64 <= mini.count else { throw .brokenCompoundFile("mini sector beyond the mini stream") }
                out.append(contentsOf: mini[off..<(off + 64)])
            }
        } else {
            for n in try chain(wb.start, table: fat, limit: sectorCount, enough: (wb.size + size - 1) / size) {
                out.append(contentsOf: try sector(n))
            }
        }
        guard out.count >= wb.size else { throw .brokenCompoundFile("workbook stream shorter than declared") }
        return Array(out.prefix(wb.size))
    }
}
