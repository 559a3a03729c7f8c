import AppendixModel
import FormSchema
import Foundation
import Support

/// How sure a link must be before it is compared (see docs/crosscheck.md).
public struct CrosscheckOptions: Sendable {
    /// The least score of a link.
    public var minimumScore: Int
    /// The least lead of the best row over the next one.
    public var minimumMargin: Int
    public init(minimumScore: Int = 6, minimumMargin: Int = 3) {
        self.minimumScore = minimumScore
        self.minimumMargin = minimumMargin
    }
}

/// A number of the narrative linked to a row of the appendix.
public struct Link: Sendable, Hashable {
    public var number: TextNumber
    public var rowID: String
    public var code: String
    public var label: String
    /// The row's value as printed in the appendix (empty if blank).
    public var rowText: String
    /// The row's value read as a number, if it is one.
    public var rowValue: ExactDecimal?
    /// For a percentage row: the value computed from its numerator and denominator, at the text's precision.
    public var computed: ExactDecimal?
    public var location: SourceLocation?
    public var evidence: LinkEvidence
}

/// A number that was not compared, and why.
public struct UnlinkedNumber: Sendable, Hashable {
    public enum Reason: String, Sendable, Hashable {
        /// No row of the appendix fits its unit, level and words.
        case noRow = "no-row"
        /// Rows fit, but none clearly better than the next.
        case unsure
        /// Linked, but the row is blank in the appendix.
        case blankRow = "blank-row"
        /// An aim (`đảm bảo 100%…`), not a result.
        case target
    }
    public var number: TextNumber
    public var reason: Reason
    /// The best rows considered (code, label, score), best first.
    public var candidates: [(code: String, label: String, score: Int)]

    public static func == (a: UnlinkedNumber, b: UnlinkedNumber) -> Bool {
        a.number == b.number && a.reason == b.reason && a.candidates.map(\.code) == b.candidates.map(\.code)
    }
    public func hash(into h: inout Hasher) { h.combine(number); h.combine(reason) }
}

/// Checks a report's narrative against its own appendix. Rules `text-mismatch` and `text-arithmetic`.
public enum Crosscheck {
    public static func run(narrative: Narrative, appendix: Appendix, file: String? = nil,
                           options: CrosscheckOptions = .init()) -> CrosscheckReport {
        let form = appendix.form
        let finder = NumberFinder(unitTexts: form.rows.filter { $0.kind.isNumeric }.map(\.unit))
        let numbers = finder.find(narrative)
        let index = RowIndex(form: form)
        let scorer = Scorer(index: index, reporterLevel: reporterLevel(appendix: appendix, narrative: narrative))

        var links: [Link] = []
        var unlinked: [UnlinkedNumber] = []
        var arithmetic: [Finding] = []

        var bySentence: [Int: [Int]] = [:]
        var sentenceOrder: [Int] = []
        for (i, n) in numbers.enumerated() {
            if bySentence[n.sentenceIndex] == nil { sentenceOrder.append(n.sentenceIndex) }
            bySentence[n.sentenceIndex, default: []].append(i)
        }

        func top(_ list: [Candidate], _ k: Int = 3) -> [(code: String, label: String, score: Int)] {
            list.prefix(k).map { (index.profiles[$0.profile].code, index.profiles[$0.profile].row.label, $0.score) }
        }

        for si in sentenceOrder {
            let members = bySentence[si]!
            var used = Set<String>()
            var linkedHere: [Int: String] = [:]
            var pending: [Int] = []
            for i in members {
                if numbers[i].isTarget { unlinked.append(UnlinkedNumber(number: numbers[i], reason: .target, candidates: [])) }
                else { pending.append(i) }
            }
            // 1. Percentages.
            let percents = pending.filter { numbers[$0].isPercent }
            greedy(percents, numbers: numbers, scorer: scorer, options: options, used: &used, bonus: [:],
                   linked: &linkedHere, unlinked: &unlinked, top: top)
            // 2. Fractions `A/B`: to a pair of rows (a ratio's parts, or a part and its whole).
            var handled = Set(percents)
            for i in pending where numbers[i].fractionRole == .numerator && !handled.contains(i) {
                guard let j = numbers[i].partner else { continue }
                handled.insert(i); handled.insert(j)
                if let pair = bestPair(numbers[i], numbers[j], scorer: scorer, options: options, used: used) {
                    for (k, id, c) in [(i, pair.part, pair.a), (j, pair.whole, pair.b)] {
                        used.insert(id)
                        linkedHere[k] = id
                        var e = c.evidence
                        e.structure.append("A/B")
                        e.runnerUp = pair.runnerUp
                        links.append(makeLink(numbers[k], profile: index.profiles[index.byID[id]!], evidence: e, appendix: appendix))
                    }
                } else {
                    for k in [i, j] {
                        unlinked.append(UnlinkedNumber(number: numbers[k], reason: .unsure, candidates: []))
                    }
                }
            }
            // 3. The rest, with the parts of a ratio linked in the same sentence preferred.
            var bonus: [String: (Int, String)] = [:]
            for (_, id) in linkedHere {
                if let r = form.row(id), r.kind == .ratio {
                    let code = form.displayCode(of: id)
                    let why = "phần của tỷ lệ \(code) trong cùng câu"
                    if let n = r.numerator { bonus[n] = (4, why) }
                    if let d = r.denominator { bonus[d] = (4, why) }
                }
            }
            let rest = pending.filter { !handled.contains($0) }
            greedy(rest, numbers: numbers, scorer: scorer, options: options, used: &used, bonus: bonus,
                   linked: &linkedHere, unlinked: &unlinked, top: top)
            // The links of steps 1 and 3 (step 2 appended its own).
            for i in members where linkedHere[i] != nil && numbers[i].fractionRole == nil {
                let id = linkedHere[i]!
                let c = scorer.candidates(numbers[i], bonus: bonus).first { index.profiles[$0.profile].row.id == id }!
                var e = c.evidence
                // The next row that was free for this number (rows taken by the sentence's other numbers are not).
                let taken = Set(linkedHere.values)
                let others = scorer.candidates(numbers[i], bonus: bonus).filter { !taken.contains(index.profiles[$0.profile].row.id) }
                if let o = others.first { e.runnerUp = (index.profiles[o.profile].code, index.profiles[o.profile].row.label, o.score) }
                links.append(makeLink(numbers[i], profile: index.profiles[index.byID[id]!], evidence: e, appendix: appendix))
            }
            // Within the text: a percentage beside its own parts.
            if let f = checkArithmetic(members.map { numbers[$0] }, linked: members.map { linkedHere[$0] }, form: form) {
                arithmetic.append(f)
            }
        }

        // Compare.
        var agreements: [Link] = []
        var mismatches: [(Link, Finding)] = []
        for l in links.sorted(by: { ($0.number.sentenceIndex, $0.number.order) < ($1.number.sentenceIndex, $1.number.order) }) {
            guard l.rowValue != nil || l.computed != nil else {
                unlinked.append(UnlinkedNumber(number: l.number, reason: .blankRow, candidates: [(l.code, l.label, l.evidence.score)]))
                continue
            }
            if agrees(l) { agreements.append(l) } else { mismatches.append((l, mismatchFinding(l))) }
        }
        unlinked.sort { ($0.number.sentenceIndex, $0.number.order) < ($1.number.sentenceIndex, $1.number.order) }
        return CrosscheckReport(file: file ?? appendix.sourceFile ?? "", form: form, unit: appendix.metadata.unit,
                                period: appendix.metadata.period, mismatches: mismatches, arithmetic: arithmetic,
                                agreements: agreements, unlinked: unlinked)
    }

    /// The numbers the narrative holds, as `run` reads them (dates, document numbers, years and
    /// heading numbers left out), for the form's units.
    public static func numbers(in narrative: Narrative, form: FormDefinition) -> [TextNumber] {
        NumberFinder(unitTexts: form.rows.filter { $0.kind.isNumeric }.map(\.unit)).find(narrative)
    }

    // MARK: linking

    static func greedy(_ items: [Int], numbers: [TextNumber], scorer: Scorer, options: CrosscheckOptions,
                       used: inout Set<String>, bonus: [String: (Int, String)], linked: inout [Int: String],
                       unlinked: inout [UnlinkedNumber],
                       top: ([Candidate], Int) -> [(code: String, label: String, score: Int)]) {
        var remaining = items
        var lists: [Int: [Candidate]] = [:]
        for i in items { lists[i] = scorer.candidates(numbers[i], bonus: bonus) }
        while !remaining.isEmpty {
            // The number whose best free row scores highest goes first.
            var bestI = remaining[0]
            var bestScore = Int.min
            for i in remaining {
                let free = lists[i]!.filter { !used.contains(scorer.index.profiles[$0.profile].row.id) }
                let s = free.first?.score ?? Int.min
                if s > bestScore { bestScore = s; bestI = i }
            }
            remaining.removeAll { $0 == bestI }
            let free = lists[bestI]!.filter { !used.contains(scorer.index.profiles[$0.profile].row.id) }
            guard let best = free.first else {
                unlinked.append(UnlinkedNumber(number: numbers[bestI], reason: .noRow, candidates: []))
                continue
            }
            let margin = free.count > 1 ? best.score - free[1].score : Int.max
            if confident(best, margin: margin, options: options) {
                let id = scorer.index.profiles[best.profile].row.id
                used.insert(id)
                linked[bestI] = id
            } else {
                let reason: UnlinkedNumber.Reason = best.phrases == 0 && !best.strong ? .noRow : .unsure
                unlinked.append(UnlinkedNumber(number: numbers[bestI], reason: reason,
                                               candidates: reason == .unsure ? top(free, 3) : []))
            }
        }
    }

    static func confident(_ c: Candidate, margin: Int, options: CrosscheckOptions) -> Bool {
        guard c.score >= options.minimumScore, margin >= options.minimumMargin, c.strong, c.phrases >= 1 else { return false }
        return c.phrases >= 2 || c.evidence.level != nil || !c.evidence.structure.isEmpty
    }

    struct PairChoice {
        var part: String
        var whole: String
        var a: Candidate
        var b: Candidate
        var runnerUp: (code: String, label: String, score: Int)?
    }

    static func bestPair(_ a: TextNumber, _ b: TextNumber, scorer: Scorer, options: CrosscheckOptions,
                         used: Set<String>) -> PairChoice? {
        let index = scorer.index
        var scored: [(PairChoice, Int)] = []
        for pair in index.pairs where !used.contains(pair.part) && !used.contains(pair.whole) {
            let pp = index.profiles[index.byID[pair.part]!], pw = index.profiles[index.byID[pair.whole]!]
            guard let ua = scorer.unitScore(a, pp), let ub = scorer.unitScore(b, pw),
                  let la = scorer.levelScore(a, pp), let lb = scorer.levelScore(b, pw) else { continue }
            let w = scorer.words(a, own: pair.words, context: WordSet())
            let s = w.score + max(ua.0, ub.0) + min(la, lb)
            let ev = LinkEvidence(words: w.phrases, unit: ua.1 ?? ub.1, level: la > 0 ? a.level : nil, structure: [],
                                  score: s, runnerUp: nil)
            let ca = Candidate(profile: index.byID[pair.part]!, score: s, evidence: ev, phrases: w.phrases.count,
                               strong: w.nearOwn > 0)
            var evb = ev
            evb.unit = ub.1 ?? ua.1
            let cb = Candidate(profile: index.byID[pair.whole]!, score: s, evidence: evb, phrases: w.phrases.count,
                               strong: w.nearOwn > 0)
            scored.append((PairChoice(part: pair.part, whole: pair.whole, a: ca, b: cb, runnerUp: nil), s))
        }
        scored.sort { $0.1 > $1.1 }
        guard var best = scored.first else { return nil }
        let margin = scored.count > 1 ? best.1 - scored[1].1 : Int.max
        // Two phrases of the pair's labels, or one in the fraction's own clause with the level named.
        let enough = best.0.a.phrases >= 2 || (best.0.a.strong && a.level != nil && scorer.reporterLevel == a.level)
        guard best.1 >= options.minimumScore, margin >= options.minimumMargin, best.0.a.strong, enough else { return nil }
        if scored.count > 1 {
            let o = scored[1].0
            best.0.runnerUp = (index.profiles[index.byID[o.part]!].code + "/" + index.profiles[index.byID[o.whole]!].code,
                               index.profiles[index.byID[o.part]!].row.label, scored[1].1)
        }
        return best.0
    }

    static func makeLink(_ n: TextNumber, profile p: RowProfile, evidence: LinkEvidence, appendix: Appendix) -> Link {
        let rv = appendix.value(p.row.id)
        var computed: ExactDecimal?
        if p.row.kind == .ratio, let num = p.row.numerator, let den = p.row.denominator,
           let a = appendix.number(num), let b = appendix.number(den),
           let hundredfold = a.multiplied(by: ExactDecimal(100)), let q = hundredfold.divided(by: b, places: max(n.decimals, 2)) {
            computed = q
        }
        return Link(number: n, rowID: p.row.id, code: p.code, label: p.row.label, rowText: rv.raw, rowValue: rv.value.number,
                    computed: computed, location: rv.location, evidence: evidence)
    }

    /// The text's number equals the value, or the value rounded to the decimals the text prints.
    static func same(_ text: ExactDecimal, decimals: Int, _ value: ExactDecimal) -> Bool {
        value == text || value.rounded(toPlaces: decimals) == text
    }

    static func agrees(_ l: Link) -> Bool {
        let n = l.number
        if let v = l.rowValue { return same(n.value, decimals: n.decimals, v) }
        if let c = l.computed { return same(n.value, decimals: n.decimals, c) }
        return true
    }

    static func shown(_ v: ExactDecimal) -> String { v.formatted(.vi) }

    static func mismatchFinding(_ l: Link) -> Finding {
        let n = l.number
        let rowShown = l.rowText.isEmpty ? (l.computed.map(shown) ?? "") : l.rowText
        var vi = "Đoạn \(n.paragraph): «\(CrosscheckReport.shorten(n.sentence, 160))» ghi \(n.printed), "
            + "còn phụ lục, chỉ tiêu \(l.code) «\(CrosscheckReport.shorten(l.label, 60))», ghi \(rowShown)"
        var en = "Paragraph \(n.paragraph): «\(CrosscheckReport.shorten(n.sentence, 160))» says \(n.printed), "
            + "but the appendix, item \(l.code) «\(CrosscheckReport.shorten(l.label, 60))», has \(rowShown)"
        if let c = l.computed, l.rowValue != nil {
            vi += " (tính từ tử số/mẫu số: \(shown(c))%)"
            en += " (from its numerator/denominator: \(shown(c))%)"
        }
        vi += ". Liên kết theo: " + CrosscheckReport.explain(l.evidence, .vi) + ". Hãy sửa lời văn hoặc phụ lục cho thống nhất."
        en += ". Linked by: " + CrosscheckReport.explain(l.evidence, .en) + ". Make the text and the appendix agree."
        return Finding(severity: .warning, rule: .textMismatch, rowID: l.rowID, code: l.code, label: l.label,
                       location: l.location, found: n.printed, expected: rowShown, message: Localized(vi: vi, en: en))
    }

    // MARK: arithmetic within a sentence

    /// A percentage stated with its parts (`A/B … = X%`, `A …, B …, đạt X%`) that A/B does not make at X's precision.
    static func checkArithmetic(_ list: [TextNumber], linked: [String?], form: FormDefinition) -> Finding? {
        for (pi, p) in list.enumerated() where p.isPercent && !p.isTarget {
            var parts: (ExactDecimal, ExactDecimal)?
            var how = ""
            // a) a fraction before it in the sentence
            if let ni = list[..<pi].lastIndex(where: { $0.fractionRole == .numerator }), ni + 1 < pi,
               list[ni + 1].fractionRole == .denominator {
                parts = (list[ni].value, list[ni + 1].value)
                how = "\(list[ni].raw)/\(list[ni + 1].raw)"
            }
            // b) its ratio's numerator and denominator linked in the sentence
            if parts == nil, let rid = linked[pi], let r = form.row(rid), let num = r.numerator, let den = r.denominator,
               let a = linked.firstIndex(of: num), let b = linked.firstIndex(of: den) {
                parts = (list[a].value, list[b].value)
                how = "\(list[a].raw)/\(list[b].raw)"
            }
            // c) `A …, B …, đạt X%`: two numbers of the same printed unit before it
            if parts == nil, p.sentence.lowercased().contains("đạt") {
                let before = list[..<pi].filter { !$0.isPercent && $0.unit != nil && $0.fractionRole == nil }
                if before.count == 2, before[0].unitKey == before[1].unitKey {
                    let lo = min(before[0].value, before[1].value), hi = max(before[0].value, before[1].value)
                    parts = (lo, hi)
                    how = lo == before[0].value ? "\(before[0].raw)/\(before[1].raw)" : "\(before[1].raw)/\(before[0].raw)"
                }
            }
            guard let (a, b) = parts, !b.isZero else { continue }
            let d = p.decimals
            guard let hundredfold = a.multiplied(by: ExactDecimal(100)),
                  let rounded = hundredfold.divided(by: b, places: d),
                  let longer = hundredfold.divided(by: b, places: d + 6) else { continue }
            // Rounded or cut at the printed decimals both pass.
            let truncated = ExactDecimal(significand: longer.significand / ExactDecimalPow.pow10(6), scale: d)
            if rounded == p.value || truncated == p.value { continue }
            let expected = rounded.formatted(.vi, places: d) + "%"
            let vi = "Đoạn \(p.paragraph): «\(CrosscheckReport.shorten(p.sentence, 160))» ghi \(p.raw)%, nhưng \(how) = \(expected). "
                + "Hãy sửa tỷ lệ hoặc các số thành phần."
            let en = "Paragraph \(p.paragraph): «\(CrosscheckReport.shorten(p.sentence, 160))» says \(p.raw)%, but \(how) = \(expected). "
                + "Correct the percentage or its parts."
            let rid = linked[pi]
            return Finding(severity: .warning, rule: .textArithmetic, rowID: rid, code: rid.map { form.displayCode(of: $0) } ?? "",
                           label: rid.flatMap { form.row($0)?.label } ?? "", location: nil, found: p.raw + "%",
                           expected: expected, message: Localized(vi: vi, en: en))
        }
        return nil
    }

    // MARK: reporting level

    /// The level of the unit that reports (`huyện` for `UBND huyện Ngân Sơn`): rows naming no level speak of it.
    static func reporterLevel(appendix: Appendix, narrative: Narrative) -> String? {
        var texts = [appendix.metadata.unit, appendix.metadata.reportReference, appendix.metadata.title].compactMap { $0 }
        texts += narrative.paragraphs.prefix(12).map(\.text)
        for t in texts {
            let tokens = Tokenizer.tokens(t)
            for i in 0..<tokens.count {
                let w = tokens[i].lower
                let isBody = w == "ubnd" || (w == "dân" && i >= 1 && tokens[i - 1].lower == "nhân")
                guard isBody, i + 1 < tokens.count else { continue }
                var j = i + 1
                if tokens[j].lower == "thị", j + 1 < tokens.count, tokens[j + 1].lower == "xã" { return "huyện" }
                if tokens[j].lower == "cấp" { j += 1 }
                if j < tokens.count, let l = NumberFinder.levelWords[tokens[j].lower] { return l }
            }
        }
        return nil
    }
}

enum ExactDecimalPow {
    static func pow10(_ n: Int) -> Int128 {
        var v: Int128 = 1
        for _ in 0..<n { v *= 10 }
        return v
    }
}
