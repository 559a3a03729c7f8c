import AppendixModel
import FormSchema
import Support

/// What a row of the form offers for linking: its words, its parents' words, its level and unit.
struct RowProfile: Sendable {
    var row: FormRow
    var code: String
    /// Words of its own label (its unit's words left out: the unit is matched apart).
    var own: WordSet
    /// All syllables of its own label (for what a percentage counts).
    var ownRaw: Set<String>
    /// Words of the rows it belongs to (parent, group heading, the ratio it is a part of).
    var context: WordSet
    /// The level its label (or a parent's) names; `all` for a total broken down by level.
    var level: String?
    var levelExplicit: Bool
    var levelAll: Bool
    var unitKey: String
    var hasChildren: Bool
    var isChild: Bool
}

struct RowIndex: Sendable {
    var profiles: [RowProfile]
    var byID: [String: Int]
    /// (part, whole, words of both and their heading) for `A/B`.
    var pairs: [(part: String, whole: String, words: WordSet)]

    init(form: FormDefinition) {
        var profiles: [RowProfile] = []
        var byID: [String: Int] = [:]
        var ratioOf: [String: String] = [:]
        for r in form.rows where r.kind == .ratio {
            if let n = r.numerator { ratioOf[n] = r.id }
            if let d = r.denominator { ratioOf[d] = r.id }
        }
        func ancestors(_ r: FormRow) -> [FormRow] {
            var out: [FormRow] = []
            var cur = r
            var guardCount = 0
            while let p = cur.parent.flatMap({ form.row($0) }), guardCount < 20 {
                out.append(p); cur = p; guardCount += 1
            }
            if let ratio = ratioOf[r.id].flatMap({ form.row($0) }), !out.contains(ratio) { out.append(ratio) }
            // The group heading whose code starts this row's code (`4.5` for `4.5.2`); not the section.
            let code = form.displayCode(of: r.id)
            var parts = code.split(separator: ".")
            while parts.count > 2 {
                parts.removeLast()
                let prefix = parts.joined(separator: ".")
                if let g = form.rows(withCode: prefix).first(where: { $0.kind == .group || $0.kind == .ratio }), g.id != r.id,
                   !out.contains(g) { out.append(g) }
            }
            if let idx = form.index(of: r.id), r.code.isEmpty == false, parts.count == 2 {
                _ = idx
            }
            return out
        }
        func levelIn(_ text: String) -> String? {
            let t = Tokenizer.tokens(text)
            for i in 0..<max(0, t.count - 1) where t[i].lower == "cấp" {
                if let l = NumberFinder.levelWords[t[i + 1].lower] { return l }
            }
            return nil
        }
        let levelSplit: Set<String> = Set(form.rows.compactMap { r in levelIn(r.label) != nil ? r.parent : nil })
        for r in form.rows where r.kind.isNumeric {
            let unitSyllables = Set(Tokenizer.tokens(r.unit).filter(\.isWord).map(\.lower))
            let removed = r.kind == .ratio ? Set<String>() : unitSyllables
            var own = WordSet(text: r.label, removing: removed)
            for v in r.variants { own.formUnion(WordSet(text: v, removing: removed)) }
            var ctx = WordSet()
            let anc = ancestors(r)
            for a in anc { for t in [a.label] + a.variants { ctx.formUnion(WordSet(text: t, removing: removed)) } }
            var level = levelIn(r.label)
            let explicit = level != nil
            if level == nil { level = anc.lazy.compactMap { levelIn($0.label) }.first }
            let profile = RowProfile(
                row: r, code: form.displayCode(of: r.id), own: own, ownRaw: Set(WordSet.syllables(r.label)), context: ctx,
                level: level, levelExplicit: explicit, levelAll: levelSplit.contains(r.id), unitKey: NumberFinder.unitKey(r.unit),
                hasChildren: !form.children(of: r.id).isEmpty, isChild: r.parent != nil)
            byID[r.id] = profiles.count
            profiles.append(profile)
        }
        var pairs: [(String, String, WordSet)] = []
        for r in form.rows where r.kind == .ratio {
            if let n = r.numerator, let d = r.denominator, let pn = byID[n], let pd = byID[d] {
                var w = WordSet(text: r.label)
                w.formUnion(profiles[pn].own)
                w.formUnion(profiles[pd].own)
                pairs.append((n, d, w))
            }
        }
        for rule in form.rules {
            if case .partNotAboveWhole(let part, let whole) = rule.kind, let pp = byID[part], let pw = byID[whole] {
                var w = profiles[pp].own
                w.formUnion(profiles[pw].own)
                w.formUnion(profiles[pp].context)
                pairs.append((part, whole, w))
            }
        }
        self.profiles = profiles
        self.byID = byID
        self.pairs = pairs
    }
}

/// Why a number was linked to a row: the words, unit, level and sentence structure that matched.
public struct LinkEvidence: Sendable, Hashable {
    /// Phrases of the row's label (or its heading's) found near the number.
    public var words: [String]
    /// The unit that matched (`hồ sơ`, `%`), if any.
    public var unit: String?
    /// The level that matched (`xã`), if the sentence named one.
    public var level: String?
    /// Sentence structure used (`trong đó`, `A/B`, `phần của tỷ lệ 6.1 trong cùng câu`).
    public var structure: [String]
    /// The score of the link and of the next-best row (nil: no other candidate).
    public var score: Int
    public var runnerUp: (code: String, label: String, score: Int)?

    public static func == (a: LinkEvidence, b: LinkEvidence) -> Bool {
        a.words == b.words && a.unit == b.unit && a.level == b.level && a.structure == b.structure && a.score == b.score
            && a.runnerUp?.code == b.runnerUp?.code && a.runnerUp?.score == b.runnerUp?.score
    }
    public func hash(into h: inout Hasher) { h.combine(words); h.combine(score) }
}

struct Candidate {
    var profile: Int
    var score: Int
    var evidence: LinkEvidence
    /// Phrases matched (bigrams and lone syllables), for the minimum-evidence rule.
    var phrases: Int
    var strong: Bool
}

/// Scores every numeric row for one number. Rows that cannot be meant are left out.
struct Scorer {
    let index: RowIndex
    let reporterLevel: String?

    /// The row's phrases found in the text: its pairs of syllables, and its lone syllables.
    static func overlap(_ row: WordSet, _ ctx: WordSet) -> (bis: [String], unis: [String]) {
        (row.bis.intersection(ctx.bis).sorted(), row.lone.intersection(ctx.unis).sorted())
    }

    func levelScore(_ n: TextNumber, _ p: RowProfile) -> Int? {
        if let l = n.level {
            if p.levelAll { return nil }
            if let rl = p.level { return rl == l ? (p.levelExplicit ? 6 : 4) : nil }
            if let rep = reporterLevel { return rep == l ? 0 : nil }
            return -2
        }
        if let rl = p.level, let rep = reporterLevel, rl != rep { return -4 }
        return 0
    }

    func unitScore(_ n: TextNumber, _ p: RowProfile) -> (Int, String?)? {
        if n.isPercent { return p.row.kind == .ratio ? (2, "%") : nil }
        if p.row.kind == .ratio { return nil }
        if n.foreignUnit { return nil }
        if let k = n.unitKey { return k == p.unitKey ? (3, n.unit) : nil }
        if let k = n.inferredUnitKey { return k == p.unitKey ? (2, n.inferredUnit) : (-4, nil) }
        return (0, nil)
    }

    func words(_ n: TextNumber, own: WordSet, context: WordSet) -> (score: Int, phrases: [String], nearOwn: Int) {
        let on = Self.overlap(own, n.near), of = Self.overlap(own, n.far)
        let cn = Self.overlap(context, n.near), cf = Self.overlap(context, n.far)
        let score = 4 * on.bis.count + 2 * on.unis.count + 2 * of.bis.count + of.unis.count
            + 2 * cn.bis.count + cn.unis.count + cf.bis.count
        var phrases: [String] = []
        for x in on.bis + on.unis + cn.bis + cn.unis + of.bis + of.unis + cf.bis where !phrases.contains(x) { phrases.append(x) }
        return (score, phrases, on.bis.count + on.unis.count)
    }

    func candidates(_ n: TextNumber, bonus: [String: (Int, String)] = [:]) -> [Candidate] {
        var out: [Candidate] = []
        for (i, p) in index.profiles.enumerated() {
            guard let (us, unit) = unitScore(n, p), let ls = levelScore(n, p) else { continue }
            // What a percentage counts must be what the row counts (`100% các cơ quan` is not `% công chức`).
            if let counted = n.countedWords, !counted.contains(where: { p.ownRaw.contains($0) }) { continue }
            let w = words(n, own: p.own, context: p.context)
            var structure: [String] = []
            var s = w.score + us + ls
            if n.afterTrongDo && p.isChild { s += 2; structure.append("trong đó") }
            if n.beforeTrongDo && p.hasChildren { s += 2; structure.append("trong đó") }
            // A level counts as evidence when named in the number's own clause (`cấp xã 108 thủ tục`).
            var strong = ls >= 4 && n.levelNear
            if let b = bonus[p.row.id] { s += b.0; structure.append(b.1); strong = true }
            let evidence = LinkEvidence(words: w.phrases, unit: unit, level: ls > 0 ? n.level : nil, structure: structure,
                                        score: s, runnerUp: nil)
            out.append(Candidate(profile: i, score: s, evidence: evidence, phrases: w.phrases.count,
                                 strong: strong || w.nearOwn > 0))
        }
        return out.sorted { $0.score > $1.score }
    }
}
