import Foundation
import Support

/// A piece of narrative text: a word (one Vietnamese syllable or an abbreviation), a number as
/// printed (`1.010`, `8,25`), or one punctuation character.
struct Token: Sendable, Hashable {
    enum Kind: Sendable, Hashable { case word, number, punct }
    var kind: Kind
    /// As printed.
    var text: String
    /// Lower-cased (words), for matching.
    var lower: String
    /// White space stands between this token and the previous one.
    var spaceBefore: Bool

    func isPunct(_ c: String) -> Bool { kind == .punct && text == c }
    var isWord: Bool { kind == .word }
}

enum Tokenizer {
    static func tokens(_ text: String) -> [Token] {
        var out: [Token] = []
        let chars = Array(text)
        var i = 0
        var space = false
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { space = true; i += 1; continue }
            if c.isASCII && c.isNumber {
                var j = i
                while j < chars.count {
                    let d = chars[j]
                    if d.isASCII && d.isNumber { j += 1; continue }
                    if (d == "." || d == ","), j + 1 < chars.count, chars[j + 1].isASCII, chars[j + 1].isNumber { j += 1; continue }
                    break
                }
                let s = String(chars[i..<j])
                out.append(Token(kind: .number, text: s, lower: s, spaceBefore: space))
                i = j
            } else if c.isLetter {
                var j = i
                while j < chars.count, chars[j].isLetter || (chars[j].isASCII && chars[j].isNumber) { j += 1 }
                let s = String(chars[i..<j])
                out.append(Token(kind: .word, text: s, lower: s.lowercased(), spaceBefore: space))
                i = j
            } else {
                out.append(Token(kind: .punct, text: String(c), lower: String(c), spaceBefore: space))
                i += 1
            }
            space = false
        }
        return out
    }

    /// Splits a paragraph's tokens into sentences: `.`, `!`, `?`, `…` followed by a space or the end.
    /// Numbers keep their inner dots (`1.010`), so a dot here ends a sentence.
    static func sentences(_ tokens: [Token]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start = 0
        for (i, t) in tokens.enumerated() where t.kind == .punct && [".", "!", "?", "…"].contains(t.text) {
            let next = i + 1 < tokens.count ? tokens[i + 1] : nil
            if next == nil || next!.spaceBefore {
                // `4.7.` at the head of a paragraph is a heading number, not a sentence.
                if i + 1 - start >= 1 { out.append(start..<(i + 1)) }
                start = i + 1
            }
        }
        if start < tokens.count { out.append(start..<tokens.count) }
        // A "sentence" longer than any real one (a table pasted as text, a hostile file) is cut in
        // pieces, so that the work per number stays bounded.
        return out.flatMap { r -> [Range<Int>] in
            guard r.count > maxSentenceTokens else { return [r] }
            return stride(from: r.lowerBound, to: r.upperBound, by: maxSentenceTokens).map {
                $0..<min($0 + maxSentenceTokens, r.upperBound)
            }
        }
    }

    static let maxSentenceTokens = 400
}

/// Words as matched: lower-cased syllables with the administration's common abbreviations spelled
/// out, function words dropped; pairs of neighbouring content syllables kept as phrases.
struct WordSet: Sendable, Hashable {
    var unis: Set<String> = []
    var bis: Set<String> = []
    /// Content syllables that stand alone (in no pair): matched on their own.
    var lone: Set<String> = []

    static let abbreviations: [String: [String]] = [
        "tthc": ["thủ", "tục", "hành", "chính"],
        "cchc": ["cải", "cách", "hành", "chính"],
        "vbqppl": ["văn", "bản", "quy", "phạm", "pháp", "luật"],
        "qppl": ["quy", "phạm", "pháp", "luật"],
        "pakn": ["phản", "ánh", "kiến", "nghị"],
        "đvsncl": ["đơn", "vị", "sự", "nghiệp", "công", "lập"],
        "sncl": ["sự", "nghiệp", "công", "lập"],
        "đvsn": ["đơn", "vị", "sự", "nghiệp"],
        "nsnn": ["ngân", "sách", "nhà", "nước"],
        "cntt": ["công", "nghệ", "thông", "tin"],
        "dvc": ["dịch", "vụ", "công"],
        "kh": ["kế", "hoạch"],
        "cbccvc": ["cán", "bộ", "công", "chức", "viên", "chức"],
        "cbccvv": ["cán", "bộ", "công", "chức", "viên", "chức"],
    ]

    /// Function words and words every row and sentence share (they tell nothing apart).
    static let stop: Set<String> = [
        "số", "tổng", "của", "các", "và", "là", "được", "đã", "đang", "tại", "trong", "theo", "cho", "với", "về",
        "đến", "từ", "những", "này", "đó", "hoặc", "cả", "trên", "dưới", "khi", "nhưng", "thì", "do", "bởi", "để",
        "như", "tỷ", "tỉ", "lệ", "phần", "trăm", "lượng", "liệu", "báo", "cáo", "thời", "điểm", "lũy", "ubnd",
        "cấp", "huyện", "xã", "tỉnh", "thị", "trấn", "phường", "quận", "năm", "quý", "tháng", "ngày", "kỳ", "đạt",
        "so", "hiện", "nay", "qua", "vào", "ra", "thuộc", "mới", "cùng", "giữa", "nhà", "nước", "đơn", "vị", "cơ", "quan",
    ]

    /// The syllables of `text` as matched (abbreviations spelled out), in order.
    static func syllables(_ text: String) -> [String] {
        var out: [String] = []
        for t in Tokenizer.tokens(text) where t.kind == .word {
            if let e = abbreviations[t.lower] { out += e } else { out.append(t.lower) }
        }
        return out
    }

    init() {}

    init(syllables: [String], removing removed: Set<String> = []) {
        var previous: String?
        for s in syllables {
            let content = !Self.stop.contains(s) && !removed.contains(s)
            if content {
                unis.insert(s)
                if let p = previous { bis.insert(p + " " + s) }
                previous = s
            } else {
                previous = nil
            }
        }
        var inPairs = Set<String>()
        for b in bis { for w in b.split(separator: " ") { inPairs.insert(String(w)) } }
        lone = unis.subtracting(inPairs)
    }

    init(text: String, removing removed: Set<String> = []) {
        self.init(syllables: Self.syllables(text), removing: removed)
    }

    mutating func formUnion(_ other: WordSet) {
        unis.formUnion(other.unis)
        bis.formUnion(other.bis)
        var inPairs = Set<String>()
        for b in bis { for w in b.split(separator: " ") { inPairs.insert(String(w)) } }
        lone = unis.subtracting(inPairs)
    }
}
