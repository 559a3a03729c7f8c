import Foundation

public enum TextNormalization {
    /// Unicode NFC, the form every text is held in inside bieumau.
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
        for b in s.utf8 where b >= 0xCC {
            // Any scalar at or above U+0300 starts with a lead byte >= 0xCC: look closer.
            return s.unicodeScalars.allSatisfy { v in
                let x = v.value
                return x < 0x300 || (0x1E00...0x1EFF).contains(x) || (0x2010...0x2027).contains(x)
                    || (0x2030...0x205E).contains(x) || (0x2190...0x22FF).contains(x) || (0x2500...0x257F).contains(x)
            }
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

/// Hand-written stand-ins for short regular expressions, on "plain" text only: compiling the
/// first NSRegularExpression of a run sets up ICU's regex tables (about 11 M instructions, an
/// eighth of a conversion). Callers check `isPlain` and keep the regular expression for any
/// other text, and tests compare both on generated texts.
public enum PlainText {
    /// Printable ASCII, the Latin letters U+00C0–U+024F (but not ×, ÷, İ, ı, ſ, whose case
    /// folding or class differs) and U+1E00–U+1EFF. In such text every scalar is a character,
    /// there are no combining or format characters, the only white space is U+0020, the only
    /// digits are ASCII, and every non-ASCII scalar is a letter.
    public static func isPlain(_ s: [Unicode.Scalar]) -> Bool {
        s.allSatisfy { c in
            let v = c.value
            if v >= 0x20 && v <= 0x7E { return true }
            if v >= 0xC0 && v <= 0x24F { return v != 0xD7 && v != 0xF7 && v != 0x130 && v != 0x131 && v != 0x17F }
            return v >= 0x1E00 && v <= 0x1EFF
        }
    }

    /// ICU's `\w` on plain text: ASCII letters and digits, `_`, and every non-ASCII scalar.
    public static func isWord(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        if v >= 0x80 { return true }
        return (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F
    }

    public static func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 0x30 && c.value <= 0x39 }

    /// True when `s[i...]` starts with `literal`.
    public static func has(_ s: [Unicode.Scalar], at i: Int, _ literal: String) -> Bool {
        var k = i
        for c in literal.unicodeScalars {
            guard k < s.count, s[k] == c else { return false }
            k += 1
        }
        return true
    }

    /// The index after the spaces from `i`.
    public static func skipSpaces(_ s: [Unicode.Scalar], _ i: Int) -> Int {
        var k = i
        while k < s.count && s[k] == " " { k += 1 }
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
