import Foundation

public enum TextNormalization {
    /// Unicode NFC, the form every text is held in inside bieumau.
    /// `s.lowercased()`. Text made only of ASCII, Latin-1 and the letters of Vietnamese (almost
    /// every line of a report) is lowercased here on its bytes (`String.lowercased` looks up each
    /// non-ASCII scalar's properties, costly on every line above every table); other text as before.
    public static func lowercased(_ s: String) -> String {
        var s = s
        let fast: String? = s.withUTF8 { b in
            var out: [UInt8] = []
            out.reserveCapacity(b.count)
            var i = 0
            while i < b.count {
                let x = b[i]
                if x < 0x80 {
                    out.append(x >= 0x41 && x <= 0x5A ? x | 0x20 : x)
                    i += 1
                    continue
                }
                let v: UInt32
                if x >= 0xC2 && x <= 0xDF && i + 1 < b.count {
                    v = UInt32(x & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F)
                    i += 2
                } else if x >= 0xE0 && x <= 0xEF && i + 2 < b.count {
                    v = UInt32(x & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F)
                    i += 3
                } else {
                    return nil
                }
                guard let l = lowercase(scalar: v) else { return nil }
                if l < 0x800 {
                    out.append(UInt8(0xC0 | (l >> 6)))
                    out.append(UInt8(0x80 | (l & 0x3F)))
                } else {
                    out.append(UInt8(0xE0 | (l >> 12)))
                    out.append(UInt8(0x80 | ((l >> 6) & 0x3F)))
                    out.append(UInt8(0x80 | (l & 0x3F)))
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
        return fast ?? s.lowercased()
    }

    /// The lowercase of a scalar whose lowercase is one scalar known here — ASCII, Latin-1, the
    /// Vietnamese letters of Latin Extended-A/B (Ă Đ Ĩ Ũ Ơ Ư) and U+1EA0–U+1EFF — nil for any other.
    /// (Checked against `String.lowercased` for every scalar it answers.)
    public static func lowercase(scalar v: UInt32) -> UInt32? {
        switch v {
        case 0x41...0x5A: return v + 0x20
        case 0...0x7F: return v
        case 0xC0...0xDE where v != 0xD7: return v + 0x20
        case 0x80...0xFF: return v
        case 0x102, 0x110, 0x128, 0x168, 0x1A0, 0x1AF: return v + 1
        case 0x103, 0x111, 0x129, 0x169, 0x1A1, 0x1B0: return v
        case 0x1EA0...0x1EFF: return v | 1
        default: return nil
        }
    }

    public static func nfc(_ s: String) -> String {
        if isCertainlyNFC(s) { return s }
        return s.precomposedStringWithCanonicalMapping
    }

    /// True when every scalar of `s` lies in a block where each character is its own NFC form, has
    /// combining class 0 and is never the second half of a canonical composition, so the text is
    /// NFC whatever the order: below U+0300 (Latin, no combining marks), the precomposed Vietnamese
    /// letters U+1E00–U+1EFF, dashes/quotes/ellipsis U+2010–U+2027, U+2030–U+205E, arrows
    /// U+2190–U+21FF, mathematical operators U+2200–U+22FF and box drawing U+2500–U+257F
    /// (checked against Python's unicodedata when the ranges were chosen).
    public static func isCertainlyNFC(_ s: String) -> Bool {
        var s = s
        return s.withUTF8(isCertainlyNFC(utf8:))
    }

    /// `isCertainlyNFC` on UTF-8 bytes, in one pass without allocating (the CSV and XLSX readers
    /// ask it of every field). A false answer only means "normalise to be sure".
    @inlinable
    public static func isCertainlyNFC(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            // ASCII, continuation bytes and the lead bytes of U+0080…U+02FF.
            if b < 0xCC { i += 1; continue }
            // U+0300…U+07FF (combining marks first) and 4-byte scalars: look no further.
            guard b >= 0xE0, b < 0xF0, i + 2 < n else { return false }
            let x = UInt32(b & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F)
            guard (0x1E00...0x1EFF).contains(x) || (0x2010...0x2027).contains(x) || (0x2030...0x205E).contains(x)
                    || (0x2190...0x22FF).contains(x) || (0x2500...0x257F).contains(x) else { return false }
            i += 3
        }
        return true
    }

    /// True when `collapseWhitespace(s) == s` is certain from the bytes: no leading, trailing or
    /// double spaces, no control characters and no other white space (NBSP, U+2000…, U+3000, BOM…).
    static func isCollapsed(_ s: String) -> Bool {
        var previousSpace = true
        var lead: UInt8 = 0
        for b in s.utf8 {
            if lead != 0 {
                switch (lead, b) {
                case (0xC2, 0x85), (0xC2, 0xA0), (0xE1, 0x9A), (0xE2, 0x80), (0xE2, 0x81), (0xE3, 0x80), (0xEF, 0xBB):
                    return false
                default: break
                }
                lead = 0
            }
            if b == 0x20 {
                if previousSpace { return false }
                previousSpace = true
                continue
            }
            if b < 0x20 || b == 0x7F { return false }
            if b == 0xC2 || b == 0xE1 || b == 0xE2 || b == 0xE3 || b == 0xEF { lead = b }
            previousSpace = false
        }
        return !previousSpace || s.isEmpty
    }

    /// Collapses runs of white space (including non-breaking spaces and line breaks) to one space
    /// and trims both ends.
    public static func collapseWhitespace(_ s: String) -> String {
        if isCollapsed(s) { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var pendingSpace = false
        for ch in s {
            if ch.isWhitespace || ch == "\u{00A0}" || ch == "\u{200B}" || ch == "\u{FEFF}" {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" "); pendingSpace = false }
                out.append(ch)
            }
        }
        return out
    }

    /// Removes simple HTML-like markup that converted documents carry in cells (`<b>0</b>`, `<i>…</i>`, `<br>`).
    public static func stripMarkup(_ s: String) -> String {
        guard s.utf8.contains(UInt8(ascii: "<")) else { return s }
        var out = ""
        var i = s.startIndex
        while i < s.endIndex {
            if s[i] == "<", let close = s[i...].firstIndex(of: ">") {
                let tag = s[s.index(after: i)..<close].lowercased()
                let name = tag.trimmingCharacters(in: CharacterSet(charactersIn: "/ ")).split(separator: " ").first.map(String.init) ?? ""
                if ["b", "i", "u", "br", "em", "strong", "sup", "sub", "span", "p"].contains(name) {
                    if name == "br" || name == "p" { out.append("\n") }
                    i = s.index(after: close)
                    continue
                }
            }
            out.append(s[i])
            i = s.index(after: i)
        }
        return out
    }
}

/// Hand-written stand-ins for short regular expressions (the one reading of periods, dates and
/// report numbers; no NSRegularExpression: compiling the first one of a run sets up ICU's regex
/// tables, about 11 M instructions, an eighth of a conversion). The character classes follow
/// ICU's `\w`, `\d` and `\s`; tests compare the readings with the regular expressions on
/// thousands of generated texts.
public enum PlainText {
    /// ICU's `\w`: letters (Alphabetic), marks, decimal digits, connector punctuation, ZWJ/ZWNJ.
    public static func isWord(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        if v < 0x80 { return (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F }
        if (v >= 0xC0 && v <= 0x24F && v != 0xD7 && v != 0xF7) || (v >= 0x1E00 && v <= 0x1EFF) { return true }
        if v == 0x200C || v == 0x200D { return true }
        let p = c.properties
        if p.isAlphabetic { return true }
        switch p.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation: return true
        default: return false
        }
    }

    /// ICU's `\d`: a decimal digit of any script (only ASCII ones make a number).
    public static func isDigit(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        if v < 0x80 { return v >= 0x30 && v <= 0x39 }
        return c.properties.generalCategory == .decimalNumber
    }

    /// ICU's `\s`: white space.
    public static func isSpace(_ c: Unicode.Scalar) -> Bool {
        c == " " || (c.value >= 0x09 && c.value <= 0x0D) || (c.value >= 0x80 && c.properties.isWhitespace)
    }

    /// True when `s[i...]` starts with `literal`.
    public static func has(_ s: [Unicode.Scalar], at i: Int, _ literal: String) -> Bool {
        var k = i
        for c in literal.unicodeScalars {
            guard k < s.count, s[k] == c else { return false }
            k += 1
        }
        return true
    }

    /// The index after the white space from `i`.
    public static func skipSpaces(_ s: [Unicode.Scalar], _ i: Int) -> Int {
        var k = i
        while k < s.count && isSpace(s[k]) { k += 1 }
        return k
    }

    /// The index after at most `limit` digits from `i`.
    public static func skipDigits(_ s: [Unicode.Scalar], _ i: Int, limit: Int = .max) -> Int {
        var k = i
        while k < s.count && k - i < limit && isDigit(s[k]) { k += 1 }
        return k
    }

    public static func string(_ s: ArraySlice<Unicode.Scalar>) -> String {
        String(String.UnicodeScalarView(s))
    }
}
