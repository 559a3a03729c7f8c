import Support

/// One paragraph of a report's narrative, numbered as the reader sees it (1-based, in body order).
public struct NarrativeParagraph: Sendable, Hashable {
    /// The paragraph's number in the document body (1-based).
    public var number: Int
    public var text: String
    public init(number: Int, text: String) {
        self.number = number
        self.text = TextNormalization.nfc(text)
    }
}

/// The narrative of a report: its paragraphs in order (tables are not part of it).
public struct Narrative: Sendable {
    public var paragraphs: [NarrativeParagraph]
    public init(paragraphs: [NarrativeParagraph]) { self.paragraphs = paragraphs }

    /// Paragraph texts in order, numbered from 1.
    public init(texts: [String]) {
        self.paragraphs = texts.enumerated().map { NarrativeParagraph(number: $0.offset + 1, text: $0.element) }
    }

    /// Plain text: one paragraph per non-blank line.
    public init(plainText: String) {
        var list: [NarrativeParagraph] = []
        for line in plainText.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { continue }
            list.append(NarrativeParagraph(number: list.count + 1, text: t))
        }
        self.paragraphs = list
    }
}
