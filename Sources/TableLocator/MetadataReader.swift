import AppendixModel
import Foundation
import SheetGrid
import Support

/// Reads who/when/which report from the lines above the table and from workbook properties.
enum MetadataReader {
    /// Words that open the name of an issuing body (generic Vietnamese administration, not a form).
    static let bodyPrefixes = [
        "ủy ban", "uỷ ban", "ubnd", "hđnd", "hội đồng nhân dân", "sở ", "phòng ", "văn phòng", "ban ", "bộ ",
        "cục ", "chi cục", "trung tâm", "tỉnh ", "huyện ", "thành phố", "quận ", "thị xã", "thị trấn", "xã ",
        "phường ", "đảng ủy", "đảng uỷ",
    ]

    static func isBody(_ lower: String) -> Bool {
        bodyPrefixes.contains { lower.hasPrefix($0) }
    }

    /// A line's opening characters, lowercased, for the tests on how a line opens. When they are
    /// all ASCII or precomposed Latin/Vietnamese letters (almost every line) they are lowercased
    /// here, byte by byte, and compared as bytes (no character of them combines with another);
    /// else as `String.lowercased()` and `hasPrefix` do.
    struct Opening {
        private var bytes: [UInt8] = []
        private var lowered: String?

        init(_ text: String) {
            var count = 0
            for scalar in text.unicodeScalars {
                if count == openingLength { break }
                guard let l = Opening.lowercase(scalar.value), let ls = Unicode.Scalar(l) else {
                    lowered = String(text.prefix(openingLength)).lowercased()
                    bytes = []
                    return
                }
                UTF8.encode(ls) { bytes.append($0) }
                count += 1
            }
        }

        static func lowercase(_ v: UInt32) -> UInt32? { TextNormalization.lowercase(scalar: v) }

        func hasPrefix(_ prefix: String) -> Bool {
            if let lowered { return lowered.hasPrefix(prefix) }
            return bytes.starts(with: prefix.utf8)
        }

        /// `isBody` of the opening.
        var opensBody: Bool { bodyPrefixes.contains { hasPrefix($0) } }
    }

    static func read(grid: Grid, above headerRow: Int) -> Metadata {
        var m = Metadata()
        var bodies: [(String, SourceLocation)] = []
        var referenceUnit: String?
        for pos in 0..<min(headerRow, grid.rows.count) {
            let row = grid.rows[pos]
            for cell in row.cells {
                let text = InputRowReader.clean(cell.value)
                guard text.contains(where: \.isLetter) else { continue }
                // Every test but two reads the line's opening words: only they are lowercased, and
                // the whole line only when it may hold "kèm theo" or "ngày" (`mayNameReferenceOrDate`).
                let opening = Opening(text)
                let whole = mayNameReferenceOrDate(text) ? TextNormalization.lowercased(text) : nil
                let loc = grid.location(row: row, column: cell.column)
                if opening.hasPrefix("cộng hòa") || opening.hasPrefix("cộng hoà") || opening.hasPrefix("độc lập") { continue }
                if let whole, whole.contains("kèm theo") {
                    referenceUnit = readReference(text, at: loc, into: &m) ?? referenceUnit
                    continue
                }
                if opening.hasPrefix("phụ lục") {
                    // "Phụ lục: BIỂU THỐNG KÊ …" carries the title after the colon.
                    if let colon = text.firstIndex(where: { $0 == ":" || $0 == "-" }) {
                        let rest = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                        if rest.count > 10 && m.title == nil { setTitle(rest, at: loc, into: &m) }
                    }
                    continue
                }
                if opening.hasPrefix("số") && text.contains("/") && m.reportNumber == nil,
                   let number = reportNumber(in: text) {
                    m.reportNumber = number
                    m.locations["reportNumber"] = loc
                    continue
                }
                if m.title == nil && opening.opensBody {
                    bodies.append((text, loc))
                    continue
                }
                // "Ngân Sơn, ngày 15 tháng 3 năm 2023": the report's date, not a period.
                if let whole, mentionsDate(whole) {
                    if m.reportDate == nil, let d = reportDates.value(UTF8Key(text), { ReportDate.parse(text) }) {
                        m.reportDate = d
                        m.locations["reportDate"] = loc
                    }
                    continue
                }
                if m.period == nil, let p = periods.value(UTF8Key(text), { Period.parse(text) }) {
                    m.period = p
                    m.periodText = text
                    m.locations["period"] = loc
                    if m.title == nil && text.count > 30 { setTitle(text, at: loc, into: &m) }
                    continue
                }
                if m.title == nil && text.count > 10 {
                    setTitle(text, at: loc, into: &m)
                }
            }
        }
        if let last = bodies.last {
            m.unit = last.0
            m.locations["unit"] = last.1
            if bodies.count >= 2 {
                let parent = bodies[bodies.count - 2]
                m.parentBody = parent.0
                m.locations["parentBody"] = parent.1
            }
        }
        if m.unit == nil, let u = referenceUnit {
            m.unit = u
            m.locations["unit"] = m.locations["reportReference"]
        }
        return m
    }

    /// Characters of a line's opening that the prefixes above need lowercased (the longest,
    /// `hội đồng nhân dân`, has 17), with room to spare.
    static let openingLength = 32

    /// False when the lowercased `text` (NFC) certainly holds neither `theo` nor `ngày`: those
    /// letters come only from ASCII letters and `à`/`À` (no other character lowercases to them),
    /// so the bytes are searched without lowercasing the line.
    static func mayNameReferenceOrDate(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { b in
            func lower(_ x: UInt8) -> UInt8 { x >= 0x41 && x <= 0x5A ? x | 0x20 : x }
            var i = 0
            while i + 3 < b.count {
                let c0 = lower(b[i])
                if c0 == UInt8(ascii: "t"), lower(b[i + 1]) == UInt8(ascii: "h"), lower(b[i + 2]) == UInt8(ascii: "e"),
                   lower(b[i + 3]) == UInt8(ascii: "o") { return true }
                if c0 == UInt8(ascii: "n"), i + 4 < b.count, lower(b[i + 1]) == UInt8(ascii: "g"), b[i + 2] == 0xC3,
                   b[i + 3] == 0xA0 || b[i + 3] == 0x80, lower(b[i + 4]) == UInt8(ascii: "y") { return true }
                i += 1
            }
            return false
        }
    }

    /// `ngày\s*[0-9]*\s*(tháng|/)` in lower-case NFC text, matched by hand (a regular expression
    /// costs more than the rest of the line's reading, on every line above every table).
    static func mentionsDate(_ lower: String) -> Bool {
        let s = Array(lower.unicodeScalars)
        let ngay: [Unicode.Scalar] = ["n", "g", "\u{E0}", "y"]
        let thang: [Unicode.Scalar] = ["t", "h", "\u{E1}", "n", "g"]
        func matches(_ word: [Unicode.Scalar], at i: Int) -> Bool {
            i + word.count <= s.count && s[i..<(i + word.count)].elementsEqual(word)
        }
        var i = 0
        while i + ngay.count <= s.count {
            if matches(ngay, at: i) {
                var j = i + ngay.count
                while j < s.count, s[j].properties.isWhitespace { j += 1 }
                while j < s.count, ("0"..."9").contains(s[j]) { j += 1 }
                while j < s.count, s[j].properties.isWhitespace { j += 1 }
                if j < s.count, s[j] == "/" { return true }
                if matches(thang, at: j) { return true }
            }
            i += 1
        }
        return false
    }

    /// Periods read from lines above tables, by line text: the period line is the same in every
    /// unit's file of a merge.
    private static let periods = Memo<UTF8Key, Period?>(limit: 10_000)
    /// Report dates by line text (a reference line "(Kèm theo Báo cáo số … ngày …)" repeated across units).
    private static let reportDates = Memo<UTF8Key, ReportDate?>(limit: 10_000)

    static func setTitle(_ text: String, at loc: SourceLocation, into m: inout Metadata) {
        m.title = text
        m.locations["title"] = loc
    }

    /// The report number in a line opening with "Số": the first `[0-9]*\s*/\s*[A-Za-zĐđ0-9-]+`,
    /// spaces removed.
    static func reportNumber(in text: String) -> String? {
        let s = Array(text.unicodeScalars)
        for p in s.indices {
            if let end = numberEnd(s, from: p) {
                return PlainText.string(s[p..<end]).replacingOccurrences(of: " ", with: "")
            }
        }
        return nil
    }

    /// The number after "số" (any case) in a reference line: `(?i)số\s*([0-9]*\s*/\s*[A-Za-zĐđ0-9-]+)`,
    /// "số" and spaces removed.
    static func reportNumberAfterSo(in text: String) -> String? {
        let s = Array(text.unicodeScalars)
        for p in s.indices where p + 1 < s.count && (s[p] == "s" || s[p] == "S") && (s[p + 1] == "ố" || s[p + 1] == "Ố") {
            if let end = numberEnd(s, from: PlainText.skipSpaces(s, p + 2)) {
                return PlainText.string(s[(p + 2)..<end]).replacingOccurrences(of: " ", with: "")
            }
        }
        return nil
    }

    /// The end of `[0-9]*\s*/\s*[A-Za-zĐđ0-9-]+` matched at `p`, if it matches there.
    static func numberEnd(_ s: [Unicode.Scalar], from p: Int) -> Int? {
        var k = p
        while k < s.count && s[k].value >= 0x30 && s[k].value <= 0x39 { k += 1 }   // [0-9]*: ASCII only
        k = PlainText.skipSpaces(s, k)
        guard k < s.count, s[k] == "/" else { return nil }
        k = PlainText.skipSpaces(s, k + 1)
        let start = k
        while k < s.count {
            let v = s[k].value
            let inClass = (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || (v >= 0x30 && v <= 0x39)
                || v == 0x2D || v == 0x110 || v == 0x111
            guard inClass else { break }
            k += 1
        }
        return k > start ? k : nil
    }

    /// "(Kèm theo Báo cáo số /BC-UBND ngày /3/2022 của UBND huyện Ngân Sơn)".
    /// Returns the unit named after "của".
    static func readReference(_ text: String, at loc: SourceLocation, into m: inout Metadata) -> String? {
        m.reportReference = text
        m.locations["reportReference"] = loc
        if m.reportNumber == nil, let found = reportNumberAfterSo(in: text) {
            m.reportNumber = found
            m.locations["reportNumber"] = loc
        }
        if m.reportDate == nil, let d = reportDates.value(UTF8Key(text), { ReportDate.parse(text) }) {
            m.reportDate = d
            m.locations["reportDate"] = loc
        }
        if let r = text.range(of: " của ", options: [.caseInsensitive, .backwards]) {
            var unit = text[r.upperBound...].trimmingCharacters(in: .whitespaces)
            while let last = unit.last, last == ")" || last == "." || last == " " { unit.removeLast() }
            if !unit.isEmpty { return unit }
        }
        return nil
    }

    /// Workbook custom properties win over what is printed.
    static func applyProperties(_ properties: [String: String], file: String, into m: inout Metadata) {
        let loc = SourceLocation(file: file)
        func value(_ key: String) -> String? {
            guard let v = properties[key]?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else { return nil }
            return TextNormalization.nfc(v)
        }
        if let u = value(WorkbookProperty.unit) { m.unit = u; m.locations["unit"] = loc }
        if let p = value(WorkbookProperty.parentBody) { m.parentBody = p; m.locations["parentBody"] = loc }
        if let p = value(WorkbookProperty.period), let period = WorkbookProperty.decodePeriod(p) {
            m.period = period
            m.periodText = nil
            m.locations["period"] = loc
        }
        if let n = value(WorkbookProperty.reportNumber) { m.reportNumber = n; m.locations["reportNumber"] = loc }
        if let k = value(WorkbookProperty.kind) { m.workbookKind = k }
        if let n = value(WorkbookProperty.unitCount), let c = Int(n) { m.mergedUnits = c }
    }
}

