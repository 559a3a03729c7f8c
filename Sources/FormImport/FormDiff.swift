import FormSchema
import Foundation
import Support

/// One difference between two versions of a form.
public struct FormChange: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case added, removed, renamed, moved
        case rekinded = "re-kinded"
        case unit
        case ratioParts = "ratio-parts"
        case choices
    }
    public var kind: Kind
    public var oldID: String?
    public var newID: String?
    public var message: Localized
}

/// What changed between two versions of a form: rows added, removed, renamed (by label
/// similarity), moved (another code or heading), re-kinded, units, ratio parts and choices;
/// rules added and removed. Rows are paired by code and label, never by id.
public struct FormDiff: Sendable {
    public var old: FormDefinition
    public var new: FormDefinition
    /// Old row id → new row id for the rows both forms have.
    public var rowMap: [String: String]
    public var changes: [FormChange]
    /// Rules of the new form not in the old one (read through the row map), and rules of the old form
    /// between rows both forms have that the new one lacks (a rule on removed rows goes with them).
    public var rulesAdded: [CrossRule]
    public var rulesRemoved: [CrossRule]

    public var isEmpty: Bool { changes.isEmpty && rulesAdded.isEmpty && rulesRemoved.isEmpty }
    public func changes(_ kind: FormChange.Kind) -> [FormChange] { changes.filter { $0.kind == kind } }

    public static func compare(_ old: FormDefinition, _ new: FormDefinition) -> FormDiff {
        var pairing = Pairing(old: old, new: new)
        let map = pairing.run()
        var changes: [FormChange] = []
        let reverse: [String: String] = Dictionary(map.map { ($0.value, $0.key) }, uniquingKeysWith: { a, _ in a })
        func name(_ f: FormDefinition, _ r: FormRow) -> String {
            let code = f.displayCode(of: r.id)
            let label = r.label.count > 70 ? String(r.label.prefix(69)) + "…" : r.label
            return code.isEmpty ? "«\(label)»" : "\(code) «\(label)»"
        }
        for o in old.rows {
            guard let nid = map[o.id], let n = new.row(nid) else {
                changes.append(FormChange(kind: .removed, oldID: o.id, newID: nil, message: Localized(
                    vi: "bỏ dòng \(name(old, o))", en: "removed \(name(old, o))")))
                continue
            }
            let oldPlace = place(old, o, through: map), newPlace = place(new, n, through: [:])
            if o.code != n.code || oldPlace != newPlace {
                let under = n.parent.map { new.displayCode(of: $0) } ?? ""
                let from = old.displayCode(of: o.id), to = new.displayCode(of: n.id)
                let codes = from == to ? "" : " \(from.isEmpty ? "—" : from) → \(to.isEmpty ? "—" : to)"
                changes.append(FormChange(kind: .moved, oldID: o.id, newID: n.id, message: Localized(
                    vi: "chuyển chỗ\(codes): \(name(new, n))\(oldPlace != newPlace ? " (nay thuộc \(under.isEmpty ? "cấp đầu" : under))" : "")",
                    en: "moved\(codes): \(name(new, n))\(oldPlace != newPlace ? " (now under \(under.isEmpty ? "the top level" : under))" : "")")))
            }
            if LabelKey.make(o.label) != LabelKey.make(n.label) {
                changes.append(FormChange(kind: .renamed, oldID: o.id, newID: n.id, message: Localized(
                    vi: "đổi tên \(new.displayCode(of: n.id)): «\(o.label)» → «\(n.label)»",
                    en: "renamed \(new.displayCode(of: n.id)): «\(o.label)» → «\(n.label)»")))
            }
            if o.kind != n.kind {
                changes.append(FormChange(kind: .rekinded, oldID: o.id, newID: n.id, message: Localized(
                    vi: "đổi loại \(name(new, n)): \(kindName(o.kind, .vi)) → \(kindName(n.kind, .vi))",
                    en: "re-kinded \(name(new, n)): \(o.kind.rawValue) → \(n.kind.rawValue)")))
            }
            if unitKey(o.unit) != unitKey(n.unit) && o.kind == n.kind && o.kind != .choice {
                changes.append(FormChange(kind: .unit, oldID: o.id, newID: n.id, message: Localized(
                    vi: "đổi đơn vị tính \(name(new, n)): «\(o.unit)» → «\(n.unit)»",
                    en: "new unit \(name(new, n)): «\(o.unit)» → «\(n.unit)»")))
            }
            if o.kind == .ratio || n.kind == .ratio {
                let on = o.numerator.flatMap { map[$0] }, od = o.denominator.flatMap { map[$0] }
                let partsGone = (o.numerator != nil && on == nil) || (o.denominator != nil && od == nil)
                if on != n.numerator || od != n.denominator || partsGone {
                    func parts(_ f: FormDefinition, _ num: String?, _ den: String?) -> String {
                        guard let num, let den, let nr = f.row(num), let dr = f.row(den) else { return "—" }
                        return "\(name(f, nr)) / \(name(f, dr))"
                    }
                    changes.append(FormChange(kind: .ratioParts, oldID: o.id, newID: n.id, message: Localized(
                        vi: "đổi tử số/mẫu số của tỷ lệ \(name(new, n)): \(parts(old, o.numerator, o.denominator)) → \(parts(new, n.numerator, n.denominator))",
                        en: "new numerator/denominator for \(name(new, n)): \(parts(old, o.numerator, o.denominator)) → \(parts(new, n.numerator, n.denominator))")))
                }
            }
            if o.kind == .choice && n.kind == .choice && o.choices.map(LabelKey.make) != n.choices.map(LabelKey.make) {
                changes.append(FormChange(kind: .choices, oldID: o.id, newID: n.id, message: Localized(
                    vi: "đổi các lựa chọn \(name(new, n)): \(o.choices.joined(separator: "; ")) → \(n.choices.joined(separator: "; "))",
                    en: "new choices \(name(new, n)): \(o.choices.joined(separator: "; ")) → \(n.choices.joined(separator: "; "))")))
            }
        }
        for n in new.rows where reverse[n.id] == nil {
            let unit = n.unit.isEmpty ? "" : ", \(n.unit.replacingOccurrences(of: "\n", with: " "))"
            changes.append(FormChange(kind: .added, oldID: nil, newID: n.id, message: Localized(
                vi: "thêm dòng \(name(new, n)) (\(kindName(n.kind, .vi))\(unit))",
                en: "added \(name(new, n)) (\(n.kind.rawValue)\(unit))")))
        }
        let oldRules = Set(old.rules.compactMap { normalized($0, through: map) })
        let newRules = Set(new.rules.compactMap { normalized($0, through: nil) })
        let added = new.rules.filter { r in normalized(r, through: nil).map { !oldRules.contains($0) } ?? true }
        // A rule between rows the new form no longer has goes with them (those rows are listed as removed).
        let removed = old.rules.filter { r in normalized(r, through: map).map { !newRules.contains($0) } ?? false }
        return FormDiff(old: old, new: new, rowMap: map, changes: changes, rulesAdded: added, rulesRemoved: removed)
    }

    /// Where a row sits: its parent's code (through the map for the old form, so both read alike).
    static func place(_ f: FormDefinition, _ r: FormRow, through map: [String: String]) -> String {
        guard let p = r.parent else { return "" }
        return map.isEmpty ? p : (map[p] ?? "old:" + p)
    }

    static func unitKey(_ s: String) -> String { TextNormalization.collapseWhitespace(s.replacingOccurrences(of: "\n", with: " ")).lowercased() }

    /// A rule in the new form's ids (`map` nil: already new), comparable as a string.
    static func normalized(_ rule: CrossRule, through map: [String: String]?) -> String? {
        func id(_ s: String) -> String? { map == nil ? s : map![s] }
        switch rule.kind {
        case .partNotAboveWhole(let p, let w):
            guard let p = id(p), let w = id(w) else { return nil }
            return "le|\(p)|\(w)"
        case .sum(let t, let ps):
            guard let t = id(t) else { return nil }
            let parts = ps.compactMap(id)
            guard parts.count == ps.count else { return nil }
            return "sum|\(t)|\(parts.sorted().joined(separator: ","))"
        }
    }

    static func kindName(_ k: RowKind, _ lang: Language) -> String {
        guard lang == .vi else { return k.rawValue }
        switch k {
        case .section: return "mục"
        case .group: return "nhóm"
        case .count: return "số đếm"
        case .money: return "số tiền"
        case .ratio: return "tỷ lệ"
        case .yesno: return "có/không"
        case .choice: return "lựa chọn"
        case .text: return "chữ"
        }
    }

    // MARK: - Output

    /// The changes in Vietnamese (or English), grouped, for a collector to tell units what changed.
    public func text(_ lang: Language) -> String {
        let en = lang == .en
        var lines: [String] = []
        lines.append(en
            ? "Form \(old.id) (version \(old.version), \(old.rows.count) rows) → \(new.id) (version \(new.version), \(new.rows.count) rows):"
            : "Biểu mẫu \(old.id) (phiên bản \(old.version), \(old.rows.count) dòng) → \(new.id) (phiên bản \(new.version), \(new.rows.count) dòng):")
        let groups: [(FormChange.Kind, String, String)] = [
            (.added, "Thêm", "Added"), (.removed, "Bỏ", "Removed"), (.renamed, "Đổi tên", "Renamed"),
            (.moved, "Chuyển chỗ", "Moved"), (.rekinded, "Đổi loại", "Re-kinded"), (.unit, "Đổi đơn vị tính", "New unit"),
            (.ratioParts, "Đổi tử số/mẫu số", "New ratio parts"), (.choices, "Đổi lựa chọn", "New choices"),
        ]
        for (kind, vi, enName) in groups {
            let list = changes(kind)
            guard !list.isEmpty else { continue }
            lines.append(en ? "  \(enName) (\(list.count)):" : "  \(vi) (\(list.count)):")
            for c in list { lines.append("    - " + c.message.text(lang)) }
        }
        if !rulesAdded.isEmpty || !rulesRemoved.isEmpty {
            lines.append(en
                ? "  Rules between rows: \(rulesAdded.count) added, \(rulesRemoved.count) removed:"
                : "  Quy tắc giữa các dòng: thêm \(rulesAdded.count), bỏ \(rulesRemoved.count):")
            for r in rulesAdded { lines.append("    + " + describe(r, new, lang)) }
            for r in rulesRemoved { lines.append("    - " + describe(r, old, lang)) }
        }
        let same = rowMap.count
        if isEmpty {
            lines.append(en ? "  No change: the same \(same) rows, codes, labels, kinds, units, ratio parts and rules."
                            : "  Không có thay đổi: cùng \(same) dòng, mã, tên, loại, đơn vị tính, tử số/mẫu số và quy tắc.")
        } else {
            lines.append(en ? "  Rows in both forms: \(same) (see --write-map)."
                            : "  Số dòng có ở cả hai biểu mẫu: \(same) (xem --write-map).")
        }
        return lines.joined(separator: "\n")
    }

    func describe(_ rule: CrossRule, _ f: FormDefinition, _ lang: Language) -> String {
        func c(_ id: String) -> String {
            let code = f.displayCode(of: id)
            let label = f.row(id)?.label ?? id
            return "\(code) «\(label.count > 40 ? String(label.prefix(39)) + "…" : label)»"
        }
        switch rule.kind {
        case .partNotAboveWhole(let p, let w): return "\(c(p)) ≤ \(c(w))"
        case .sum(let t, let ps): return "\(c(t)) = " + ps.map(c).joined(separator: " + ")
        }
    }

    /// The `replaces:` / `row_map:` block for the new form's file (appended to it).
    public func rowMapYAML() -> String {
        var lines: [String] = []
        lines.append("")
        lines.append("# Written by `bieumau forms diff \(old.id) \(new.id) --write-map`: files on \(old.id) are read")
        lines.append("# through this map (validate --previous, merge). Old row id: new row id; rows not listed are in one form only.")
        lines.append("replaces: \(old.id)")
        lines.append("row_map:")
        for o in old.rows {
            guard let n = map(o.id), let nr = new.row(n) else { continue }
            let changed = changes.filter { $0.oldID == o.id }.map(\.kind.rawValue)
            let note = changed.isEmpty ? "" : " (\(changed.joined(separator: ", ")))"
            lines.append("  \(o.id): \(n)   # \(new.displayCode(of: nr.id).isEmpty ? "—" : new.displayCode(of: nr.id))\(note)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func map(_ old: String) -> String? { rowMap[old] }
}

/// Pairs the rows of two forms: same code and label; same label elsewhere; same code with a
/// similar label; similar labels; then unnumbered rows within paired parents.
struct Pairing {
    let old: FormDefinition
    let new: FormDefinition
    var map: [String: String] = [:]
    var taken = Set<String>()

    init(old: FormDefinition, new: FormDefinition) {
        self.old = old
        self.new = new
    }

    static func key(_ r: FormRow) -> String { LabelKey.make(r.label) }

    /// Dice coefficient of the labels' words.
    static func similarity(_ a: String, _ b: String) -> Double {
        let wa = Set(LabelKey.make(a).split(separator: " ")), wb = Set(LabelKey.make(b).split(separator: " "))
        guard !wa.isEmpty, !wb.isEmpty else { return 0 }
        return 2 * Double(wa.intersection(wb).count) / Double(wa.count + wb.count)
    }

    mutating func pair(_ o: FormRow, _ n: FormRow) {
        map[o.id] = n.id
        taken.insert(n.id)
    }

    func freeOld(_ coded: Bool) -> [FormRow] { old.rows.filter { map[$0.id] == nil && $0.code.isEmpty != coded } }
    func freeNew(_ coded: Bool) -> [FormRow] { new.rows.filter { !taken.contains($0.id) && $0.code.isEmpty != coded } }

    mutating func run() -> [String: String] {
        // 1. Numbered rows: same code and label.
        for o in freeOld(true) {
            if let n = freeNew(true).first(where: { $0.code == o.code && Self.key($0) == Self.key(o) }) { pair(o, n) }
        }
        // 2. Same label under another code (moved), in order.
        for o in freeOld(true) {
            if let n = freeNew(true).first(where: { Self.key($0) == Self.key(o) && $0.kind.holdsValue == o.kind.holdsValue }) { pair(o, n) }
        }
        // 3. Same code, similar label (renamed).
        for o in freeOld(true) {
            if let n = freeNew(true).filter({ $0.code == o.code && $0.kind.holdsValue == o.kind.holdsValue
                                               && Self.similarity($0.label, o.label) >= 0.6 })
                .max(by: { Self.similarity($0.label, o.label) < Self.similarity($1.label, o.label) }) { pair(o, n) }
        }
        // 4. Similar labels anywhere (renamed and moved), best pairs first.
        greedy(freeOld(true), freeNew(true), threshold: 0.75)
        // 5. Unnumbered rows: within the paired parent, same label, then similar labels.
        for o in freeOld(false) {
            guard let op = o.parent, let np = map[op] else { continue }
            let candidates = freeNew(false).filter { $0.parent == np }
            if let n = candidates.first(where: { Self.key($0) == Self.key(o) }) { pair(o, n) }
        }
        for o in freeOld(false) {
            guard let op = o.parent, let np = map[op] else { continue }
            let candidates = freeNew(false).filter { $0.parent == np }
            if let n = candidates.filter({ Self.similarity($0.label, o.label) >= 0.6 })
                .max(by: { Self.similarity($0.label, o.label) < Self.similarity($1.label, o.label) }) { pair(o, n) }
        }
        // 6. Anything left with the same label (an unnumbered row numbered now, or moved elsewhere).
        let oldLeft = old.rows.filter { map[$0.id] == nil }
        for o in oldLeft {
            if let n = new.rows.first(where: { !taken.contains($0.id) && Self.key($0) == Self.key(o) }) { pair(o, n) }
        }
        return map
    }

    mutating func greedy(_ olds: [FormRow], _ news: [FormRow], threshold: Double) {
        var scored: [(Double, FormRow, FormRow)] = []
        for o in olds { for n in news {
            let s = Self.similarity(o.label, n.label)
            if s >= threshold && o.kind.holdsValue == n.kind.holdsValue { scored.append((s, o, n)) }
        } }
        scored.sort { $0.0 > $1.0 }
        for (_, o, n) in scored where map[o.id] == nil && !taken.contains(n.id) { pair(o, n) }
    }
}
