#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SheetGrid
import Support
import XMLScan

/// How a number format presents a serial number.
enum TemporalKind: Sendable, Hashable {
    case none
    /// Only date parts (y, m, d).
    case date
    /// Only time parts (h, m, s).
    case time
    case dateTime
    /// Elapsed time (`[h]:mm:ss`): a duration, not a point in time.
    case elapsed
}

enum NumberFormats {
    /// The built-in formats every reader must know (shared with the .xls reader).
    static func builtIn(_ id: Int) -> String? { CellStyle.builtInFormat(id) }

    /// Whether a format code shows a date, a time or both: looks at the first section for
    /// y/m/d/h/s outside quotes, brackets (except elapsed `[h]`, `[m]`, `[s]`) and escapes.
    static func temporalKind(_ code: String) -> TemporalKind {
        if code.isEmpty || code.caseInsensitiveEquals("General") || code == "@" { return .none }
        var hasDate = false, hasTime = false, hasMonthOrMinute = false, hasElapsed = false
        var inQuote = false
        var bracket: [UInt8]? = nil
        var skipNext = false
        for u in code.utf8 {
            if skipNext { skipNext = false; continue }
            if inQuote {
                if u == UInt8(ascii: "\"") { inQuote = false }
                continue
            }
            if var b = bracket {
                if u == UInt8(ascii: "]") {
                    // Elapsed time: [h], [hh], [mm], [ss].
                    let lower = b.map { $0 | 0x20 }
                    if !lower.isEmpty && lower.allSatisfy({ $0 == UInt8(ascii: "h") || $0 == UInt8(ascii: "m") || $0 == UInt8(ascii: "s") }) {
                        hasElapsed = true
                    }
                    bracket = nil
                } else {
                    b.append(u)
                    bracket = b
                }
                continue
            }
            switch u | 0x20 {
            case _ where u == UInt8(ascii: ";"):
                return hasElapsed ? .elapsed : kind(hasDate, hasTime, hasMonthOrMinute)
            case _ where u == UInt8(ascii: "\""): inQuote = true
            case _ where u == UInt8(ascii: "["): bracket = []
            case _ where u == UInt8(ascii: "\\") || u == UInt8(ascii: "_") || u == UInt8(ascii: "*"): skipNext = true
            case UInt8(ascii: "y"), UInt8(ascii: "d"): hasDate = true
            case UInt8(ascii: "h"), UInt8(ascii: "s"): hasTime = true
            case UInt8(ascii: "m"): hasMonthOrMinute = true
            default: break
            }
        }
        return hasElapsed ? .elapsed : kind(hasDate, hasTime, hasMonthOrMinute)
    }

    /// Whether a cell format shows dates: a workbook's own code (`custom`), else the built-in
    /// format `formatID` (the same ids in .xlsx `numFmtId` and .xls `XF` records).
    static func temporalKind(formatID: Int, custom: String?) -> TemporalKind {
        if let custom { return temporalKind(custom) }
        switch formatID {
        case 14...17: return .date
        case 18...21, 45, 47: return .time
        case 46: return .elapsed
        case 22: return .dateTime
        case 27...36, 50...58: return .date // East Asian locale date formats
        default: return builtIn(formatID).map(temporalKind) ?? .none
        }
    }

    private static func kind(_ date: Bool, _ time: Bool, _ m: Bool) -> TemporalKind {
        // A lone `m` is a month unless it sits with hours or seconds (then it is minutes).
        let d = date || (m && !time)
        switch (d, time) {
        case (true, true): return .dateTime
        case (true, false): return .date
        case (false, true): return .time
        default: return .none
        }
    }
}

/// The one rule for spreadsheet serial numbers shown as dates, for the other workbook readers
/// (.xls): the ISO 8601 text of `serial` under the cell format (`custom` code, else the built-in
/// format `formatID`), nil when the format shows no date or the serial has no date reading.
public enum SpreadsheetDates {
    public static func iso(serial: String, formatID: Int, custom: String?, date1904: Bool) -> String? {
        let kind = NumberFormats.temporalKind(formatID: formatID, custom: custom)
        guard kind != .none else { return nil }
        return SerialDates.iso(serial, kind: kind, date1904: date1904)
    }

    /// True when the format shows a date or a time.
    public static func isTemporal(formatID: Int, custom: String?) -> Bool {
        let kind = NumberFormats.temporalKind(formatID: formatID, custom: custom)
        return kind != .none && kind != .elapsed
    }
}

enum SerialDates {
    /// The ISO 8601 text for a date serial, or nil when it has no sensible date reading: negative
    /// serials, 1900-02-29 of the 1900 leap-year bug, elapsed-time formats (`[h]`: a duration), out of
    /// range, not a number; the number is then kept. A time-only format on a value of a day or more
    /// gives the full date and time (nothing is lost; python-calamine does the same).
    /// Times are rounded to the millisecond; `.SSS` is written only when not zero.
    static func iso(_ serial: String, kind: TemporalKind, date1904: Bool) -> String? {
        guard kind != .none, kind != .elapsed, let dec = ExactDecimal(serial), !dec.isNegative else { return nil }
        var sig = dec.significand, scale = dec.scale
        while scale > 12 { sig /= 10; scale -= 1 }
        var pow: Int128 = 1
        for _ in 0..<scale { pow *= 10 }
        let (scaled, overflow) = sig.multipliedReportingOverflow(by: 86_400_000)
        guard !overflow else { return nil }
        let totalMillis = (scaled + pow / 2) / pow
        let days = Int(totalMillis / 86_400_000)
        let millis = Int(totalMillis % 86_400_000)
        guard days <= 2_958_465 else { return nil } // 9999-12-31
        let secs = millis / 1000
        var time = format2(secs / 3600) + ":" + format2(secs / 60 % 60) + ":" + format2(secs % 60)
        if millis % 1000 != 0 {
            let ms = millis % 1000
            time += "." + (ms < 10 ? "00" : ms < 100 ? "0" : "") + String(ms)
        }
        if kind == .time && days == 0 { return time }
        if !date1904 && days == 0 {
            // Serial 0.x: a time of day without a date (Excel shows the phantom 1900-01-00).
            return millis == 0 ? nil : time
        }
        let offset: Int
        if date1904 {
            offset = daysFromCivil(1904, 1, 1) + days
        } else if days < 60 {
            offset = daysFromCivil(1899, 12, 31) + days
        } else if days == 60 {
            return nil // 1900-02-29 does not exist (Lotus 1-2-3 compatibility).
        } else {
            offset = daysFromCivil(1899, 12, 30) + days
        }
        let (y, m, d) = civilFromDays(offset)
        let date = String(y) + "-" + format2(m) + "-" + format2(d)
        if kind == .date && millis == 0 { return date }
        return date + "T" + time
    }

    private static func format2(_ v: Int) -> String { v < 10 ? "0" + String(v) : String(v) }

    /// Days since 1970-01-01 (Howard Hinnant's algorithm).
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}

enum XEscapes {
    /// Decodes `_xHHHH_` escapes (ECMA-376 Part 1, 22.9.2.19): `_x000D_` is a carriage return,
    /// `_x005F_` an underscore (so `_x005F_x000D_` stays the literal text `_x000D_`).
    /// With an `interner` (a merge's reader), a text without escapes is the interner's string.
    static func decode(_ bytes: [UInt8], interner: TextInterner? = nil) -> String {
        let n = bytes.count
        // Most texts hold no `_`: one memchr, then the String straight from the bytes.
        let hasEscape = n >= 7 && bytes.withUnsafeBufferPointer { p -> Bool in
            var i = 0
            while i < n - 6, let hit = memchr(p.baseAddress! + i, Int32(UInt8(ascii: "_")), n - 6 - i) {
                let j = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - p.baseAddress!
                if p[j + 1] == UInt8(ascii: "x") { return true }
                i = j + 1
            }
            return false
        }
        if !hasEscape { return interner?.string(bytes) ?? String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(n)
        var i = 0
        var pendingHigh: UInt32? = nil
        func flushHigh(_ out: inout [UInt8]) {
            if pendingHigh != nil { XMLText.appendUTF8("\u{FFFD}", to: &out); pendingHigh = nil }
        }
        while i < n {
            if i + 6 < n, bytes[i] == UInt8(ascii: "_"), bytes[i + 1] == UInt8(ascii: "x"), bytes[i + 6] == UInt8(ascii: "_"),
               let a = XMLText.hexValue(bytes[i + 2]), let b = XMLText.hexValue(bytes[i + 3]),
               let c = XMLText.hexValue(bytes[i + 4]), let d = XMLText.hexValue(bytes[i + 5]) {
                let v = a << 12 | b << 8 | c << 4 | d
                if v >= 0xD800 && v < 0xDC00 {
                    flushHigh(&out)
                    pendingHigh = v
                } else if v >= 0xDC00 && v < 0xE000 {
                    if let h = pendingHigh, let s = Unicode.Scalar(0x10000 + ((h - 0xD800) << 10) + (v - 0xDC00)) {
                        XMLText.appendUTF8(s, to: &out)
                        pendingHigh = nil
                    } else {
                        flushHigh(&out)
                        XMLText.appendUTF8("\u{FFFD}", to: &out)
                    }
                } else {
                    flushHigh(&out)
                    XMLText.appendUTF8(Unicode.Scalar(v) ?? "\u{FFFD}", to: &out)
                }
                i += 7
                continue
            }
            flushHigh(&out)
            out.append(bytes[i])
            i += 1
        }
        flushHigh(&out)
        return String(decoding: out, as: UTF8.self)
    }
}

extension String {
    func caseInsensitiveEquals(_ other: String) -> Bool { lowercased() == other.lowercased() }
}
