import AppendixModel
import Foundation
import Support

/// A number found in the narrative, where it stands and what surrounds it.
public struct TextNumber: Sendable, Hashable {
    /// The paragraph's number in the document.
    public var paragraph: Int
    /// The whole sentence, as printed.
    public var sentence: String
    /// The number as printed (`1.010`, `8,25`).
    public var raw: String
    public var value: ExactDecimal
    /// Decimals as printed.
    public var decimals: Int
    public var isPercent: Bool
    /// The unit printed right after it (`hồ sơ`, `triệu đồng`), as printed.
    public var unit: String?
    /// The unit named earlier in its clause when none follows it (`hồ sơ tiếp nhận … là 202`).
    public var inferredUnit: String?
    /// Part of `A/B`: `.numerator` for A, `.denominator` for B.
    public var fractionRole: FractionRole?
    /// The administrative level the sentence speaks of at this number (`huyện`, `xã`, `tỉnh`).
    public var level: String?
    /// Comes after `trong đó` in its sentence (a breakdown of what precedes).
    public var afterTrongDo: Bool
    /// `trong đó` follows it in its sentence (it is a total being broken down).
    public var beforeTrongDo: Bool
    /// Stated as an aim (`đảm bảo 100%`, `phấn đấu`), not as a result.
    public var isTarget: Bool

    public enum FractionRole: String, Sendable, Hashable { case numerator, denominator }

    /// `8,25%`, `1.010 hồ sơ`.
    public var printed: String {
        var s = raw
        if isPercent { s += "%" }
        if let unit { s += " " + unit }
        return s
    }

    // Matching context (not public: explained through `Link`).
    var unitKey: String?
    /// Followed by a noun that is no unit of the form (`07 hình thức`, `32/56 nội dung`): it counts something else.
    var foreignUnit = false
    /// The level was named in the number's own clause.
    var levelNear = false
    var inferredUnitKey: String?
    /// Syllables right after a percentage (what it counts: `100% các cơ quan` → `cơ quan`), nil when
    /// it is followed by a comparison (`so với kế hoạch`) or nothing.
    var countedWords: [String]?
    var near = WordSet()
    var far = WordSet()
    /// Index of the sentence in the whole narrative, and of the number in it.
    var sentenceIndex = 0
    var order = 0
    /// The other part of the fraction it belongs to (index into the number list).
    var partner: Int?
}

/// Reads the numbers of a narrative: sentences, clauses, units, levels.
struct NumberFinder {
    /// Unit phrases (lower-cased syllables) → the printed unit keys of the form they stand for.
    let units: [[String]: String]
    let maxUnitLength: Int

    static let timeWords: Set<String> = ["tháng", "năm", "ngày", "quý", "giờ", "tuần", "kỳ", "khóa", "khoá", "số", "đoạn", "lần", "thứ", "độ"]
    static let targetWords: [[String]] = [["đảm", "bảo"], ["phấn", "đấu"], ["mục", "tiêu"], ["chỉ", "tiêu"], ["bảo", "đảm"]]
    static let levelWords: [String: String] = ["huyện": "huyện", "xã": "xã", "tỉnh": "tỉnh", "quận": "huyện", "phường": "xã"]

    init(unitTexts: [String]) {
        var map: [[String]: String] = [:]
        for u in unitTexts {
            let key = Self.unitKey(u)
            for alt in u.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "/" }) {
                let syl = Tokenizer.tokens(String(alt)).filter { $0.kind == .word }.map(\.lower)
                if !syl.isEmpty && map[syl] == nil { map[syl] = key }
            }
        }
        units = map
        maxUnitLength = map.keys.map(\.count).max() ?? 1
    }

    static func unitKey(_ unit: String) -> String {
        Tokenizer.tokens(unit).filter { $0.kind == .word }.map(\.lower).joined(separator: " ")
    }

    /// The longest unit phrase starting at token `i` (words only); returns its printed text, key and length.
    func unit(at i: Int, in s: [Token]) -> (text: String, key: String, length: Int)? {
        var best: (String, String, Int)?
        var words: [String] = []
        var j = i
        while j < s.count, s[j].isWord, words.count < maxUnitLength {
            words.append(s[j].lower)
            if let key = units[words] { best = (s[i...j].map(\.text).joined(separator: " "), key, j - i + 1) }
            j += 1
        }
        guard let b = best else { return nil }
        // `thủ tục hành chính` names procedures, it is not the unit of the number before it.
        if b.2 + i + 1 < s.count, s[i + b.2].lower == "hành", s[i + b.2 + 1].lower == "chính", b.2 == 2,
           i > 0, s[i - 1].kind != .number { return nil }
        return b
    }

    func find(_ narrative: Narrative) -> [TextNumber] {
        var out: [TextNumber] = []
        var sentenceCounter = 0
        var leadIn = WordSet()
        var previousEndedWithColon = false
        var trongDoParagraph = false
        for paragraph in narrative.paragraphs {
            let tokens = Tokenizer.tokens(paragraph.text)
            let sentences = Tokenizer.sentences(tokens)
            // The paragraph before, when it ends with `:`, introduces this one.
            let context = previousEndedWithColon ? leadIn : WordSet()
            let breakdown = trongDoParagraph
            // The level a paragraph names, when it names only one (`+ Cấp xã: …`), holds for its sentences.
            var paragraphLevel: String?
            var named = Set<String>()
            for i in 0..<max(0, tokens.count - 1) where tokens[i].lower == "cấp" {
                if let l = Self.levelWords[tokens[i + 1].lower] { named.insert(l) }
            }
            if named.count == 1 { paragraphLevel = named.first }
            for (si, range) in sentences.enumerated() {
                let s = Array(tokens[range])
                let sentenceText = Self.text(of: s)
                sentenceCounter += 1
                let found = numbers(in: s, paragraph: paragraph.number, sentence: sentenceText, firstOfParagraph: si == 0,
                                    paragraphLevel: paragraphLevel, leadIn: context, breakdown: breakdown)
                let base = out.count
                for var n in found {
                    n.sentenceIndex = sentenceCounter
                    if let p = n.partner { n.partner = base + p }
                    out.append(n)
                }
            }
            let last = tokens.last(where: { $0.kind != .punct || $0.text == ":" })
            previousEndedWithColon = last?.text == ":" || tokens.last?.text == ":"
            leadIn = WordSet(text: paragraph.text)
            let lower = paragraph.text.lowercased().trimmingCharacters(in: .whitespaces)
            trongDoParagraph = lower.hasPrefix("trong đó") && lower.count <= 12 ? true : (trongDoParagraph && lower.hasPrefix("-"))
        }
        return out
    }

    static func text(of s: [Token]) -> String {
        var out = ""
        for (i, t) in s.enumerated() {
            if i > 0 && t.spaceBefore { out += " " }
            out += t.text
        }
        return out
    }

    /// The level named nearest before token `k` (`cấp xã`), or nil; `cấp huyện, xã` and
    /// `cấp huyện và cấp xã` name two levels: nil.
    static func level(before k: Int, in s: [Token]) -> (level: String?, found: Bool, at: Int) {
        var i = k - 1
        while i >= 0 {
            if s[i].lower == "cấp", i + 1 < s.count, let l = levelWords[s[i + 1].lower] {
                var j = i + 2
                if j < s.count, s[j].isPunct(",") || s[j].lower == "và" {
                    j += 1
                    if j < s.count, s[j].lower == "cấp" { j += 1 }
                    if j < s.count, levelWords[s[j].lower] != nil { return (nil, true, i) }
                }
                return (l, true, i)
            }
            i -= 1
        }
        return (nil, false, -1)
    }

    func numbers(in s: [Token], paragraph: Int, sentence: String, firstOfParagraph: Bool,
                 paragraphLevel: String?, leadIn: WordSet, breakdown: Bool) -> [TextNumber] {
        var result: [TextNumber] = []
        var skip = Set<Int>()
        /// Single numbers left out after a word such as `mức độ`: a list may follow (`3, 4`).
        var listed = Set<Int>()
        // Clause boundaries: `,` `:` `;` `(` `)`; segments: `;`.
        func clause(_ k: Int) -> Range<Int> {
            var a = k, b = k
            while a > 0, !Self.isClauseBreak(s[a - 1]) { a -= 1 }
            while b + 1 < s.count, !Self.isClauseBreak(s[b + 1]) { b += 1 }
            return a..<(b + 1)
        }
        func segmentStart(_ k: Int) -> Int {
            var a = k
            while a > 0, !s[a - 1].isPunct(";") { a -= 1 }
            return a
        }
        let trongDoAt: Int? = {
            for i in 0..<max(0, s.count - 1) where s[i].lower == "trong" && s[i + 1].lower == "đó" { return i }
            return nil
        }()
        let firstContent = s.firstIndex { !($0.kind == .punct) }

        var k = 0
        var order = 0
        while k < s.count {
            defer { k += 1 }
            guard s[k].kind == .number, !skip.contains(k) else { continue }
            // A heading number (`4.7.`, `2)`) at the head of the paragraph.
            if firstOfParagraph, k == firstContent, k + 1 < s.count, s[k + 1].isPunct(".") || s[k + 1].isPunct(")") { continue }
            if firstOfParagraph, k == firstContent, s[k].text.contains("."), !s[k].text.contains(",") { continue }
            // Slash chains: `15/KH-UBND`, `61/2018/NĐ-CP` (documents), `09/3/2023` (dates), `32/56` (a fraction).
            var chain = [k]
            var hasWord = false
            var j = k
            while j + 2 < s.count + 1, j + 1 < s.count, s[j + 1].isPunct("/"), !s[j + 1].spaceBefore,
                  j + 2 < s.count, !s[j + 2].spaceBefore {
                if s[j + 2].kind == .number { chain.append(j + 2) } else { hasWord = true }
                j += 2
                if s[j].kind != .number { break }
            }
            // Attached to a code before it (`I/2023`) or a range (`2019-2023`, `…2022-08/3/2023`).
            if k >= 1, s[k - 1].isPunct("/") || s[k - 1].isPunct("-") || s[k - 1].isPunct("–"), !s[k].spaceBefore { continue }
            if let last = chain.last, last + 2 < s.count, s[last + 1].isPunct("-") || s[last + 1].isPunct("–"),
               !s[last + 1].spaceBefore, s[last + 2].kind == .number {
                for c in chain { skip.insert(c) }
                continue
            }
            let previousWord = k >= 1 && s[k - 1].isWord ? s[k - 1].lower : nil
            // `mức độ 3, 4`: the list goes on from a number left out.
            if k >= 2, s[k - 1].isPunct(","), listed.contains(k - 2) { listed.insert(k); continue }
            if hasWord || chain.count >= 3 {
                for c in chain { skip.insert(c) }
                continue
            }
            if let p = previousWord, Self.timeWords.contains(p) {
                for c in chain { skip.insert(c) }
                if chain.count == 1 { listed.insert(k) }
                continue
            }
            if chain.count == 1, k + 1 < s.count, s[k + 1].isWord, Self.timeWords.contains(s[k + 1].lower), s[k + 1].lower != "số" {
                continue
            }
            // The number itself, its percent sign and unit.
            func reading(_ i: Int) -> (NumberReading, Bool, (String, String, Int)?, Int)? {
                var end = i
                var percent = false
                if i + 1 < s.count, s[i + 1].isPunct("%") { percent = true; end = i + 1 }
                let raw = s[i].text + (percent ? "%" : "")
                guard let r = NumberParser.classify(raw).reading(in: .vi) else { return nil }
                var u: (String, String, Int)?
                if !percent, end + 1 < s.count, let found = unit(at: end + 1, in: s) {
                    u = found
                    end += found.2
                }
                return (r, percent, u, end)
            }
            guard let first = reading(k) else { continue }
            var parts: [(index: Int, reading: NumberReading, percent: Bool, unit: (String, String, Int)?)] =
                [(k, first.0, first.1, first.2)]
            // `A/B` (fraction), also with units on both sides: `2.304,717 triệu đồng/28.000 triệu đồng`.
            var afterEnd = first.3
            if chain.count == 2 {
                if let second = reading(chain[1]) {
                    parts.append((chain[1], second.0, second.1, second.2))
                    skip.insert(chain[1])
                    afterEnd = second.3
                    // The unit after B stands for A too (`258/1568 hồ sơ`).
                    if parts[0].unit == nil { parts[0].unit = second.2 }
                }
            } else if first.3 + 2 < s.count, s[first.3 + 1].isPunct("/"), s[first.3 + 2].kind == .number, first.2 != nil,
                      let second = reading(first.3 + 2) {
                parts.append((first.3 + 2, second.0, second.1, second.2))
                skip.insert(first.3 + 2)
                afterEnd = second.3
            }
            _ = afterEnd
            var cl = clause(k)
            // `Label: 136.284` — the words naming the number stand in the clause before it.
            if !s[cl.lowerBound..<k].contains(where: \.isWord), cl.lowerBound >= 2 {
                cl = clause(cl.lowerBound - 2).lowerBound..<cl.upperBound
            }
            let segStart = segmentStart(k)
            var nearTokens = s[cl].map(\.text).joined(separator: " ")
            // After `trong đó`, what precedes it is the whole this number is part of.
            if let t = trongDoAt, t < k { nearTokens = s[0..<t].map(\.text).joined(separator: " ") + " " + nearTokens }
            _ = segStart
            var far = WordSet(text: s[0..<cl.lowerBound].map(\.text).joined(separator: " "))
            far.formUnion(leadIn)
            // The unit named earlier in the clause, when none follows the number.
            var inferred: String?
            var inferredKey: String?
            var i = cl.lowerBound
            while i < k {
                if s[i].isWord, let u = unit(at: i, in: s) { inferred = u.0; inferredKey = u.1; break }
                i += 1
            }
            // Aims (`đảm bảo 100% …`) are not results.
            let clauseWords = s[cl.lowerBound..<k].filter(\.isWord).map(\.lower)
            var isTarget = false
            for w in Self.targetWords {
                for x in 0..<max(0, clauseWords.count - w.count + 1) where Array(clauseWords[x..<(x + w.count)]) == w { isTarget = true }
            }
            let lv = Self.level(before: k, in: s)
            let level = lv.found ? lv.level : paragraphLevel
            let levelNear = lv.found && lv.at >= cl.lowerBound
            let base = order
            for (pi, p) in parts.enumerated() {
                var n = TextNumber(
                    paragraph: paragraph, sentence: sentence, raw: s[p.index].text, value: p.reading.value,
                    decimals: p.reading.decimals, isPercent: p.percent, unit: p.unit?.0,
                    inferredUnit: p.unit == nil && !p.percent ? inferred : nil,
                    fractionRole: parts.count == 2 ? (pi == 0 ? .numerator : .denominator) : nil,
                    level: level, afterTrongDo: breakdown || (trongDoAt.map { $0 < k } ?? false),
                    beforeTrongDo: trongDoAt.map { $0 > k } ?? false, isTarget: isTarget)
                n.near = WordSet(text: nearTokens)
                n.unitKey = p.unit?.1
                n.levelNear = levelNear
                n.foreignUnit = p.unit == nil && !p.percent && foreign(after: p.index, in: s)
                if n.inferredUnit != nil { n.inferredUnitKey = inferredKey }
                if p.percent { n.countedWords = Self.counted(after: p.index + 1, in: s) }
                n.far = far
                n.order = base + pi
                if parts.count == 2 { n.partner = base + (1 - pi) }
                result.append(n)
            }
            order += parts.count
        }
        return result
    }

    /// Words that may follow a number without naming what it counts.
    static let connecting: Set<String> = ["và", "là", "của", "trong", "đến", "so", "với", "đã", "được", "thì", "đạt",
                                          "trên", "tại", "theo", "người", "hoặc", "cho", "trở", "chiếm", "bằng", "tăng", "giảm"]

    /// A noun right after the number (`07 hình thức`) that is no unit of the form: it counts something else.
    func foreign(after i: Int, in s: [Token]) -> Bool {
        var j = i + 1
        if j < s.count, s[j].isPunct("/"), j + 1 < s.count, s[j + 1].kind == .number { j += 2 }
        guard j < s.count, s[j].isWord, s[j].spaceBefore else { return false }
        if Self.connecting.contains(s[j].lower) { return false }
        return unit(at: j, in: s) == nil
    }

    static let notCounted: Set<String> = ["so", "với", "kh", "kế", "trên", "trở", "tổng", "là", "đã", "được", "và",
                                           "đạt", "của", "trong", "tính", "theo"]

    /// The words after `X%` naming what it counts (`các cơ quan, đơn vị` → `cơ quan`).
    static func counted(after i: Int, in s: [Token]) -> [String]? {
        var j = i + 1
        while j < s.count, s[j].isWord, ["các", "những", "số", "tổng"].contains(s[j].lower) { j += 1 }
        guard j < s.count, s[j].isWord, !notCounted.contains(s[j].lower) else { return nil }
        var words: [String] = []
        while j < s.count, s[j].isWord, words.count < 2 {
            words += WordSet.abbreviations[s[j].lower] ?? [s[j].lower]
            j += 1
        }
        return words
    }

    static func isClauseBreak(_ t: Token) -> Bool {
        t.kind == .punct && [",", ":", ";", "(", ")"].contains(t.text)
    }
}
