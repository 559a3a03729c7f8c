import AppendixModel
import FormSchema
import Foundation
import SheetGrid
import Support
import TableLocator

/// One row being inferred, with the evidence for each guess (written as `# guessed:` comments).
struct DraftRow {
    var text: TableRowText
    var id = ""
    var code: String
    var marker: String?
    var label: String
    var unit: String
    var kind: RowKind = .count
    /// Index of the parent draft row.
    var parent: Int?
    /// Whether `parent:` is written (unnumbered rows and a code printed twice; else the loader's prefix rule).
    var writeParent = false
    var numerator: Int?
    var denominator: Int?
    var choices: [String] = []
    var cumulative = false
    var decimals: Int?
    var style: RowStyle?
    /// Evidence by key: kind, parent, parts, cumulative, decimals, style.
    var evidence: [String: String] = [:]
    /// The value read from a filled file, once the kind is known.
    var value: Value = .empty

    var isNumericPart: Bool { kind == .count || kind == .money }
    var number: ExactDecimal? { value.number }
}

struct InferredRule {
    var kind: CrossRule.Kind
    var level: RuleLevel
    var evidence: String
}

struct Inference {
    let table: FormFreeTable
    let grid: Grid
    let vocabulary: ImportVocabulary
    let formID: String
    let file: String
    var rows: [DraftRow] = []
    var rules: [InferredRule] = []
    var skipped: [String] = []
    var filled = false

    init(table: FormFreeTable, grid: Grid, vocabulary: ImportVocabulary, formID: String, file: String) {
        self.table = table
        self.grid = grid
        self.vocabulary = vocabulary
        self.formID = formID
        self.file = file
    }

    typealias V = ImportVocabulary

    // MARK: - Refusals

    func refusalLocation() -> SourceLocation {
        if case .workbook(let f, let s) = grid.source { return SourceLocation(file: f, sheet: s) }
        return SourceLocation(file: grid.fileName)
    }

    mutating func run() throws {
        let h = table.headings
        if table.rows.isEmpty {
            throw BieuMauError(.dataError,
                vi: "bảng dưới dòng tiêu đề (\(h[.code] ?? "STT") | \(h[.label] ?? "Chỉ tiêu")…) không có dòng chỉ tiêu nào: không có gì để suy ra biểu mẫu. Hãy dùng biểu mẫu có đủ các dòng chỉ tiêu (có thể để trống cột Số liệu).",
                en: "the table under the header row (\(h[.code] ?? "STT") | \(h[.label] ?? "Chỉ tiêu")…) has no rows: there is nothing to infer a form from. Use the form with its rows (the value column may be blank).",
                at: refusalLocation())
        }
        if !table.rows.contains(where: { !$0.code.isEmpty }) {
            throw BieuMauError(.dataError,
                vi: "không dòng nào của bảng có số thứ tự ở cột '\(h[.code] ?? "STT")' (1, 1.1, 1.1.1…): không biết dòng nào là mục, dòng nào thuộc mục nào. Hãy dùng biểu mẫu có đánh số thứ tự các chỉ tiêu.",
                en: "no row of the table has a code in the '\(h[.code] ?? "STT")' column (1, 1.1, 1.1.1…): which rows are headings and which belong to them is unknown. Use the form with its numbered rows.",
                at: refusalLocation())
        }
        draftRows()
        inferParents()
        inferKinds()
        readValues()
        inferCumulative()
        inferDecimals()
        inferRatioParts()
        inferRules()
        assignIDs()
    }

    // MARK: - Rows and parents

    mutating func draftRows() {
        for t in table.rows {
            if t.label.isEmpty {
                skipped.append(t.code.isEmpty ? t.location.describe(.en) : t.code)
                continue
            }
            var d = DraftRow(text: t, code: t.code, marker: nil, label: t.label, unit: t.unit)
            if t.code.isEmpty && !t.marker.isEmpty { d.marker = t.marker }
            if t.continuationCount > 0 {
                d.evidence["label"] = "label printed on \(t.continuationCount + 1) lines, joined"
            }
            rows.append(d)
        }
    }

    mutating func inferParents() {
        var firstByCode: [String: Int] = [:]
        var lastCoded: Int?
        for i in rows.indices {
            let code = rows[i].code
            if code.isEmpty {
                guard let p = lastCoded else { continue }
                rows[i].parent = p
                rows[i].writeParent = true
                rows[i].evidence["parent"] = "unnumbered row under \(rows[p].code)"
                continue
            }
            if let first = firstByCode[code] {
                rows[i].parent = first
                rows[i].writeParent = true
                rows[i].evidence["parent"] = "code \(code) printed twice: belongs to the first one"
            } else {
                var parts = code.split(separator: ".").map(String.init)
                while parts.count > 1 {
                    parts.removeLast()
                    if let p = firstByCode[parts.joined(separator: ".")] { rows[i].parent = p; break }
                }
                firstByCode[code] = i
            }
            lastCoded = i
        }
        // An unnumbered row above every numbered one belongs to nothing: it cannot be a row of the form.
        var kept: [DraftRow] = []
        var newIndex: [Int: Int] = [:]
        for (i, r) in rows.enumerated() {
            if r.code.isEmpty && r.parent == nil {
                skipped.append(r.label)
                continue
            }
            newIndex[i] = kept.count
            kept.append(r)
        }
        for i in kept.indices { kept[i].parent = kept[i].parent.flatMap { newIndex[$0] } }
        rows = kept
    }

    func children(of i: Int) -> [Int] { rows.indices.filter { rows[$0].parent == i } }

    func isBold(_ r: DraftRow) -> Bool {
        (r.text.labelCell?.style.bold ?? false) || (r.text.codeCell?.style.bold ?? false)
    }

    // MARK: - Kinds

    mutating func inferKinds() {
        var hasChildren = Set<Int>()
        for r in rows { if let p = r.parent { hasChildren.insert(p) } }
        for i in rows.indices {
            var r = rows[i]
            let unitShown = Self.short(r.unit)
            if r.unit.isEmpty {
                if !r.code.isEmpty && !r.code.contains(".") && r.parent == nil {
                    r.kind = .section
                    r.evidence["kind"] = "section, code \"\(r.code)\" with no unit"
                } else if hasChildren.contains(i) {
                    r.kind = .group
                    r.evidence["kind"] = "group, no unit and rows below belong to it"
                } else if isBold(r) && !r.code.isEmpty {
                    r.kind = .group
                    r.evidence["kind"] = "group, no unit and printed bold"
                } else if let s = V.suffix(r.label, vocabulary.yesnoLabelSuffixes) {
                    r.kind = .yesno
                    r.evidence["kind"] = "yesno, label ends \"\(s)\""
                } else if let p = V.prefix(r.label, vocabulary.ratioLabelPrefixes) {
                    r.kind = .ratio
                    r.evidence["kind"] = "ratio, label \"\(p)…\" (no unit printed)"
                } else {
                    r.kind = .text
                    r.evidence["kind"] = "text, no unit and no rows below"
                }
            } else if let u = V.equal(r.unit, vocabulary.yesnoUnits) {
                r.kind = .yesno
                r.evidence["kind"] = "yesno, unit \"\(u)\""
            } else if let options = choiceOptions(r.unit) {
                r.kind = .choice
                r.choices = options
                r.evidence["kind"] = "choice, the unit cell lists \(options.count) options"
            } else if V.equal(r.unit, vocabulary.ratioUnits) != nil {
                r.kind = .ratio
                if let p = V.prefix(r.label, vocabulary.ratioLabelPrefixes) {
                    r.evidence["kind"] = "ratio, unit \"\(unitShown)\" and label \"\(p)…\""
                } else {
                    r.evidence["kind"] = "ratio, unit \"\(unitShown)\""
                }
            } else if let m = V.equal(r.unit, vocabulary.moneyUnits) {
                r.kind = .money
                r.evidence["kind"] = "money, unit \"\(m)\""
            } else {
                r.kind = .count
                r.evidence["kind"] = "count, unit \"\(unitShown)\""
            }
            // Headings are bold by default; a bold value row or a plain heading is noted as printed.
            rows[i] = r
        }
    }

    func choiceOptions(_ unit: String) -> [String]? {
        var parts = [unit]
        for sep in vocabulary.choiceSeparators {
            parts = parts.flatMap { $0.components(separatedBy: sep) }
        }
        let options = parts.map { TextNormalization.collapseWhitespace($0) }.filter { !$0.isEmpty }
        return options.count >= 2 ? options : nil
    }

    static func short(_ s: String, _ limit: Int = 40) -> String {
        let one = TextNormalization.collapseWhitespace(s.replacingOccurrences(of: "\n", with: " "))
        return one.count <= limit ? one : String(one.prefix(limit - 1)) + "…"
    }

    // MARK: - Values (a filled file)

    /// Each row's value, read as the appendix reader would for its kind.
    mutating func readValues() {
        let probe = FormDefinition(id: "import", version: 1, title: "", statusTexts: vocabulary.statusTexts,
                                   yesTexts: vocabulary.yesTexts, noTexts: vocabulary.noTexts, rows: [])
        var classifications: [NumberClassification] = []
        for r in rows where r.kind.isNumeric {
            if case .text(let t) = r.text.valueInput { classifications.append(NumberParser.classify(t)) }
        }
        let locale = NumberParser.decideLocale(classifications).locale
        for i in rows.indices where rows[i].kind.holdsValue {
            let r = rows[i]
            let formRow = FormRow(id: "x", label: r.label, unit: r.unit, kind: r.kind, choices: r.choices)
            let v = ValueInterpreter.interpret(r.text.valueInput, row: formRow, form: probe, locale: locale)
            rows[i].value = v.value
            if !v.value.isEmpty { filled = true }
        }
    }

    // MARK: - Cumulative, decimals

    mutating func inferCumulative() {
        for i in rows.indices where rows[i].isNumericPart {
            if let w = V.contains(rows[i].label, vocabulary.cumulativeWords) {
                rows[i].cumulative = true
                rows[i].evidence["cumulative"] = "label says \"\(w)\""
                continue
            }
            var p = rows[i].parent
            var steps = 0
            while let pi = p, steps < 20 {
                if !rows[pi].kind.holdsValue, let w = V.contains(rows[pi].label, vocabulary.cumulativeWords) {
                    rows[i].cumulative = true
                    rows[i].evidence["cumulative"] = "heading \(rows[pi].code) says \"\(w)\""
                    break
                }
                p = rows[pi].parent
                steps += 1
            }
        }
    }

    mutating func inferDecimals() {
        for i in rows.indices where rows[i].kind == .ratio || rows[i].kind == .money {
            guard let style = rows[i].text.valueCell?.style, let format = style.numberFormat,
                  let places = style.formatDecimals, places > 0 else { continue }
            rows[i].decimals = places
            rows[i].evidence["decimals"] = "number format \"\(format)\""
        }
    }

    // MARK: - Ratio parts

    /// The label's words after an opening word from `prefixes` (e.g. "Tỷ lệ", "Số"), as keys.
    static func words(_ label: String, dropping prefixes: [String]) -> [String] {
        var words = LabelKey.make(label).split(separator: " ").map(String.init)
        if let p = V.prefix(label, prefixes) {
            words.removeFirst(min(words.count, V.key(p).split(separator: " ").count))
        }
        return words
    }

    /// Share of the part's words (opening "Số"/"Tổng số" dropped) found in the ratio's label.
    func overlap(part: Int, ratio: Int) -> Double {
        let pw = Self.words(rows[part].label, dropping: vocabulary.wholePrefixes + vocabulary.partPrefixes)
        let rw = Set(Self.words(rows[ratio].label, dropping: vocabulary.ratioLabelPrefixes))
        guard !pw.isEmpty else { return 0 }
        return Double(pw.filter { rw.contains($0) }.count) / Double(pw.count)
    }

    func sameUnit(_ a: Int, _ b: Int) -> Bool { V.key(rows[a].unit) == V.key(rows[b].unit) }

    mutating func inferRatioParts() {
        var bySheetRow: [Int: Int] = [:]
        for (i, r) in rows.enumerated() { bySheetRow[r.text.sheetRow] = i }
        for i in rows.indices where rows[i].kind == .ratio {
            var found: (num: Int, den: Int, why: String)?
            // 1. A live formula in the value cell names the cells: the one after "/" is the whole.
            if let formula = rows[i].text.valueCell?.formula, let (n, d) = Self.formulaParts(formula),
               let ni = bySheetRow[n], let di = bySheetRow[d], ni != di, rows[ni].isNumericPart, rows[di].isNumericPart {
                found = (ni, di, "the value cell's formula =\(Self.short(formula, 50))")
            }
            // 2. Its unnumbered sub-rows, else its numbered rows below, else the two rows just above it.
            if found == nil {
                let kids = children(of: i).filter { rows[$0].isNumericPart }
                let subs = kids.filter { rows[$0].code.isEmpty }
                let coded = kids.filter { !rows[$0].code.isEmpty }
                if subs.count >= 2 {
                    found = pick(subs, ratio: i, from: "its unnumbered sub-rows")
                } else if coded.count >= 2 {
                    found = pick(coded, ratio: i, from: "its rows below")
                } else {
                    found = siblingsAbove(i)
                }
            }
            guard let (n, d, why) = found else { continue }
            rows[i].numerator = n
            rows[i].denominator = d
            var evidence = why
            if let agreement = valuesAgree(ratio: i, num: n, den: d) { evidence += "; " + agreement }
            rows[i].evidence["parts"] = evidence
        }
    }

    /// The denominator (a "Tổng số …" row, else the first) and the numerator (the next with its unit).
    func pick(_ candidates: [Int], ratio: Int, from origin: String) -> (Int, Int, String)? {
        let den = candidates.first { V.prefix(rows[$0].label, vocabulary.wholePrefixes) != nil } ?? candidates[0]
        guard let num = candidates.first(where: { $0 != den && sameUnit($0, den) }) else { return nil }
        let whyDen = V.prefix(rows[den].label, vocabulary.wholePrefixes).map { "the \"\($0) …\" row is the whole" }
            ?? "the first is the whole"
        return (num, den, "\(origin): \(whyDen)")
    }

    /// A ratio printed after the rows it divides (`1.3.2`, `1.3.3`, then `1.3.4 Tỷ lệ …`): the two
    /// numbered rows just above it, with one unit, whose words are mostly in the ratio's label.
    func siblingsAbove(_ i: Int) -> (Int, Int, String)? {
        guard !rows[i].code.isEmpty else { return nil }
        var above: [Int] = []
        var j = i - 1
        while j >= 0 && above.count < 2 {
            let r = rows[j]
            if r.parent != rows[i].parent || r.code.isEmpty { if r.code.isEmpty { j -= 1; continue } else { break } }
            guard r.isNumericPart else { break }
            above.insert(j, at: 0)
            j -= 1
        }
        guard above.count == 2, sameUnit(above[0], above[1]),
              above.allSatisfy({ overlap(part: $0, ratio: i) >= 0.6 }) else { return nil }
        let (a, b) = (above[0], above[1])
        let den = V.prefix(rows[b].label, vocabulary.wholePrefixes) != nil && V.prefix(rows[a].label, vocabulary.wholePrefixes) == nil ? b : a
        let num = den == a ? b : a
        return (num, den, "the two rows above (\(rows[a].code), \(rows[b].code)) share the ratio's words; the first is the whole")
    }

    /// From a filled file: whether the printed ratio is numerator / denominator × 100.
    func valuesAgree(ratio: Int, num: Int, den: Int) -> String? {
        guard let r = rows[ratio].number, let n = rows[num].number, let d = rows[den].number, !d.isZero,
              let exact = n.multiplied(by: ExactDecimal(100))?.divided(by: d, places: 4),
              let diff = r.subtracting(exact)?.magnitude else { return nil }
        let text = "\(n) / \(d) × 100 = \(exact.rounded(toPlaces: 2))"
        return diff < ExactDecimal(1)
            ? "the filled values agree (\(text))"
            : "the filled values do NOT agree (\(text), printed \(r)): check"
    }

    /// `=IF(N(D57)=0,"",N(D58)/N(D57))` or `=D58/D57*100`: the rows (0-based) of the numerator and
    /// denominator cells around the last `/`.
    static func formulaParts(_ formula: String) -> (Int, Int)? {
        guard let slash = formula.lastIndex(of: "/") else { return nil }
        let before = refs(in: formula[..<slash]), after = refs(in: formula[formula.index(after: slash)...])
        guard let n = before.last, let d = after.first else { return nil }
        return (n, d)
    }

    /// The rows of the cell references (`D57`, `$D$57`) in a formula, in order.
    static func refs(in text: Substring) -> [Int] {
        var out: [Int] = []
        var token = ""
        func flush() {
            if let (row, _) = CellReference.parse(token), token.first?.isLetter == true || token.first == "$" { out.append(row) }
            token = ""
        }
        for ch in text {
            if ch.isASCII && (ch.isLetter || ch.isNumber || ch == "$") { token.append(ch) } else { flush() }
        }
        flush()
        return out
    }

    // MARK: - Rules

    func hasRule(part: Int, whole: Int) -> Bool {
        rules.contains {
            switch $0.kind {
            case .partNotAboveWhole(let p, let w): return p == "\(part)" && w == "\(whole)"
            case .sum(let t, let ps): return t == "\(whole)" && ps.contains("\(part)")
            }
        }
    }

    /// Part ≤ whole already follows from a ratio's numerator and denominator.
    func impliedByRatio(part: Int, whole: Int) -> Bool {
        rows.contains { $0.kind == .ratio && $0.numerator == part && $0.denominator == whole }
    }

    mutating func addPart(_ part: Int, of whole: Int, _ evidence: String) {
        guard part != whole, !hasRule(part: part, whole: whole), !impliedByRatio(part: part, whole: whole) else { return }
        var level = RuleLevel.error
        var why = evidence
        if let p = rows[part].number, let w = rows[whole].number, p > w {
            level = .warning
            why += "; the filled file breaks it (\(p) > \(w)): check, kept as a warning"
        }
        rules.append(InferredRule(kind: .partNotAboveWhole(part: "\(part)", whole: "\(whole)"), level: level, evidence: why))
    }

    func numericPair(_ a: Int, _ b: Int) -> Bool {
        rows[a].isNumericPart && rows[b].isNumericPart && sameUnit(a, b)
    }

    mutating func inferRules() {
        // 1. "Trong đó": each row of the breakdown is part of the row it is printed under
        //    (all of them adding up to it, when a filled file says so).
        var i = 0
        while i < rows.count {
            defer { i += 1 }
            guard let m = rows[i].marker, V.equal(m, vocabulary.partMarkers) != nil, let whole = rows[i].parent,
                  rows[whole].isNumericPart else { continue }
            var parts = [i]
            var j = i + 1
            while j < rows.count && rows[j].code.isEmpty && rows[j].parent == whole && (rows[j].marker == nil) {
                parts.append(j)
                j += 1
            }
            parts = parts.filter { numericPair($0, whole) }
            guard !parts.isEmpty else { continue }
            let numbers = parts.compactMap { rows[$0].number }
            if parts.count >= 2, numbers.count == parts.count, let total = rows[whole].number, !total.isZero,
               ExactDecimal.sum(numbers) == total {
                rules.append(InferredRule(kind: .sum(total: "\(whole)", parts: parts.map { "\($0)" }), level: .error,
                                          evidence: "\"\(m)\" rows under \(rows[whole].code), and the filled values add up (\(numbers.map(\.description).joined(separator: " + ")) = \(total))"))
            } else {
                for p in parts { addPart(p, of: whole, "\"\(m)\" row under \(rows[whole].code)") }
            }
        }
        // 2. A label that repeats another row's label with more words is a part of it
        //    ("Số TTHC … mức độ 3 có phát sinh hồ sơ" ≤ "Số TTHC … mức độ 3").
        for a in rows.indices where rows[a].isNumericPart {
            let ka = LabelKey.make(rows[a].label)
            for b in rows.indices where b < a && rows[b].parent == rows[a].parent && numericPair(a, b) {
                let kb = LabelKey.make(rows[b].label)
                if ka.hasPrefix(kb + " ") {
                    addPart(a, of: b, "its label is \(rows[b].code.isEmpty ? "the row above" : rows[b].code)'s label with more words")
                }
            }
        }
        // 3. "Tổng số X …" then "Số X …" rows of the same thing, with one unit: parts of the nearest such total
        //    ("Tổng số nhiệm vụ được giao" ⊇ "Số nhiệm vụ đã hoàn thành đúng hạn"); a total of what was
        //    assigned or planned also holds a later "Tổng số X …" row ("… có mặt" ≤ "… được giao").
        for s in rows.indices where rows[s].isNumericPart {
            let sKey = LabelKey.make(rows[s].label)
            var w = s - 1
            while w >= 0 {
                defer { w -= 1 }
                guard rows[w].parent == rows[s].parent, numericPair(s, w),
                      let wp = V.prefix(rows[w].label, vocabulary.wholePrefixes) else { continue }
                let nounWords = Self.words(rows[w].label, dropping: [wp]).prefix(2)
                let noun = nounWords.joined(separator: " ")
                guard !noun.isEmpty else { continue }
                // The same words as printed, for the comment.
                let printed = rows[w].label.split(separator: " ").dropFirst(V.key(wp).split(separator: " ").count)
                    .prefix(nounWords.count).joined(separator: " ")
                let partOpen = vocabulary.partPrefixes.contains { sKey.hasPrefix(V.key($0) + " " + noun + " ") || sKey == V.key($0) + " " + noun }
                let assigned = V.contains(rows[w].label, vocabulary.assignedWords)
                let sameWhole = V.prefix(rows[s].label, vocabulary.wholePrefixes).map { sp in
                    sKey.hasPrefix(V.key(sp) + " " + noun + " ") } ?? false
                if partOpen {
                    addPart(s, of: w, "\"\(wp) \(printed)…\" (\(rows[w].code)) then \"… \(printed)…\" with the same unit")
                    break
                } else if sameWhole, let word = assigned, V.contains(rows[s].label, vocabulary.assignedWords) == nil {
                    addPart(s, of: w, "\(rows[w].code) is the total \"\(word)\" of the same \"\(printed)\"")
                    break
                }
                if sameWhole { break }   // a nearer total of the same thing: the part belongs to it
            }
        }
        // 4. A filled file: a row whose numbered rows below (same unit) add up to it, exactly.
        if filled {
            for t in rows.indices where rows[t].isNumericPart {
                let parts = children(of: t).filter { numericPair($0, t) }
                guard parts.count >= 2, !rules.contains(where: { if case .sum(let tt, _) = $0.kind { return tt == "\(t)" }; return false }),
                      let total = rows[t].number, !total.isZero else { continue }
                let numbers = parts.compactMap { rows[$0].number }
                guard numbers.count == parts.count, ExactDecimal.sum(numbers) == total else { continue }
                rules.removeAll { if case .partNotAboveWhole(let p, let w) = $0.kind { return w == "\(t)" && parts.contains(Int(p) ?? -1) }; return false }
                rules.append(InferredRule(kind: .sum(total: "\(t)", parts: parts.map { "\($0)" }), level: .error,
                                          evidence: "the filled values add up (\(numbers.map(\.description).joined(separator: " + ")) = \(total))"))
            }
        }
    }

    /// The `# guessed:` lines of `yaml` by topic (they add up to all of them).
    func guessTopics(yaml: String) -> [(topic: String, count: Int)] {
        var counts: [String: Int] = [:]
        for r in rows {
            for key in r.evidence.keys { counts[key == "parts" ? "ratio parts" : key, default: 0] += 1 }
            if r.kind == .ratio && r.numerator == nil { counts["ratio parts", default: 0] += 1 }
        }
        if !rules.isEmpty { counts["rules"] = rules.count }
        let total = yaml.components(separatedBy: "# guessed:").count - 1
        let rest = total - counts.values.reduce(0, +)
        if rest > 0 { counts["form"] = rest }
        return counts.map { (topic: $0.key, count: $0.value) }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.topic < $1.topic }
    }

    // MARK: - Ids

    mutating func assignIDs() {
        var used = Set<String>()
        var subCount: [Int: Int] = [:]
        func unique(_ base: String) -> String {
            var id = base
            var n = 2
            while used.contains(id) { id = "\(base)_dup\(n == 2 ? "" : String(n))"; n += 1 }
            used.insert(id)
            return id
        }
        for i in rows.indices {
            let r = rows[i]
            let base: String
            if !r.code.isEmpty {
                base = (r.kind == .section ? "s" : "r") + r.code.replacingOccurrences(of: ".", with: "_")
            } else {
                let p = r.parent ?? 0
                let k = subCount[p, default: 0]
                subCount[p] = k + 1
                base = rows[p].id + "_" + Self.letters(k)
            }
            rows[i].id = unique(base)
        }
    }

    /// 0 → a, 25 → z, 26 → aa.
    static func letters(_ n: Int) -> String {
        var n = n
        var s = ""
        repeat {
            s = String(UnicodeScalar(UInt8(97 + n % 26))) + s
            n = n / 26 - 1
        } while n >= 0
        return s
    }
}
