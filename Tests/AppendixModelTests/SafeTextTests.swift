import Support
import Testing

/// Support.SafeText: the one place a string is made safe for XML, terminals, CSV and messages (#10.2, 11, 12, 13).
@Suite("SafeText")
struct SafeTextTests {
    @Test("XML: C0 controls and U+FFFE/U+FFFF become U+FFFD; tab, line breaks and Vietnamese stay; idempotent")
    func xmlRepairsOnlyIllegalCharacters() {
        #expect(SafeText.xml("a\u{01}b\u{1B}c\u{FFFE}d\u{FFFF}") == "a\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{FFFD}")
        #expect(SafeText.xml("Ngân Sơn\tdòng 1\ndòng 2\r\n") == "Ngân Sơn\tdòng 1\ndòng 2\r\n")
        let once = SafeText.xml("x\u{00}y")
        #expect(SafeText.xml(once) == once)
        // Decomposed input comes out NFC.
        #expect(SafeText.xml("Ngân S\u{006F}\u{031B}n") == "Ngân Sơn")
    }

    @Test("terminal: ESC, OSC 52, C1 CSI and bidi overrides are shown, not acted on")
    func terminalShowsControls() {
        #expect(SafeText.terminal("a\u{1B}[2Jb") == "a\\u001B[2Jb")
        #expect(SafeText.terminal("\u{1B}]52;c;ZXZpbA==\u{07}") == "\\u001B]52;c;ZXZpbA==\\u0007")
        #expect(SafeText.terminal("x\u{9B}31m") == "x\\u009B31m")
        #expect(SafeText.terminal("abc\u{202E}fed") == "abc\\u202Efed")
        #expect(SafeText.terminal("dòng 1\n\tdòng 2") == "dòng 1\n\tdòng 2")
    }

    @Test("CSV: fields a spreadsheet would evaluate get an apostrophe; numbers and plain text do not")
    func csvEscapesFormulas() {
        #expect(SafeText.csvField("=HYPERLINK(\"http://x\",\"bấm\")") == "'=HYPERLINK(\"http://x\",\"bấm\")")
        #expect(SafeText.csvField("+1+1") == "'+1+1")
        #expect(SafeText.csvField("-2+3") == "'-2+3")
        #expect(SafeText.csvField("@SUM(A1)") == "'@SUM(A1)")
        #expect(SafeText.csvField("-12") == "-12")
        #expect(SafeText.csvField("-1.234,5") == "-1.234,5")
        #expect(SafeText.csvField("-25%") == "-25%")
        #expect(SafeText.csvField("Văn bản") == "Văn bản")
        #expect(SafeText.csvField("=1+1", raw: true) == "=1+1")
    }

    @Test("messages: a 40 KB cell is cut, naming its length")
    func longCellsAreCut() {
        let cell = String(repeating: "ă", count: 40_000)
        let shown = SafeText.excerpt(cell)
        #expect(shown.count < 260)
        #expect(shown.contains("40000"))
        #expect(SafeText.excerpt("ngắn") == "ngắn")
    }
}
