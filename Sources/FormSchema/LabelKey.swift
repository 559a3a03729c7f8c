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

    /// Built once: building a CharacterSet union per word dominated matching time.
    private static let edgePunctuation = CharacterSet.punctuationCharacters.union(.symbols)
    private static let looseKept = CharacterSet.alphanumerics

    /// The matching key of a label.
    public static func make(_ label: String) -> String {
        let text = TextNormalization.collapseWhitespace(TextNormalization.stripMarkup(label)).lowercased()
        var words: [String] = []
        for word in text.split(separator: " ") {
            var base = String.UnicodeScalarView()
            var tone: Character?
            for scalar in String(word).decomposedStringWithCanonicalMapping.unicodeScalars {
                if let t = toneMarks[scalar] { tone = t } else { base.append(scalar) }
            }
            var w = String(base).precomposedStringWithCanonicalMapping
            // Punctuation at either end of a word does not matter ("thường xuyên." / "(lũy").
            w = w.trimmingCharacters(in: edgePunctuation)
            if w.isEmpty { continue }
            if let tone { w.append("#"); w.append(tone) }
            words.append(w)
        }
        return words.joined(separator: " ")
    }

    /// A looser key: only letters and digits (with tones), for labels that differ in punctuation inside.
    public static func loose(_ label: String) -> String {
        String(make(label).unicodeScalars.filter { looseKept.contains($0) || $0 == "#" }.map(Character.init))
    }

    /// True when two labels are the same for a person reading them.
    public static func same(_ a: String, _ b: String) -> Bool {
        let ka = make(a), kb = make(b)
        return ka == kb || loose(a) == loose(b)
    }
}

extension FormRow {
    /// All labels this row answers to.
    public var acceptedLabels: [String] { [label] + variants }

    /// True when `text` names this row.
    public func matchesLabel(_ text: String) -> Bool {
        acceptedLabels.contains { LabelKey.same($0, text) }
    }
}
