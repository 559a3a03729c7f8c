/// What FreeXL does not give, read from the BIFF records ourselves: sheet visibility, merged
/// areas, hidden rows, each cell's format (XF → number format, bold, italic), formula results and
/// boolean/error cells, and each sheet's declared size (checked before FreeXL allocates it).
///
/// The compound file (OLE2) is walked with every index and length bounds-checked and every
/// sector chain bounded; anything broken makes `BIFFScan.read` return a `BIFFProblem`.
enum BIFFProblem: Error, Equatable {
    case notACompoundFile
    case brokenCompoundFile(String)
    case noWorkbookStream
    case brokenRecords(String)
    case encrypted
}

/// One sheet listed by a BOUNDSHEET record.
struct BIFFSheet: Sendable {
    var name: String
    /// 0 visible, 1 hidden, 2 very hidden.
    var visibility: UInt8
    /// 0 worksheet, 2 chart, 6 Visual Basic module.
    var type: UInt8
    var offset: Int
    var rows = 0
    var columns = 0
    /// (first row, last row, first column, last column), as MERGEDCELLS stores them.
    var merges: [(Int, Int, Int, Int)] = []
    var hiddenRows: Set<Int> = []
    /// (row << 16 | column) → XF index.
    var xf: [Int: Int] = [:]
    /// Formula results and BOOLERR cells: (row << 16 | column) → value.
    var extra: [Int: BIFFValue] = [:]
    /// Cells with a formula.
    var formulas: Set<Int> = []
}

enum BIFFValue: Sendable, Equatable {
    case number(Double)
    case text(String)
    case bool(Bool)
    case error(String)
}

struct BIFFFont: Sendable { var bold: Bool; var italic: Bool }

struct BIFFWorkbook: Sendable {
    var biffVersion = 8
    var sheets: [BIFFSheet] = []
    var formats: [Int: String] = [:]
    /// XF index → (font index, format index).
    var xfs: [(Int, Int)] = []
    var fonts: [BIFFFont] = []

    func font(_ index: Int) -> BIFFFont? {
        // Font index 4 does not exist in BIFF: indices above it are shifted by one.
        let i = index >= 4 ? index - 1 : index
        return fonts.indices.contains(i) ? fonts[i] : nil
    }
}

enum BIFFScan {
    /// Reads the workbook stream of a compound file and the records FreeXL leaves out.
    static func read(_ bytes: [UInt8], maxCells: Int) throws(BIFFProblem) -> BIFFWorkbook {
        let stream = try CompoundFile.workbookStream(bytes)
        return try records(stream, maxCells: maxCells)
    }

    private static func u16(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
    private static func u32(_ b: [UInt8], _ i: Int) -> Int { u16(b, i) | u16(b, i + 2) << 16 }

    static func records(_ s: [UInt8], maxCells: Int) throws(BIFFProblem) -> BIFFWorkbook {
        var wb = BIFFWorkbook()
        // Workbook globals: from the first BOF to its EOF.
        var pos = 0
        var first = true
        globals: while pos + 4 <= s.count {
            let type = u16(s, pos), len = u16(s, pos + 2)
            let start = pos + 4, end = start + len
            guard end <= s.count else { throw .brokenRecords("record 0x\(String(type, radix: 16)) runs past the stream") }
            if first {
                guard type == 0x0809 || type == 0x0409 || type == 0x0209 || type == 0x0009 else {
                    throw .brokenRecords("the workbook stream does not start with BOF")
                }
                first = false
                if type == 0x0809, len >= 2 { wb.biffVersion = u16(s, start) == 0x0500 ? 5 : 8 }
            }
            switch type {
            case 0x000A: pos = end; break globals
            case 0x002F: throw .encrypted
            case 0x00FC where wb.biffVersion == 8:
                // The shared-string table and its CONTINUE records must hold every string they
                // declare: FreeXL 1.0.6 reads past its buffer on a table whose lengths lie.
                var segments: [Range<Int>] = [start..<end]
                var q = end
                while q + 4 <= s.count, u16(s, q) == 0x003C {
                    let l = u16(s, q + 2)
                    guard q + 4 + l <= s.count else { throw .brokenRecords("a CONTINUE record runs past the stream") }
                    segments.append((q + 4)..<(q + 4 + l))
                    q += 4 + l
                }
                try checkSharedStrings(s, segments, maxStrings: maxCells)
            case 0x0085 where len >= 8:
                let offset = u32(s, start)
                let name = wb.biffVersion == 8 ? shortUnicode(s, start + 6, end) : byteString(s, start + 6, end)
                wb.sheets.append(BIFFSheet(name: name, visibility: s[start + 4] & 0x03, type: s[start + 5], offset: offset))
            case 0x041E where len >= 3:
                let id = u16(s, start)
                wb.formats[id] = wb.biffVersion == 8 ? longUnicode(s, start + 2, end) : byteString(s, start + 2, end)
            case 0x00E0 where len >= 4:
                if wb.xfs.count < 65_536 { wb.xfs.append((u16(s, start), u16(s, start + 2))) }
            case 0x0031 where len >= 8:
                if wb.fonts.count < 65_536 {
                    wb.fonts.append(BIFFFont(bold: u16(s, start + 6) >= 700, italic: s[start + 2] & 0x02 != 0))
                }
            default: break
            }
            pos = end
        }
        for i in wb.sheets.indices where wb.sheets[i].type == 0 {
            try sheet(s, &wb.sheets[i], biffVersion: wb.biffVersion, maxCells: maxCells)
        }
        return wb
    }

    private static let cellRecords: Set<Int> = [0x0203, 0x027E, 0x00FD, 0x0204, 0x0201, 0x0205, 0x0006, 0x00D6]

    private static func sheet(_ s: [UInt8], _ sh: inout BIFFSheet, biffVersion: Int, maxCells: Int) throws(BIFFProblem) {
        var pos = sh.offset
        guard pos >= 0, pos + 4 <= s.count, u16(s, pos) & 0x00FF == 0x09 else {
            throw .brokenRecords("sheet '\(sh.name)' does not start with BOF")
        }
        var depth = 0
        var pendingString: Int?
        var count = 0
        while pos + 4 <= s.count {
            let type = u16(s, pos), len = u16(s, pos + 2)
            let start = pos + 4, end = start + len
            guard end <= s.count else { throw .brokenRecords("record 0x\(String(type, radix: 16)) of sheet '\(sh.name)' runs past the stream") }
            pos = end
            switch type {
            case 0x0809, 0x0409, 0x0209, 0x0009: depth += 1; continue
            case 0x000A:
                depth -= 1
                if depth <= 0 { return }
                continue
            default: break
            }
            guard depth == 1 else { continue } // charts embedded in the sheet
            if cellRecords.contains(type), len >= 6 {
                let key = u16(s, start) << 16 | u16(s, start + 2)
                sh.xf[key] = u16(s, start + 4)
                count += 1
                if type == 0x0006, len >= 14 {
                    sh.formulas.insert(key)
                    if s[start + 12] == 0xFF && s[start + 13] == 0xFF {
                        switch s[start + 6] {
                        case 0: pendingString = key
                        case 1: sh.extra[key] = .bool(s[start + 8] != 0)
                        case 2: sh.extra[key] = .error(errorText(s[start + 8]))
                        default: break
                        }
                    } else {
                        var bits: UInt64 = 0
                        for k in 0..<8 { bits |= UInt64(s[start + 6 + k]) << (8 * UInt64(k)) }
                        sh.extra[key] = .number(Double(bitPattern: bits))
                    }
                } else if type == 0x0205, len >= 8 {
                    sh.extra[key] = s[start + 7] != 0 ? .error(errorText(s[start + 6])) : .bool(s[start + 6] != 0)
                }
            } else if type == 0x0207, let key = pendingString {
                sh.extra[key] = .text(biffVersion == 8 ? longUnicode(s, start, end) : byteString16(s, start, end))
                pendingString = nil
            } else if type == 0x00BD || type == 0x00BE, len >= 6 {
                // MULRK (xf, rk) × n / MULBLANK xf × n, from the first column.
                let row = u16(s, start), firstCol = u16(s, start + 2)
                let step = type == 0x00BD ? 6 : 2
                var p = start + 4, col = firstCol
                while p + step <= end - 2 {
                    sh.xf[row << 16 | col] = u16(s, p)
                    p += step
                    col += 1
                    count += 1
                }
            } else if type == 0x0200 {
                if biffVersion == 8, len >= 12 {
                    sh.rows = u32(s, start + 4)
                    sh.columns = u16(s, start + 10)
                } else if len >= 8 {
                    sh.rows = u16(s, start + 2)
                    sh.columns = u16(s, start + 6)
                }
            } else if type == 0x0208, len >= 16 {
                if u16(s, start + 12) & 0x20 != 0 { sh.hiddenRows.insert(u16(s, start)) }
            } else if type == 0x00E5, len >= 2 {
                let n = u16(s, start)
                var p = start + 2
                for _ in 0..<n where p + 8 <= end {
                    sh.merges.append((u16(s, p), u16(s, p + 2), u16(s, p + 4), u16(s, p + 6)))
                    p += 8
                }
            }
            if count > maxCells { throw .brokenRecords("sheet '\(sh.name)' has more than \(maxCells) cells") }
        }
        throw .brokenRecords("sheet '\(sh.name)' has no end (EOF) record")
    }

    /// Walks every string of an SST record (split over CONTINUE records, each continuation of
    /// characters starting with a new flags byte) and throws if the data runs out first.
    static func checkSharedStrings(_ s: [UInt8], _ segments: [Range<Int>], maxStrings: Int) throws(BIFFProblem) {
        guard let first = segments.first, first.count >= 8 else { throw .brokenRecords("shared-string table too short") }
        let unique = u32(s, first.lowerBound + 4)
        guard unique <= maxStrings else { throw .brokenRecords("shared-string table declares \(unique) strings") }
        var seg = 0
        var pos = first.lowerBound + 8
        let broken = BIFFProblem.brokenRecords("shared-string table ends before its strings do")
        func advanceSegment() throws(BIFFProblem) {
            seg += 1
            guard seg < segments.count else { throw broken }
            pos = segments[seg].lowerBound
        }
        /// Skips `n` bytes that are not characters (runs, far-east data), across segments.
        func skip(_ n: Int) throws(BIFFProblem) {
            var left = n
            while left > 0 {
                if pos >= segments[seg].upperBound { try advanceSegment(); continue }
                let take = min(left, segments[seg].upperBound - pos)
                pos += take
                left -= take
            }
        }
        func byte() throws(BIFFProblem) -> UInt8 {
            while pos >= segments[seg].upperBound { try advanceSegment() }
            defer { pos += 1 }
            return s[pos]
        }
        for _ in 0..<unique {
            let lo = Int(try byte()), hi = Int(try byte())
            var chars = lo | hi << 8
            let flags = try byte()
            var wide = flags & 0x01 != 0
            var runs = 0, ext = 0
            if flags & 0x08 != 0 { runs = Int(try byte()) | Int(try byte()) << 8 }
            if flags & 0x04 != 0 {
                var e = 0
                for k in 0..<4 { e |= Int(try byte()) << (8 * k) }
                ext = e
            }
            while chars > 0 {
                if pos >= segments[seg].upperBound {
                    try advanceSegment()
                    guard pos < segments[seg].upperBound else { throw broken }
                    wide = s[pos] & 0x01 != 0
                    pos += 1
                    continue
                }
                let width = wide ? 2 : 1
                let fit = (segments[seg].upperBound - pos) / width
                guard fit > 0 else { throw broken }
                let take = min(chars, fit)
                pos += take * width
                chars -= take
            }
            try skip(runs * 4 + ext)
        }
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

    /// BIFF8 string with an 8-bit length (sheet names).
    private static func shortUnicode(_ s: [UInt8], _ at: Int, _ end: Int) -> String {
        guard at + 2 <= end else { return "" }
        return chars(s, count: Int(s[at]), flags: s[at + 1], from: at + 2, end: end)
    }

    /// BIFF8 string with a 16-bit length (formats, formula strings).
    private static func longUnicode(_ s: [UInt8], _ at: Int, _ end: Int) -> String {
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

    private static func byteString(_ s: [UInt8], _ at: Int, _ end: Int) -> String {
        guard at < end else { return "" }
        let stop = min(end, at + 1 + Int(s[at]))
        return String(decoding: s[(at + 1)..<max(at + 1, stop)].map { UInt16($0) }, as: UTF16.self)
    }

    private static func byteString16(_ s: [UInt8], _ at: Int, _ end: Int) -> String {
        guard at + 2 <= end else { return "" }
        let stop = min(end, at + 2 + u16(s, at))
        return String(decoding: s[(at + 2)..<max(at + 2, stop)].map { UInt16($0) }, as: UTF16.self)
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
        func chain(_ start: Int, table: [Int], limit: Int) throws(BIFFProblem) -> [Int] {
            var out: [Int] = []
            var n = start
            while n != endOfChain {
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
            for n in try chain(wb.start, table: miniFAT, limit: miniFAT.count) {
                let off = n * 64
                guard off + 64 <= mini.count else { throw .brokenCompoundFile("mini sector beyond the mini stream") }
                out.append(contentsOf: mini[off..<(off + 64)])
            }
        } else {
            for n in try chain(wb.start, table: fat, limit: sectorCount) { out.append(contentsOf: try sector(n)) }
        }
        guard out.count >= wb.size else { throw .brokenCompoundFile("workbook stream shorter than declared") }
        return Array(out.prefix(wb.size))
    }
}
