import Foundation
import Support

/// Keys for matching row labels as people type them: case, white space, punctuation, NFC/NFD
/// and the old/new tone placement (`Hòa`/`Hoà`, `Ủy`/`Uỷ`) do not matter.
public enum LabelKey {
    private static let toneMarks: [Unicode.Scalar: Character] = [
        "\u{0300}": "2", // huyền
        "\u{0301}": "1", // sắc
        "\u{0309}": "3", // hỏi
        "\u{0303}": "4", // ngã
        "\u{0323}": "5", // nặng
    ]

    /// Punctuation and symbols, trimmed from both ends of each word.
    private static let edgeCharacters = CharacterSet.punctuationCharacters.union(.symbols)
    private static let looseCharacters = CharacterSet.alphanumerics

    /// Keys already made: the same labels and cell texts come back in every unit's file, and
    /// making a key (NFD, NFC, character classes) is the costliest step of reading a table.
    /// Keyed by the exact UTF-8 bytes: String's own hashing normalises (NFC) every time.
    private static let keys = Memo<UTF8Key, String>(limit: 200_000)
    private static let looseKeys = Memo<UTF8Key, String>(limit: 200_000)

    /// The matching key of a label.
    public static func make(_ label: String) -> String {
        keys.value(UTF8Key(label)) { makeUncached(label) }
    }

    static func makeUncached(_ label: String) -> String {
        let text = TextNormalization.collapseWhitespace(TextNormalization.stripMarkup(label))
        // The table lower-cases each scalar itself (String.lowercased is slow on Vietnamese text).
        if let key = ScalarTable.key(of: text) { return key }
        return makeByCharacters(text.lowercased())
    }

    /// The per-character path over `text` (already cleaned and lower-cased).
    static func makeByCharacters(_ text: String) -> String {
        var words: [String] = []
        for word in text.split(separator: " ") {
            var parts: [CharacterParts] = []
            parts.reserveCapacity(word.count)
            var tone: Character?
            for ch in word {
                let p = LabelKey.parts(of: ch)
                if let t = p.tone { tone = t }
                parts.append(p)
            }
            // Punctuation at either end of a word does not matter ("thường xuyên." / "(lũy").
            var slice = parts[...]
            while let f = slice.first, f.isEdge { slice = slice.dropFirst() }
            while let l = slice.last, l.isEdge { slice = slice.dropLast() }
            if slice.isEmpty { continue }
            var w = ""
            for p in slice { w += p.base }
            if let tone { w.append("#"); w.append(tone) }
            words.append(w)
        }
        return words.joined(separator: " ")
    }

    /// The same key made the slow, obvious way (whole words through Foundation's normalisation):
    /// the reference the per-character path is tested against.
    static func makeByWords(_ label: String) -> String {
        let text = TextNormalization.collapseWhitespace(TextNormalization.stripMarkup(label)).lowercased()
        var words: [String] = []
        for word in text.split(separator: " ") {
            var base = String.UnicodeScalarView()
            var tone: Character?
            for scalar in String(word).decomposedStringWithCanonicalMapping.unicodeScalars {
                if let t = toneMarks[scalar] { tone = t } else { base.append(scalar) }
            }
            var scalars = Array(String(base).precomposedStringWithCanonicalMapping.unicodeScalars)[...]
            while let f = scalars.first, edgeCharacters.contains(f) { scalars = scalars.dropFirst() }
            while let l = scalars.last, edgeCharacters.contains(l) { scalars = scalars.dropLast() }
            if scalars.isEmpty { continue }
            var w = String(String.UnicodeScalarView(scalars))
            if let tone { w.append("#"); w.append(tone) }
            words.append(w)
        }
        return words.joined(separator: " ")
    }

    /// One character without its tone mark (NFC), its tone, and whether it is punctuation.
    struct CharacterParts: Sendable {
        var base: String
        var tone: Character?
        var isEdge: Bool
    }

    /// Characters already split: labels use a few hundred distinct characters, and Foundation's
    /// normalisation is slow on whole strings, so each character is decomposed once.
    private static let characterParts = Memo<Character, CharacterParts>(limit: 100_000)

    static func parts(of ch: Character) -> CharacterParts {
        if ch.isASCII {
            let isEdge = ch.unicodeScalars.allSatisfy { LabelKey.edgeCharacters.contains($0) }
            return CharacterParts(base: String(ch), tone: nil, isEdge: isEdge)
        }
        return characterParts.value(ch) {
            var base = String.UnicodeScalarView()
            var tone: Character?
            for scalar in String(ch).decomposedStringWithCanonicalMapping.unicodeScalars {
                if let t = LabelKey.toneMarks[scalar] { tone = t } else { base.append(scalar) }
            }
            let composed = String(base).precomposedStringWithCanonicalMapping
            let isEdge = !composed.isEmpty && composed.unicodeScalars.allSatisfy { LabelKey.edgeCharacters.contains($0) }
            return CharacterParts(base: composed, tone: tone, isEdge: isEdge || composed.isEmpty)
        }
    }

    /// The fast path: when every scalar is below U+0250 or in U+1E00–U+1EFF, each scalar is a
    /// character of its own (none of them extends a grapheme), so the base, tone and punctuation of
    /// each come from `scalarTable` (generated from the Unicode data, checked against Foundation's
    /// normalisation in the tests) and the key is built in bytes, without Foundation.
    enum ScalarTable {
        static func entry(_ v: UInt32) -> UInt32? {
            let i: Int
            if v < 0x250 { i = Int(v) } else if v >= 0x1E00 && v <= 0x1EFF { i = Int(v - 0x1E00) + 0x250 } else { return nil }
            let e = LabelKey.scalarTable[i]
            return e == 0xFFFF_FFFF ? nil : e
        }

        static func appendUTF8(_ v: UInt32, to out: inout [UInt8]) {
            if v < 0x80 {
                out.append(UInt8(v))
            } else if v < 0x800 {
                out.append(UInt8(0xC0 | (v >> 6))); out.append(UInt8(0x80 | (v & 0x3F)))
            } else if v < 0x10000 {
                out.append(UInt8(0xE0 | (v >> 12))); out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
                out.append(UInt8(0x80 | (v & 0x3F)))
            } else {
                out.append(UInt8(0xF0 | (v >> 18))); out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
                out.append(UInt8(0x80 | ((v >> 6) & 0x3F))); out.append(UInt8(0x80 | (v & 0x3F)))
            }
        }

        /// The key of `text` (cleaned, not yet lower-cased), or nil when it holds other scalars.
        static func key(of text: String) -> String? {
            var entries: [UInt32] = []
            entries.reserveCapacity(text.utf8.count)
            for sc in text.unicodeScalars {
                guard let e = entry(sc.value) else { return nil }
                entries.append(e)
            }
            var out: [UInt8] = []
            out.reserveCapacity(text.utf8.count + 8)
            var start = 0
            while start < entries.count {
                var end = start
                while end < entries.count && entries[end] != 0x20 { end += 1 }
                // One word: entries[start..<end]; the tone of any of its characters counts,
                // punctuation and symbols at either end do not.
                var tone: UInt32 = 0
                for k in start..<end {
                    let t = (entries[k] >> 21) & 0xFF
                    if t != 0 { tone = t }
                }
                var lo = start, hi = end
                while lo < hi && entries[lo] & (1 << 29) != 0 { lo += 1 }
                while hi > lo && entries[hi - 1] & (1 << 29) != 0 { hi -= 1 }
                if lo < hi {
                    if !out.isEmpty { out.append(0x20) }
                    for k in lo..<hi { appendUTF8(entries[k] & 0x1F_FFFF, to: &out) }
                    if tone != 0 { out.append(UInt8(ascii: "#")); out.append(UInt8(tone)) }
                }
                start = end + 1
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// A looser key: only letters and digits (with tones), for labels that differ in punctuation inside.
    public static func loose(_ label: String) -> String {
        looseKeys.value(UTF8Key(label)) {
            let key = make(label)
            var out: [UInt8] = []
            out.reserveCapacity(key.utf8.count)
            for c in key.unicodeScalars where isLoose(c) { ScalarTable.appendUTF8(c.value, to: &out) }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Letters, digits and the tone sign `#` (ASCII answered without the character set).
    static func isLoose(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        if v < 0x80 {
            return (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || (v >= 0x30 && v <= 0x39) || v == 0x23
        }
        if v < 0x250 || (v >= 0x1E00 && v <= 0x1EFF) {
            let e = scalarTable[v < 0x250 ? Int(v) : Int(v - 0x1E00) + 0x250]
            if e != 0xFFFF_FFFF { return e & (1 << 30) != 0 }
        }
        return looseCharacters.contains(c)
    }

    /// True when two labels are the same for a person reading them: equal keys, or keys equal in
    /// their letters and digits (`loose`). Equal keys have equal loose keys (the loose key is made
    /// from the key), so the loose keys alone decide: see `sameness`.
    public static func same(_ a: String, _ b: String) -> Bool {
        sameness(a) == sameness(b)
    }

    /// What `same` compares (one key per text: a text compared with many is keyed once).
    public static func sameness(_ label: String) -> String { loose(label) }
}

extension FormRow {
    /// All labels this row answers to.
    public var acceptedLabels: [String] { [label] + variants }

    /// True when `text` names this row.
    public func matchesLabel(_ text: String) -> Bool {
        acceptedLabels.contains { LabelKey.same($0, text) }
    }
}
