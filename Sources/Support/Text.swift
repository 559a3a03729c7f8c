import Foundation

public enum TextNormalization {
    /// Unicode NFC, the form every text is held in inside bieumau.
    public static func nfc(_ s: String) -> String {
        s.precomposedStringWithCanonicalMapping
    }

    /// Collapses runs of white space (including non-breaking spaces and line breaks) to one space
    /// and trims both ends.
    public static func collapseWhitespace(_ s: String) -> String {
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
        guard s.contains("<") else { return s }
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
