import Foundation

public enum TextNormalization {
    /// Unicode NFC, the form every text is held in inside bieumau.
    public static func nfc(_ s: String) -> String {
        // Fast path: text made only of scalars below U+0300 (no combining marks) and of the
        // precomposed Vietnamese letters U+1E00–U+1EFF is already NFC (Quick_Check = Yes).
        if s.unicodeScalars.allSatisfy({ $0.value < 0x300 || (0x1E00...0x1EFF).contains($0.value) }) { return s }
        return s.precomposedStringWithCanonicalMapping
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
