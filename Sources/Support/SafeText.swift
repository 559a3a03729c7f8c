/// The one place that makes a string safe for where it goes: the workbook writer (XML), a terminal,
/// a CSV file opened in a spreadsheet, a message that echoes a cell. Every text that comes from a
/// user's file passes through one of these on its way out (docs/limits.md).
public enum SafeText {
    // MARK: XML (every string handed to the workbook writer)

    /// What XML 1.0 cannot hold, shown instead: U+FFFD (the replacement character).
    public static let replacement: Unicode.Scalar = "\u{FFFD}"

    /// True for scalars XML 1.0 refuses (`Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | …`):
    /// C0 controls other than tab, line feed and carriage return, and U+FFFE/U+FFFF. (Surrogates
    /// cannot occur in a Swift string.)
    @inline(__always)
    public static func isXMLIllegal(_ v: UInt32) -> Bool {
        (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D) || v == 0xFFFE || v == 0xFFFF
    }

    /// NFC text that XML can hold: every XML-illegal character becomes U+FFFD. The workbook writer
    /// (XlsxWriterWrapper) passes every string through this before libxlsxwriter sees it: cells,
    /// sheet names, hyperlinks, comments, headers, chart texts, document and custom properties.
    /// Idempotent, so a sheet name and a formula naming it stay the same after it.
    public static func xml(_ s: String) -> String {
        let n = TextNormalization.nfc(s)
        guard needsXMLRepair(n) else { return n }
        var out = String.UnicodeScalarView()
        for v in n.unicodeScalars { out.append(isXMLIllegal(v.value) ? replacement : v) }
        return String(out)
    }

    /// True when `s` holds a character XML refuses (checked on the UTF-8 bytes).
    public static func needsXMLRepair(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { needsXMLRepair(bytes: $0) }
    }

    /// The same check on UTF-8 bytes (for C strings handed to the writer as they are).
    public static func needsXMLRepair(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x20 {
                if b != 0x09 && b != 0x0A && b != 0x0D { return true }
            } else if b == 0xEF, i + 2 < n, bytes[i + 1] == 0xBF, bytes[i + 2] == 0xBE || bytes[i + 2] == 0xBF {
                return true
            }
            i += 1
        }
        return false
    }

    // MARK: terminals

    /// Scalars a terminal acts on instead of showing: C0 controls other than tab and line feed
    /// (ESC starts `ESC[2J` and OSC 52), DEL, C1 controls (U+009B is a one-byte CSI), and the
    /// bidirectional overrides and isolates that reorder what a reviewer reads.
    @inline(__always)
    public static func isTerminalControl(_ v: UInt32) -> Bool {
        (v < 0x20 && v != 0x09 && v != 0x0A) || (v >= 0x7F && v <= 0x9F)
            || (v >= 0x202A && v <= 0x202E) || (v >= 0x2066 && v <= 0x2069)
    }

    /// Text for a terminal: every control character made visible as `\u{1B}`-style text (as JSON
    /// would escape it: `\u001B`), so cell text and unit names cannot clear the screen, move the
    /// cursor or write the clipboard. Tabs and line breaks are kept.
    public static func terminal(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { isTerminalControl($0.value) }) else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 16)
        for v in s.unicodeScalars {
            if isTerminalControl(v.value) {
                out += "\\u" + hex4(v.value)
            } else {
                out.unicodeScalars.append(v)
            }
        }
        return out
    }

    static func hex4(_ v: UInt32) -> String {
        let h = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - h.count)) + h
    }

    // MARK: CSV for spreadsheets

    /// True when a spreadsheet opening a CSV would take `field` as a formula: it begins with
    /// `=`, `+`, `-`, `@`, a tab or a carriage return, and is not simply a number (`-12`, `+3,5`).
    public static func isFormulaLike(_ field: String) -> Bool {
        guard let first = field.unicodeScalars.first else { return false }
        switch first {
        case "=", "@", "\t", "\r": return true
        case "+", "-": return !looksLikeSignedNumber(field)
        default: return false
        }
    }

    /// A field for a CSV that people open in Excel or LibreOffice: a formula-like field gets a
    /// leading apostrophe (`'=1+1`), which spreadsheets show as text and do not evaluate
    /// (OWASP "CSV injection"). `raw` keeps the value as it is, for scripts.
    public static func csvField(_ field: String, raw: Bool = false) -> String {
        if raw || !isFormulaLike(field) { return field }
        return "'" + field
    }

    /// `-12`, `+3,5`, `-1.234,5`, `-25%`: a sign, digits with `.`/`,`/space separators, maybe `%`.
    static func looksLikeSignedNumber(_ s: String) -> Bool {
        var sawDigit = false
        for (i, c) in s.unicodeScalars.enumerated() {
            switch c {
            case "+", "-": if i != 0 { return false }
            case "0"..."9": sawDigit = true
            case ".", ",", " ": if !sawDigit { return false }
            case "%": continue
            default: return false
            }
        }
        return sawDigit && !s.hasSuffix(" ")
    }

    // MARK: messages

    /// At most this many characters of a cell are echoed in a message.
    public static let messageCellLimit = 200

    /// A cell's text for a message: cut to `limit` characters with `… (N ký tự)` naming its length,
    /// so a 40 KB cell does not flood the terminal.
    public static func excerpt(_ s: String, limit: Int = messageCellLimit) -> String {
        // Counting characters of a huge string is itself slow: look at the UTF-8 length first.
        if s.utf8.count <= limit { return s }
        let count = s.count
        if count <= limit { return s }
        return String(s.prefix(limit)) + "… (\(count) ký tự / characters)"
    }
}
