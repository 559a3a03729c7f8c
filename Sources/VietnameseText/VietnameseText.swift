import Foundation

/// Text typed in the legacy Vietnamese font encodings — TCVN3 (ABC; the `.VnTime`, `.VnArial`…
/// fonts) and VNI (VNI-Windows; the `VNI-Times`, `VNI-Helve`… fonts) — turned into Unicode NFC.
///
/// Sources of the mappings (the tables below are written for bieumau, not copied):
/// - TCVN3: TCVN 5712:1993 "Công nghệ thông tin – Bộ mã chuẩn 8-bit kí tự Việt dùng trong trao đổi
///   thông tin", its VN3 subset, which the ABC fonts implement: lower-case letters with tones and the
///   base capitals Ă Â Ê Ô Ơ Ư Đ in 0xA1–0xFE; capitals with tones are typed in the `…H` fonts
///   (`.VnTimeH`) with the lower-case codes. The positions agree with glibc's `TCVN5712-1` charmap
///   (the VN1 superset), which the tests use as a second, independent mapping.
/// - VNI: the VNI-Windows font encoding (VNI Software, Westminster CA): a base letter followed by a
///   byte carrying its marks (e.g. `a` 0xF8 = à, `a` 0xE2 = â, `o` 0xE1 = ố), and single bytes for
///   ơ ư đ and for i and ỵ with tones; capital letters take the capital form of the mark byte.
///   Cross-checked against the published VNI-Windows column of Vietnamese converters' tables (e.g.
///   "Xin chaøo caùc baïn" = "Xin chào các bạn" in the `vietnamese-conversion` package's docs).
/// See docs/vietnamese-encodings.md.
public enum LegacyVietnameseEncoding: String, Sendable, Hashable, CaseIterable {
    case tcvn3 = "TCVN3"
    case vni = "VNI"

    /// The information a workbook reader gives once when cells in this encoding were converted
    /// (Vietnamese, English): the same words whether the cell's font or its characters told.
    public var cellConversionNotice: (vi: String, en: String) {
        let fonts = self == .tcvn3 ? "TCVN3 (ABC, .VnTime)" : "VNI (VNI-Times)"
        return ("Một số ô được gõ bằng phông \(fonts); bieumau đã chuyển sang Unicode.",
                "Some cells were typed in \(fonts) fonts; bieumau converted them to Unicode.")
    }
}

/// A cell's or run's font that implies a legacy encoding: the encoding, and whether the font shows
/// capitals only (the TCVN3 `…H` fonts such as `.VnTimeH`).
public struct LegacyFont: Sendable, Hashable {
    public var encoding: LegacyVietnameseEncoding
    public var capitals: Bool

    public init(encoding: LegacyVietnameseEncoding, capitals: Bool = false) {
        self.encoding = encoding
        self.capitals = capitals
    }

    /// The legacy font a font name is, nil for any other font (Times New Roman, Arial…).
    public init?(fontName: String) {
        guard let encoding = VietnameseText.encoding(ofFont: fontName) else { return nil }
        self.init(encoding: encoding, capitals: VietnameseText.isCapitalFont(fontName))
    }

    /// `text` as stored for a cell in this font (each character the Windows-1252 reading of the
    /// byte typed), as Unicode NFC: the letters the font shows (capitals only in a `…H` font; in
    /// `.VnTime` a toned letter is the lower-case one, whatever letters stand beside it).
    public func convert(_ text: String) -> String {
        VietnameseText.convertFontText(text, from: encoding, capitals: capitals, guessCapitals: false)
    }

    /// A cell's text typed in runs of fonts (`font` nil: not a legacy font, kept as it is): each
    /// run converted by its own font, as Unicode NFC; the encodings met are added to `converted`
    /// (for the reader's one notice). The rich-text readers of .xlsx, .xls and .ods all use it.
    public static func text(ofRuns runs: [(text: String, font: LegacyFont?)],
                            converted: inout Set<LegacyVietnameseEncoding>) -> String {
        var out = ""
        for run in runs {
            if let font = run.font {
                converted.insert(font.encoding)
                out += font.convert(run.text)
            } else {
                out += run.text
            }
        }
        return VietnameseText.nfc(out)
    }

    /// The bytes typed in this font (an Excel 5.0 byte string), as Unicode NFC.
    public func convert(bytes: some Collection<UInt8>) -> String {
        switch encoding {
        case .tcvn3: return VietnameseText.decodeTCVN3(bytes, capitals: capitals, guessCapitals: false)
        case .vni: return VietnameseText.decodeVNI(bytes)
        }
    }
}

public enum VietnameseText {
    // MARK: Fonts

    /// The legacy encoding a font name implies: `.VnTime`, `.VnArialH`… → TCVN3; `VNI-Times`,
    /// `VNI Helve`… → VNI; anything else → nil.
    public static func encoding(ofFont font: String) -> LegacyVietnameseEncoding? {
        let f = font.trimmingSpaces.lowercased()
        if f.hasPrefix(".vn") || f.hasPrefix("vn3") { return .tcvn3 }
        if f.hasPrefix("vni-") || f.hasPrefix("vni ") || f.hasPrefix("vni_") { return .vni }
        return nil
    }

    /// True for the TCVN3 capital fonts (`.VnTimeH`, `.VnArialH`…), which show every letter as a capital.
    public static func isCapitalFont(_ font: String) -> Bool {
        let f = font.trimmingSpaces
        return f.lowercased().hasPrefix(".vn") && f.hasSuffix("H")
    }

    // MARK: Decoding bytes

    /// Decodes bytes (a CSV file, a legacy text) in a legacy encoding to NFC text. Bytes below 0x80
    /// are ASCII. For TCVN3, whose font has no capitals with tones, a letter with a tone is made a
    /// capital when the other letters of its word are capitals ("THèNG" → "THỐNG").
    public static func decode(_ bytes: some Collection<UInt8>, from encoding: LegacyVietnameseEncoding) -> String {
        switch encoding {
        case .tcvn3: return decodeTCVN3(bytes, capitals: false)
        case .vni: return decodeVNI(bytes)
        }
    }

    /// Converts text that a word processor or spreadsheet stored for a run in a legacy font: each
    /// character is the Windows-1252 reading of the byte the user typed (Word and Excel store
    /// `.VnTime` text that way), so it is mapped back to that byte and decoded. Characters outside
    /// Windows-1252 are kept. `font` selects capitals for the `…H` fonts.
    public static func convertFontText(_ text: String, from encoding: LegacyVietnameseEncoding, font: String? = nil) -> String {
        convertFontText(text, from: encoding, capitals: font.map(isCapitalFont) ?? false)
    }

    /// As `convertFontText(_:from:font:)`, with the capitals-only choice given directly. Without
    /// `guessCapitals`, TCVN3 letters with tones stay as the font shows them (lower case).
    public static func convertFontText(_ text: String, from encoding: LegacyVietnameseEncoding, capitals: Bool,
                                       guessCapitals: Bool = true) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var out = ""
        func flush() {
            guard !bytes.isEmpty else { return }
            switch encoding {
            case .tcvn3: out += decodeTCVN3(bytes, capitals: capitals, guessCapitals: guessCapitals)
            case .vni: out += decodeVNI(bytes)
            }
            bytes.removeAll(keepingCapacity: true)
        }
        for scalar in text.unicodeScalars {
            if let b = Windows1252.byte(for: scalar) {
                bytes.append(b)
            } else {
                flush()
                out.unicodeScalars.append(scalar)
            }
        }
        flush()
        return nfc(out)
    }

    /// Bytes read as Windows-1252 (the bytes it leaves undefined as the C1 controls).
    public static func windows1252(_ bytes: some Collection<UInt8>) -> String {
        var out = String.UnicodeScalarView()
        for b in bytes { out.append(Windows1252.scalar(for: b)) }
        return String(out)
    }

    // MARK: Detecting

    /// Which legacy encoding bytes that are not UTF-8 are in: TCVN3, VNI, or nil for neither (then
    /// Windows-1258 is the best guess). Decided by character statistics: each reading is scored by
    /// the characters it produces that Vietnamese text does not use, and a legacy reading wins
    /// only when it reads with fewer such characters than Windows-1258 and holds Vietnamese letters.
    public static func detect(bytes: [UInt8], windows1258: String?) -> LegacyVietnameseEncoding? {
        guard bytes.contains(where: { $0 >= 0x80 }) else { return nil }
        let tcvn = decodeTCVN3(bytes, capitals: false)
        let vni = decodeVNI(bytes)
        let scores = [
            (LegacyVietnameseEncoding?.none, windows1258.map(Self.score) ?? Score(foreign: .max, vietnamese: 0)),
            (.some(.tcvn3), score(tcvn)),
            (.some(.vni), score(vni)),
        ]
        let best = scores.min { a, b in
            a.1.foreign != b.1.foreign ? a.1.foreign < b.1.foreign : a.1.vietnamese > b.1.vietnamese
        }!
        guard let encoding = best.0, best.1.vietnamese > 0 else { return nil }
        // Only when it reads with fewer foreign characters than Windows-1258 (text that reads
        // cleanly as Windows-1258 stays Windows-1258).
        let cp = scores[0].1
        if cp.foreign != .max && best.1.foreign >= cp.foreign { return nil }
        return encoding
    }

    /// Which legacy encoding text read through Windows-1252 (a cell whose font is unknown) is in,
    /// by the same statistics; nil when the text reads as it is.
    public static func detect(fontText text: String) -> LegacyVietnameseEncoding? {
        // Most Unicode Vietnamese holds a letter that Windows-1252 lacks (ă đ ĩ ũ ơ ư, ạ…ỹ); the loop
        // below would give up at it, a byte scan finds it sooner (read on every text cell of a workbook).
        if Windows1252.surelyLacks(text) { return nil }
        // Text that reads as it is with fewer than two foreign characters is kept whatever the
        // readings below would say (the last test): most text cells (`Có`, `Ghi chú`) stop here.
        let asIs = score(text)
        guard asIs.foreign >= 2 else { return nil }
        var bytes: [UInt8] = []
        for s in text.unicodeScalars {
            guard let b = Windows1252.byte(for: s) else { return nil }
            bytes.append(b)
        }
        guard bytes.contains(where: { $0 >= 0x80 }) else { return nil }
        let candidates: [(LegacyVietnameseEncoding, Score)] = [(.tcvn3, score(decodeTCVN3(bytes, capitals: false))),
                                                              (.vni, score(decodeVNI(bytes)))]
        let best = candidates.min { a, b in
            a.1.foreign != b.1.foreign ? a.1.foreign < b.1.foreign : a.1.vietnamese > b.1.vietnamese
        }!
        guard best.1.vietnamese > 0, best.1.foreign * 2 < max(asIs.foreign, 1) else { return nil }
        return best.0
    }

    struct Score {
        /// Characters Vietnamese text does not hold (symbols, foreign letters, stray marks).
        var foreign: Int
        /// Vietnamese letters beyond ASCII.
        var vietnamese: Int
    }

    static func score(_ text: String) -> Score {
        var s = Score(foreign: 0, vietnamese: 0)
        for scalar in text.unicodeScalars where scalar.value >= 0x80 {
            if vietnameseLetters.contains(scalar.value) { s.vietnamese += 1 }
            else if !commonPunctuation.contains(scalar.value) { s.foreign += 1 }
        }
        return s
    }

    /// Every Vietnamese letter beyond ASCII (precomposed, both cases).
    static let vietnameseLetters: Set<UInt32> = {
        var set = Set<UInt32>()
        for letter in alphabet where !letter.utf8.allSatisfy({ $0 < 0x80 }) {
            for s in letter.unicodeScalars { set.insert(s.value) }
            for s in letter.uppercased().unicodeScalars { set.insert(s.value) }
        }
        return set
    }()

    /// Punctuation and signs that office text uses besides ASCII.
    static let commonPunctuation: Set<UInt32> = [
        0xA0, 0xB0, 0xB7, 0xAB, 0xBB, 0xD7, 0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026, 0x2022, 0x20AC,
    ]

    /// The Vietnamese alphabet's lower-case letters with every tone (NFC): the 12 vowels × 6 tones,
    /// and đ.
    public static let alphabet: [String] = {
        let vowels = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"]
        let tones = ["", "\u{300}", "\u{301}", "\u{309}", "\u{303}", "\u{323}"]
        var out: [String] = []
        for v in vowels { for t in tones { out.append(nfc(v + t)) } }
        out.append("đ")
        return out
    }()

    // MARK: TCVN3

    /// TCVN3 (VN3) byte → letter, lower case; the base capitals at 0xA1–0xA7.
    static let tcvn3Letters: [UInt8: String] = {
        var m: [UInt8: String] = [
            0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
            0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
        ]
        // Per vowel, the codes of its tones in the order huyền, sắc, hỏi, ngã, nặng.
        let rows: [(String, [UInt8])] = [
            ("a", [0xB5, 0xB8, 0xB6, 0xB7, 0xB9]),
            ("ă", [0xBB, 0xBE, 0xBC, 0xBD, 0xC6]),
            ("â", [0xC7, 0xCA, 0xC8, 0xC9, 0xCB]),
            ("e", [0xCC, 0xD0, 0xCE, 0xCF, 0xD1]),
            ("ê", [0xD2, 0xD5, 0xD3, 0xD4, 0xD6]),
            ("i", [0xD7, 0xDD, 0xD8, 0xDC, 0xDE]),
            ("o", [0xDF, 0xE3, 0xE1, 0xE2, 0xE4]),
            ("ô", [0xE5, 0xE8, 0xE6, 0xE7, 0xE9]),
            ("ơ", [0xEA, 0xED, 0xEB, 0xEC, 0xEE]),
            ("u", [0xEF, 0xF3, 0xF1, 0xF2, 0xF4]),
            ("ư", [0xF5, 0xF8, 0xF6, 0xF7, 0xF9]),
            ("y", [0xFA, 0xFD, 0xFB, 0xFC, 0xFE]),
        ]
        let tones = ["\u{300}", "\u{301}", "\u{309}", "\u{303}", "\u{323}"]
        for (vowel, codes) in rows {
            for (code, tone) in zip(codes, tones) { m[code] = nfc(vowel + tone) }
        }
        // VN1's combining tone marks (0xB0–0xB4), used by some converters after a vowel.
        m[0xB0] = "\u{300}"; m[0xB1] = "\u{309}"; m[0xB2] = "\u{303}"; m[0xB3] = "\u{301}"; m[0xB4] = "\u{323}"
        return m
    }()

    /// Letter → TCVN3 byte (lower case and the base capitals), for encoding.
    static let tcvn3Codes: [String: UInt8] = {
        var m: [String: UInt8] = [:]
        for (code, letter) in tcvn3Letters where code < 0xB0 || code > 0xB4 { m[letter] = code }
        return m
    }()

    private struct Word { var pieces: [String] = []; var upper = 0; var lower = 0; var toned = false }
    private enum Piece { case word(Word), other(String) }

    static func decodeTCVN3(_ bytes: some Collection<UInt8>, capitals: Bool, guessCapitals: Bool = true) -> String {
        // Words are decoded first, then letters with tones are made capitals in words typed in
        // capitals: two or more capitals and no lower-case letter, or one capital beside such a word
        // ("SỐ LIỆU", but "Số liệu").
        var pieces: [Piece] = []
        var word = Word()
        func endWord() {
            if !word.pieces.isEmpty { pieces.append(.word(word)) }
            word = Word()
        }
        for b in bytes {
            if b < 0x80 {
                let c = Character(Unicode.Scalar(b))
                if c.isLetter {
                    if c.isUppercase { word.upper += 1 } else { word.lower += 1 }
                    word.pieces.append(String(c))
                } else {
                    endWord()
                    pieces.append(.other(String(c)))
                }
            } else if let letter = tcvn3Letters[b] {
                if b >= 0xA1 && b <= 0xA7 { word.upper += 1 }
                else if b >= 0xB0 && b <= 0xB4 {}
                else { word.toned = true }
                word.pieces.append(letter)
            } else {
                endWord()
                pieces.append(.other(String(Character(Windows1252.scalar(for: b)))))
            }
        }
        endWord()
        func isCapitalWord(_ w: Word) -> Bool { w.upper >= 2 && w.lower == 0 }
        let words: [Int] = pieces.indices.filter { if case .word = pieces[$0] { return true } else { return false } }
        var out = ""
        var k = 0
        for piece in pieces {
            switch piece {
            case .other(let text):
                out += text
            case .word(let w):
                var upper = capitals
                if !upper && guessCapitals && w.toned && w.lower == 0 && w.upper >= 1 {
                    if isCapitalWord(w) { upper = true }
                    else {
                        for n in [k - 1, k + 1] where n >= 0 && n < words.count {
                            if case .word(let other) = pieces[words[n]], isCapitalWord(other) { upper = true }
                        }
                    }
                }
                for p in w.pieces { out += upper ? p.uppercased() : p }
                k += 1
            }
        }
        return nfc(out)
    }

    /// Encodes NFC text as TCVN3 bytes (capitals with tones as their lower-case codes, as typed in
    /// the `…H` fonts). Characters TCVN3 cannot hold are nil.
    public static func encodeTCVN3(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        for ch in nfc(text) {
            let s = String(ch)
            if ch.isASCII, let a = ch.asciiValue { out.append(a); continue }
            if let code = tcvn3Codes[s] ?? tcvn3Codes[s.lowercased()] { out.append(code); continue }
            return nil
        }
        return out
    }

    // MARK: VNI

    /// VNI marks after a base letter: byte → combining marks (vowel mark first, then tone).
    static let vniMarks: [UInt8: [UInt32]] = {
        var m: [UInt8: [UInt32]] = [:]
        let table: [(UInt8, [UInt32])] = [
            // tone only
            (0xF8, [0x300]), (0xF9, [0x301]), (0xFB, [0x309]), (0xF5, [0x303]), (0xEF, [0x323]),
            // circumflex, and circumflex with a tone
            (0xE2, [0x302]), (0xE0, [0x302, 0x300]), (0xE1, [0x302, 0x301]), (0xE5, [0x302, 0x309]),
            (0xE3, [0x302, 0x303]), (0xE4, [0x302, 0x323]),
            // breve, and breve with a tone
            (0xEA, [0x306]), (0xE8, [0x306, 0x300]), (0xE9, [0x306, 0x301]), (0xFA, [0x306, 0x309]),
            (0xFC, [0x306, 0x303]), (0xEB, [0x306, 0x323]),
        ]
        for (lower, marks) in table {
            m[lower] = marks
            m[lower - 0x20] = marks  // the capital form of the mark byte
        }
        return m
    }()

    /// VNI bytes that are letters by themselves.
    static let vniLetters: [UInt8: String] = [
        0xF4: "ơ", 0xD4: "Ơ", 0xF6: "ư", 0xD6: "Ư", 0xF1: "đ", 0xD1: "Đ",
        0xEC: "ì", 0xCC: "Ì", 0xED: "í", 0xCD: "Í", 0xE6: "ỉ", 0xC6: "Ỉ", 0xF3: "ĩ", 0xD3: "Ĩ", 0xF2: "ị", 0xD2: "Ị",
        0xEE: "ỵ", 0xCE: "Ỵ",
    ]

    static func isVNIBase(_ c: UInt8) -> Bool {
        switch c | 0x20 {
        case UInt8(ascii: "a"), UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "o"), UInt8(ascii: "u"), UInt8(ascii: "y"):
            return true
        default: return false
        }
    }

    static func decodeVNI(_ bytes: some Collection<UInt8>) -> String {
        var out = String.UnicodeScalarView()
        // Whether the previous output can take marks: a vowel, or ơ/ư (which take tones only).
        var previous: UInt8? = nil
        var previousHorn = false
        for b in bytes {
            if b < 0x80 {
                out.append(Unicode.Scalar(b))
                previous = isVNIBase(b) ? b : nil
                previousHorn = false
                continue
            }
            if let marks = vniMarks[b], previous != nil || previousHorn {
                // ơ/ư take a tone only; a circumflex/breve after them is not VNI.
                if previousHorn && marks.count == 1 && (marks[0] == 0x302 || marks[0] == 0x306) {
                    out.append(Windows1252.scalar(for: b))
                } else {
                    for m in marks { out.append(Unicode.Scalar(m)!) }
                }
                previous = nil
                previousHorn = false
                continue
            }
            if let letter = vniLetters[b] {
                out.append(contentsOf: letter.unicodeScalars)
                previousHorn = b == 0xF4 || b == 0xD4 || b == 0xF6 || b == 0xD6
                previous = nil
                continue
            }
            out.append(Windows1252.scalar(for: b))
            previous = nil
            previousHorn = false
        }
        return nfc(String(out))
    }

    /// Encodes NFC text as VNI bytes; nil when a character has no VNI form.
    public static func encodeVNI(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        for ch in nfc(text) {
            if let a = ch.asciiValue { out.append(a); continue }
            guard let bytes = vniBytes(ch) else { return nil }
            out += bytes
        }
        return out
    }

    static func vniBytes(_ ch: Character) -> [UInt8]? {
        let upper = ch.isUppercase
        let decomposed = String(ch).decomposedStringWithCanonicalMapping.unicodeScalars.map(\.value)
        guard let baseValue = decomposed.first, baseValue < 0x80 || baseValue == 0x111 || baseValue == 0x110 else { return nil }
        if baseValue == 0x111 { return [0xF1] }
        if baseValue == 0x110 { return [0xD1] }
        let base = UInt8(baseValue)
        var vowelMark: UInt32? = nil, tone: UInt32? = nil
        for m in decomposed.dropFirst() {
            switch m {
            case 0x302, 0x306, 0x31B: if vowelMark != nil { return nil }; vowelMark = m
            case 0x300, 0x301, 0x309, 0x303, 0x323: if tone != nil { return nil }; tone = m
            default: return nil
            }
        }
        let lowerBase = base | 0x20
        func cased(_ b: UInt8) -> UInt8 { upper ? b - 0x20 : b }
        let toneByte: [UInt32: UInt8] = [0x300: 0xF8, 0x301: 0xF9, 0x309: 0xFB, 0x303: 0xF5, 0x323: 0xEF]
        if vowelMark == 0x31B {
            // ơ, ư: a letter byte, then the tone.
            guard lowerBase == UInt8(ascii: "o") || lowerBase == UInt8(ascii: "u") else { return nil }
            let letter: UInt8 = cased(lowerBase == UInt8(ascii: "o") ? 0xF4 : 0xF6)
            return [letter] + (tone.map { [cased(toneByte[$0]!)] } ?? [])
        }
        if lowerBase == UInt8(ascii: "i"), vowelMark == nil, let tone {
            let single: [UInt32: UInt8] = [0x300: 0xEC, 0x301: 0xED, 0x309: 0xE6, 0x303: 0xF3, 0x323: 0xF2]
            return [cased(single[tone]!)]
        }
        if lowerBase == UInt8(ascii: "y"), vowelMark == nil, tone == 0x323 { return [cased(0xEE)] }
        if let mark = vowelMark {
            let table: [UInt32: [UInt32?: UInt8]] = [
                0x302: [nil: 0xE2, 0x300: 0xE0, 0x301: 0xE1, 0x309: 0xE5, 0x303: 0xE3, 0x323: 0xE4],
                0x306: [nil: 0xEA, 0x300: 0xE8, 0x301: 0xE9, 0x309: 0xFA, 0x303: 0xFC, 0x323: 0xEB],
            ]
            guard let byte = table[mark]?[tone] else { return nil }
            return [base, cased(byte)]
        }
        guard let tone, let t = toneByte[tone] else { return nil }
        return [base, cased(t)]
    }

    // MARK: Helpers

    static func nfc(_ s: String) -> String { s.precomposedStringWithCanonicalMapping }
}

/// Windows-1252, the code page Word and Excel read legacy-font text through.
enum Windows1252 {
    static let high: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]
    static let reverse: [UInt32: UInt8] = {
        var m: [UInt32: UInt8] = [:]
        for (i, v) in high.enumerated() { m[v] = UInt8(0x80 + i) }
        return m
    }()

    static func scalar(for byte: UInt8) -> Unicode.Scalar {
        if byte >= 0x80 && byte < 0xA0 { return Unicode.Scalar(high[Int(byte - 0x80)])! }
        return Unicode.Scalar(byte)
    }

    /// True when the UTF-8 of `text` holds a lead byte of a range Windows-1252 has no character
    /// in: C4 (U+0100–U+013F: ă đ ĩ), E1 (U+1000–U+1FFF: ạ…ỹ) or E3–F4 (U+3000 and beyond). A
    /// false answer says nothing (the scalar-by-scalar test decides).
    static func surelyLacks(_ text: String) -> Bool {
        if let found = text.utf8.withContiguousStorageIfAvailable({ bytes in
            bytes.contains { $0 == 0xC4 || $0 == 0xE1 || $0 >= 0xE3 }
        }) { return found }
        return text.utf8.contains { $0 == 0xC4 || $0 == 0xE1 || $0 >= 0xE3 }
    }

    static func byte(for scalar: Unicode.Scalar) -> UInt8? {
        let v = scalar.value
        if v < 0x80 || (v >= 0xA0 && v <= 0xFF) { return UInt8(v) }
        return reverse[v]
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
