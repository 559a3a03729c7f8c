import AppendixModel
import FormSchema
import Foundation
import Support

/// Merges units' appendices into their parent's, row by row, by the rule the form names.
public enum Merger {
    /// How many unit names a note lists before it says "and N more" (the "Chi tiết" sheet lists all).
    public static let noteNameLimit = 20

    /// At most this many inputs are read (and held whole: grid, findings) at once, whatever the
    /// number of cores: the peak memory of a merge is this many files' reading plus one compact
    /// row of values per unit (`UnitInput.compacted()`), never all inputs' grids.
    public static let maxInputsReadAtOnce = 4

    public static func merge(_ inputs: [UnitInput], unreadable: [Rejection], form: FormDefinition,
                             options: MergeOptions) throws -> MergeResult {
        var rejected = unreadable
        // The inputs are chosen by index (a unit is copied once, into `accepted`); each unit's
        // name and identity key are found once.
        var units = inputs
        // 1. The form.
        var candidates: [Int] = []
        var carried: [CarriedUnit] = []
        for i in inputs.indices {
            let input = inputs[i]
            if input.appendix.form.id != form.id, let c = input.appendix.carried(to: form) {
                // Last year's form, read through the new form's row map: the rows both have are merged.
                units[i].appendix = c.appendix
                candidates.append(i)
                carried.append(CarriedUnit(file: input.file, unit: input.unitName, carried: c))
            } else if input.appendix.form.id != form.id {
                rejected.append(rejection(input, .otherForm, Localized(
                    vi: "biểu mẫu '\(input.appendix.form.id)', không phải '\(form.id)'",
                    en: "form '\(input.appendix.form.id)', not '\(form.id)'")))
            } else {
                candidates.append(i)
            }
        }
        // 2. The period: the one asked for, else the one most inputs name.
        let period = try options.period ?? majorityPeriod(candidates.map { units[$0].appendix.metadata.period })
        if let period {
            candidates = candidates.filter { i in
                guard let p = units[i].appendix.metadata.period, p != period else { return true }
                rejected.append(rejection(units[i], .otherPeriod, Localized(
                    vi: "kỳ báo cáo \(p.vietnamese), không phải \(period.vietnamese)",
                    en: "period \(p.kind.english) \(p.year), not \(period.kind.english) \(period.year)")))
                return false
            }
        }
        var names = [String](repeating: "", count: units.count)
        var keys = [String](repeating: "", count: units.count)
        for i in candidates {
            names[i] = units[i].unitName
            keys[i] = UnitIdentity.key(names[i])
        }
        let identified = IdentifiedUnits(units: units, names: names, keys: keys)
        // 3. A previous merge output among the inputs would count its units twice.
        candidates = setAsidePreviousMerges(candidates, of: identified, options: options, rejected: &rejected)
        // 4. One submission per unit.
        let (acceptedIndices, conflicts) = oneSubmissionPerUnit(candidates, of: identified, options: options, rejected: &rejected)
        let accepted = acceptedIndices.map { units[$0] }
        // 5. Expected units; a unit whose files disagree is missing.
        let acceptedKeys = Set(acceptedIndices.map { keys[$0] })
        var missing = options.expectedUnits.filter { !acceptedKeys.contains(UnitIdentity.key($0)) }
        let missingKeys = Set(missing.map(UnitIdentity.key))
        for c in conflicts where !missingKeys.contains(UnitIdentity.key(c.unit)) { missing.append(c.unit) }
        var unexpected: [String] = []
        if !options.expectedUnits.isEmpty {
            let expectedKeys = Set(options.expectedUnits.map(UnitIdentity.key))
            unexpected = acceptedIndices.filter { !expectedKeys.contains(keys[$0]) }.map { names[$0] }
        }
        // 6. All or nothing unless partial merges are allowed.
        // (A file superseded under --latest, or a second copy of the same submission, is listed, not an error.)
        let blocking = rejected.filter { !$0.kind.isInformational }
        if !options.allowPartial && (!blocking.isEmpty || !missing.isEmpty) {
            throw MergeRefusal(rejected: rejected, missing: missing, conflicts: conflicts,
                               error: incompleteError(rejected: blocking, missing: missing))
        }
        if accepted.isEmpty {
            throw MergeRefusal(rejected: rejected, missing: missing, conflicts: conflicts, error: BieuMauError(.dataError,
                vi: "Không có tệp nào tổng hợp được." + (rejected.isEmpty ? "" : "\n" + listing(rejected, missing: missing, .vi)),
                en: "No input could be merged." + (rejected.isEmpty ? "" : "\n" + listing(rejected, missing: missing, .en))))
        }
        // 7. Row by row.
        var rows = mergeRows(accepted, names: acceptedIndices.map { names[$0] }, form: form)
        // A row the old form did not have is not "blank" in an old-form file: say so.
        for c in carried {
            for absent in c.carried.absent {
                guard let i = rows.firstIndex(where: { $0.row.id == absent.id }) else { continue }
                for k in rows[i].notMerged.indices where rows[i].notMerged[k].unit == c.unit {
                    rows[i].notMerged[k].reason = Localized(
                        vi: "biểu mẫu cũ \(c.carried.oldForm) không có dòng này", en: "the old form \(c.carried.oldForm) has no such row")
                }
            }
        }
        var metadata = Metadata(unit: options.parentUnit, parentBody: options.parentBody, period: period,
                                title: form.title)
        metadata.workbookKind = "merged"
        let unitCount = accepted.reduce(0) { $0 + $1.leafUnits }
        metadata.mergedUnits = unitCount
        var values: [String: RowValue] = [:]
        for r in rows where r.rule != .none { values[r.row.id] = r.merged }
        let merged = Appendix(form: form, metadata: metadata, values: values, numberLocale: .vi)
        var result = MergeResult(merged: merged, rows: rows, accepted: accepted, rejected: rejected, missingUnits: missing,
                                 unexpectedUnits: unexpected, period: period, unitCount: unitCount, conflicts: conflicts)
        let acceptedFiles = Set(accepted.map(\.file))
        result.carried = carried.filter { acceptedFiles.contains($0.file) }
        return result
    }

    // MARK: - Previous merges

    /// A merged workbook (its own sheets backing its claim: `UnitInput.sourceUnits`) is set aside
    /// when it is the unit being produced, or when units it merged are also among the inputs.
    /// The inputs with each one's unit name and identity key (`UnitIdentity.key`), by index.
    struct IdentifiedUnits {
        let units: [UnitInput]
        let names: [String]
        let keys: [String]
    }

    /// Of `candidates` (indices in `all.units`), those kept.
    static func setAsidePreviousMerges(_ candidates: [Int], of all: IdentifiedUnits, options: MergeOptions,
                                       rejected: inout [Rejection]) -> [Int] {
        let parentKey = UnitIdentity.key(options.parentUnit)
        // Every unit an input stands for: itself, or the units a merged workbook merged.
        var holders: [String: [Int]] = [:]
        for i in candidates {
            let input = all.units[i]
            let keys = input.isMerged ? Set((input.sourceUnits ?? []).map(UnitIdentity.key)) : [all.keys[i]]
            for key in keys { holders[key, default: []].append(i) }
        }
        var kept: [Int] = []
        for i in candidates {
            let input = all.units[i]
            guard input.isMerged else { kept.append(i); continue }
            if all.keys[i] == parentKey {
                rejected.append(rejection(input, .previousMerge, Localized(
                    vi: "tệp là kết quả tổng hợp của chính đơn vị đang tổng hợp (\(input.unitName)); tổng hợp lại nó sẽ tính các đơn vị hai lần. Bỏ tệp này khỏi đầu vào",
                    en: "the file is a merge output of the unit being produced (\(input.unitName)); merging it again would count its units twice. Remove it from the inputs")))
                continue
            }
            let overlap = (input.sourceUnits ?? []).filter { name in
                (holders[UnitIdentity.key(name)] ?? []).contains { $0 != i }
            }
            if !overlap.isEmpty {
                rejected.append(rejection(input, .previousMerge, Localized(
                    vi: "tệp là kết quả tổng hợp trước đó; \(overlap.count) đơn vị của nó cũng có trong các tệp đầu vào khác (\(names(overlap, .vi))), nên sẽ bị tính hai lần. Bỏ tệp tổng hợp cũ khỏi đầu vào",
                    en: "the file is an earlier merge output; \(overlap.count) of its units are also among the other inputs (\(names(overlap, .en))) and would be counted twice. Remove the old merge output from the inputs")))
                continue
            }
            kept.append(i)
        }
        return kept
    }

    // MARK: - One submission per unit

    /// Groups the inputs by unit. One file: accepted. With `latestWins`: the newest. Otherwise
    /// files with the same values are one submission (the first is kept, the others listed), and
    /// files with different values are all set aside: the merge never picks one by argument order.
    static func oneSubmissionPerUnit(_ candidates: [Int], of all: IdentifiedUnits, options: MergeOptions,
                                     rejected: inout [Rejection]) -> ([Int], [SubmissionConflict]) {
        var order: [String] = []
        var groupOf: [String: [Int]] = [:]
        for i in candidates {
            let key = all.keys[i]
            if groupOf[key] == nil { order.append(key) }
            groupOf[key, default: []].append(i)
        }
        var accepted: [Int] = []
        var conflicts: [SubmissionConflict] = []
        for key in order {
            let indices = groupOf[key]!
            if indices.count == 1 { accepted.append(indices[0]); continue }
            // The unit sent several files (rare): its inputs themselves.
            let group = indices.map { all.units[$0] }
            if options.latestWins {
                var keptIndex = indices[0]
                for (input, i) in zip(group, indices).dropFirst() {
                    let kept = all.units[keptIndex]
                    if let newer = input.modified, newer > (kept.modified ?? .distantPast) {
                        rejected.append(rejection(kept, .superseded, Localized(
                            vi: "đơn vị \(kept.unitName) đã có tệp mới hơn \(input.file) (--latest)",
                            en: "unit \(kept.unitName) has a newer file \(input.file) (--latest)")))
                        keptIndex = i
                    } else {
                        rejected.append(rejection(input, .superseded, Localized(
                            vi: "đơn vị \(input.unitName) đã có tệp mới hơn hoặc cùng ngày \(kept.file) (--latest)",
                            en: "unit \(input.unitName) has a newer or same-date file \(kept.file) (--latest)")))
                    }
                }
                accepted.append(keptIndex)
                continue
            }
            var distinct: [UnitInput] = []
            var distinctIndices: [Int] = []
            for (input, i) in zip(group, indices) {
                if let same = distinct.first(where: { sameSubmission($0, input) }) {
                    rejected.append(rejection(input, .sameSubmission, Localized(
                        vi: "cùng số liệu với tệp \(same.file) của đơn vị \(same.unitName): tính là một lần gửi",
                        en: "the same values as \(same.file) of unit \(same.unitName): counted as one submission")))
                } else {
                    distinct.append(input)
                    distinctIndices.append(i)
                }
            }
            if distinct.count == 1 { accepted.append(distinctIndices[0]); continue }
            let rows = differingRows(distinct)
            let conflict = SubmissionConflict(unit: distinct[0].unitName, files: distinct.map(\.file), rows: rows)
            conflicts.append(conflict)
            let shownVi = rows.prefix(5).map { "\($0.code): " + $0.raws.map { $0.isEmpty ? "(trống)" : "«\($0)»" }.joined(separator: " / ") }
            let shownEn = rows.prefix(5).map { "\($0.code): " + $0.raws.map { $0.isEmpty ? "(blank)" : "'\($0)'" }.joined(separator: " / ") }
            let moreVi = rows.count > 5 ? "; và \(rows.count - 5) dòng khác" : ""
            let moreEn = rows.count > 5 ? "; and \(rows.count - 5) more rows" : ""
            for input in distinct {
                let others = distinct.filter { $0.file != input.file }.map(\.file).joined(separator: ", ")
                rejected.append(rejection(input, .conflictingSubmission, Localized(
                    vi: "đơn vị \(input.unitName) gửi \(distinct.count) tệp có số liệu khác nhau (tệp khác: \(others)); khác ở \(rows.count) dòng: \(shownVi.joined(separator: "; "))\(moreVi). Không tệp nào được tổng hợp: giữ lại tệp đúng và bỏ tệp kia, hoặc dùng --latest để lấy tệp mới nhất",
                    en: "unit \(input.unitName) sent \(distinct.count) files with different values (other: \(others)); they differ on \(rows.count) row(s): \(shownEn.joined(separator: "; "))\(moreEn). None was merged: keep the right file and remove the other, or use --latest to take the newest")))
            }
        }
        return (accepted, conflicts)
    }

    /// A cell's text as quoted in a message: at most 200 characters.
    static func shortened(_ text: String) -> String {
        text.count <= 200 ? text : String(text.prefix(199)) + "…"
    }

    /// Two files are one submission when every value row reads the same (identical files do; so do
    /// a CSV and the workbook converted from it).
    static func sameSubmission(_ a: UnitInput, _ b: UnitInput) -> Bool {
        guard a.appendix.form.id == b.appendix.form.id else { return false }
        return a.appendix.form.rows.allSatisfy { row in
            !row.kind.holdsValue || a.appendix.value(row.id).value == b.appendix.value(row.id).value
        }
    }

    static func differingRows(_ inputs: [UnitInput]) -> [ConflictRow] {
        guard let form = inputs.first?.appendix.form else { return [] }
        var out: [ConflictRow] = []
        for row in form.rows where row.kind.holdsValue {
            let values = inputs.map { $0.appendix.value(row.id) }
            guard values.contains(where: { $0.value != values[0].value }) else { continue }
            let code = form.displayCode(of: row.id)
            out.append(ConflictRow(rowID: row.id, code: code.isEmpty ? row.label : code, label: row.label,
                                   raws: values.map { shortened(TextNormalization.stripMarkup($0.raw)) }))
        }
        return out
    }

    // MARK: - Rejections

    static func rejection(_ input: UnitInput, _ kind: RejectionKind, _ reason: Localized) -> Rejection {
        Rejection(file: input.file, unit: input.unitName, kind: kind, reason: reason, sha256: input.sha256,
                  period: input.appendix.metadata.period, errorCount: input.errorCount, warningCount: input.warningCount)
    }

    /// The period most inputs name (each input's period, nil when it names none).
    static func majorityPeriod(_ periods: [Period?]) throws -> Period? {
        var counts: [Period: Int] = [:]
        var firstSeen: [Period] = []
        for period in periods {
            guard let p = period else { continue }
            if counts[p] == nil { firstSeen.append(p) }
            counts[p, default: 0] += 1
        }
        guard let best = counts.values.max() else { return nil }
        let top = firstSeen.filter { counts[$0] == best }
        if top.count > 1 {
            let names = top.map(\.vietnamese).joined(separator: ", ")
            let namesEn = top.map { "\($0.kind.english) \($0.year)" }.joined(separator: ", ")
            throw BieuMauError(.usage,
                vi: "Các tệp đầu vào thuộc nhiều kỳ báo cáo với số tệp bằng nhau (\(names)). Hãy chọn kỳ bằng --period.",
                en: "The inputs name several periods equally often (\(namesEn)). Choose one with --period.")
        }
        return top.first
    }

    static func listing(_ rejected: [Rejection], missing: [String], _ lang: Language) -> String {
        var lines: [String] = []
        for r in rejected {
            lines.append("  - \(r.file): \(r.reason.text(lang))")
        }
        for m in missing {
            lines.append(lang == .en ? "  - missing unit: \(m)" : "  - thiếu đơn vị: \(m)")
        }
        return lines.joined(separator: "\n")
    }

    static func incompleteError(rejected: [Rejection], missing: [String]) -> BieuMauError {
        BieuMauError(.dataError,
            vi: "Không tổng hợp vì có \(rejected.count) tệp bị loại và \(missing.count) đơn vị chưa gửi; không ghi tệp kết quả nào:\n"
                + listing(rejected, missing: missing, .vi)
                + "\nSửa các tệp trên, hoặc dùng --allow-partial để tổng hợp phần còn lại (các tệp bị loại và đơn vị thiếu được ghi trong kết quả).",
            en: "Nothing merged: \(rejected.count) input(s) rejected and \(missing.count) unit(s) missing; no output was written:\n"
                + listing(rejected, missing: missing, .en)
                + "\nFix the files above, or use --allow-partial to merge the rest (rejections and missing units are listed in the output).")
    }

    // MARK: - Rows

    /// What the merge of a row needs to know of each unit besides its value, found once per unit
    /// (a unit's name is normalized text: not worth recomputing on every row).
    struct UnitFacts {
        let name: String
        let isMerged: Bool
    }

    static func mergeRows(_ units: [UnitInput], names: [String]? = nil, form: FormDefinition) -> [RowMerge] {
        let names = names ?? units.map(\.unitName)
        let facts = units.indices.map { UnitFacts(name: names[$0], isMerged: units[$0].isMerged) }
        var byID: [String: RowMerge] = [:]
        // Sums first: ratios are computed from the merged numerator and denominator rows.
        for row in form.rows where row.merge != .ratio {
            byID[row.id] = mergeRow(row, units: units, facts: facts, form: form)
        }
        for row in form.rows where row.merge == .ratio {
            byID[row.id] = mergeRatio(row, units: units, facts: facts, form: form, merged: byID)
        }
        return form.rows.compactMap { byID[$0.id] }
    }

    /// Each unit's value on a row, in the order of `units`.
    static func rowValues(_ rowID: String, in units: [UnitInput]) -> [RowValue] {
        var values: [RowValue] = []
        values.reserveCapacity(units.count)
        for i in units.indices { values.append(units[i].appendix.values[rowID] ?? .empty) }
        return values
    }

    static func mergeRow(_ row: FormRow, units: [UnitInput], facts: [UnitFacts], form: FormDefinition) -> RowMerge {
        let values = rowValues(row.id, in: units)
        var result = RowMerge(row: row, rule: row.merge, merged: .empty, units: values, notMerged: [], note: nil,
                              choiceCounts: [])
        switch row.merge {
        case .none, .ratio:
            break
        case .sum:
            mergeSum(&result, units: facts)
        case .countYes:
            mergeCountYes(&result, units: facts, form: form)
        case .choices:
            mergeChoices(&result, units: facts)
        case .perUnit:
            result.note = Localized(vi: "Không tổng hợp được; xem số liệu từng đơn vị ở trang Chi tiết",
                                    en: "Not mergeable; see each unit's value on the Chi tiết sheet")
            result.merged = RowValue(raw: "", value: .empty, note: result.note!.vi)
        }
        return result
    }

    /// Units' values that are not numbers, by what they are: status texts, blanks, other text.
    struct Leftovers {
        var byStatus: [(status: String, units: [String])] = []
        var blank: [String] = []
        var text: [(unit: String, raw: String)] = []

        /// A blank or a status text: kept aside by unit (never turned into 0) and listed as not merged.
        mutating func setAside(_ v: RowValue, unit name: String, in result: inout RowMerge) {
            if case .status(let s) = v.value {
                add(status: s, unit: name)
                result.notMerged.append(NotMerged(unit: name, raw: v.raw, reason: Localized(vi: s, en: s)))
            } else {
                blank.append(name)
                result.notMerged.append(NotMerged(unit: name, raw: v.raw, reason: Localized(vi: "để trống", en: "blank")))
            }
        }

        mutating func add(status: String, unit: String) {
            if let i = byStatus.firstIndex(where: { $0.status == status }) { byStatus[i].units.append(unit) }
            else { byStatus.append((status, [unit])) }
        }

        var isEmpty: Bool { byStatus.isEmpty && blank.isEmpty && text.isEmpty }

        func note(allBlankIsSilent: Bool, total: Int) -> Localized? {
            var vi: [String] = [], en: [String] = []
            for s in byStatus {
                vi.append("\(s.status): \(Merger.names(s.units, .vi))")
                en.append("\(s.status): \(Merger.names(s.units, .en))")
            }
            if !blank.isEmpty && !(allBlankIsSilent && blank.count == total) {
                vi.append("Để trống: \(Merger.names(blank, .vi))")
                en.append("Blank: \(Merger.names(blank, .en))")
            }
            if !text.isEmpty {
                let items = text.map { "\($0.unit) (“\($0.raw)”)" }
                vi.append("Không đọc được số: \(Merger.names(items, .vi))")
                en.append("Not a number: \(Merger.names(items, .en))")
            }
            if vi.isEmpty { return nil }
            return Localized(vi: vi.joined(separator: "; "), en: en.joined(separator: "; "))
        }
    }

    static func names(_ list: [String], _ lang: Language) -> String {
        if list.count <= noteNameLimit { return list.joined(separator: ", ") }
        let shown = list.prefix(noteNameLimit).joined(separator: ", ")
        let more = list.count - noteNameLimit
        return shown + (lang == .en ? " and \(more) more" : " và \(more) đơn vị khác")
    }

    static func mergeSum(_ result: inout RowMerge, units: [UnitFacts]) {
        var total = ExactDecimal.zero
        var any = false, overflowed = false
        var decimals: Int?
        var left = Leftovers()
        let values = result.units
        for i in values.indices {
            let v = values[i]
            var name: String { units[i].name }
            switch v.value {
            case .number(let n):
                guard !overflowed, let t = total.adding(n) else {
                    // Beyond the supported range: the row is not summed (never a trap, never a wrong total).
                    overflowed = true
                    result.notMerged.append(NotMerged(unit: name, raw: v.raw, reason: Localized(
                        vi: "tổng vượt quá phạm vi số cộng chính xác được", en: "the sum is beyond the exactly summed range")))
                    continue
                }
                total = t
                any = true
                if let d = v.decimals ?? (n.normalized.scale > 0 ? n.normalized.scale : nil) {
                    decimals = max(decimals ?? 0, d)
                }
            case .empty, .status:
                left.setAside(v, unit: name, in: &result)
            case .yesNo, .choices, .text:
                left.text.append((name, TextNormalization.stripMarkup(v.raw)))
                result.notMerged.append(NotMerged(unit: name, raw: v.raw,
                    reason: Localized(vi: "không phải số", en: "not a number")))
            }
        }
        result.note = left.note(allBlankIsSilent: true, total: units.count)
        if overflowed {
            let note = Localized(
                vi: "Không cộng được: tổng vượt quá phạm vi số cộng chính xác được (tối đa \(ExactDecimal.maxIntegerDigits) chữ số phần nguyên)",
                en: "Not summed: the total is beyond the exactly summed range (at most \(ExactDecimal.maxIntegerDigits) integer digits)")
            result.note = note
            result.merged = RowValue(raw: "", value: .empty, note: note.vi)
        } else if any {
            result.merged = RowValue(raw: total.formatted(.vi, places: decimals), value: .number(total),
                                     decimals: decimals, note: result.note?.vi ?? "")
        } else if left.blank.isEmpty && left.text.isEmpty && left.byStatus.count == 1 {
            // Every unit gave the same status text: the parent's row says the same.
            let s = left.byStatus[0].status
            result.merged = RowValue(raw: s, value: .status(s), note: result.note?.vi ?? "")
        } else {
            result.merged = RowValue(raw: "", value: .empty, note: result.note?.vi ?? "")
        }
    }

    static func mergeCountYes(_ result: inout RowMerge, units: [UnitFacts], form: FormDefinition) {
        var yes = 0
        var noUnits: [String] = []
        var left = Leftovers()
        var carried: [String] = []
        let values = result.units
        for i in values.indices {
            let v = values[i]
            let unit = units[i]
            let name = unit.name
            switch v.value {
            case .yesNo(true):
                yes += 1
            case .yesNo(false):
                noUnits.append(name)
            case .number(let n) where unit.isMerged && n.isInteger && !n.isNegative:
                // A merged workbook holds how many of its units answered Có.
                yes += Int(n.description) ?? 0
                if !v.note.isEmpty { carried.append("\(name): \(v.note)") }
            case .number(let n) where !unit.isMerged && (n == ExactDecimal(1) || n == .zero):
                // Offices often type 1/0 for Có/Không (the seed prints 0).
                if n.isZero { noUnits.append(name) } else { yes += 1 }
            case .empty, .status:
                left.setAside(v, unit: name, in: &result)
            default:
                left.text.append((name, TextNormalization.stripMarkup(v.raw)))
                result.notMerged.append(NotMerged(unit: name, raw: v.raw,
                    reason: Localized(vi: "không phải Có/Không", en: "not Có/Không (yes/no)")))
            }
        }
        var vi: [String] = [], en: [String] = []
        vi.append("Số đơn vị trả lời Có")
        en.append("Units answering Có (yes)")
        if !noUnits.isEmpty {
            vi.append("Không: \(names(noUnits, .vi))")
            en.append("Không (no): \(names(noUnits, .en))")
        }
        if let l = left.note(allBlankIsSilent: false, total: units.count) {
            vi.append(l.vi)
            en.append(l.en)
        }
        for c in carried {
            vi.append(c)
            en.append(c)
        }
        result.note = Localized(vi: vi.joined(separator: "; "), en: en.joined(separator: "; "))
        result.merged = RowValue(raw: String(yes), value: .number(ExactDecimal(yes)), decimals: 0, note: result.note!.vi)
    }

    static func mergeChoices(_ result: inout RowMerge, units: [UnitFacts]) {
        let row = result.row
        var counts: [String: Int] = [:]
        var other: [String: Int] = [:]
        var otherOrder: [String] = []
        var left = Leftovers()
        let values = result.units
        for i in values.indices {
            let v = values[i]
            let unit = units[i]
            let name = unit.name
            switch v.value {
            case .choices(let list):
                for c in Set(list) { counts[c, default: 0] += 1 }
            case .empty, .status:
                left.setAside(v, unit: name, in: &result)
            case .text(let t) where unit.isMerged && ChoiceCounts.parse(t, choices: row.choices) != nil:
                // A merged workbook writes "Trực tuyến (3); Phát phiếu (1)".
                for (c, n) in ChoiceCounts.parse(t, choices: row.choices)! { counts[c, default: 0] += n }
            default:
                let t = TextNormalization.collapseWhitespace(TextNormalization.stripMarkup(v.raw))
                if other[t] == nil { otherOrder.append(t) }
                other[t, default: 0] += 1
                left.text.append((name, t))
                result.notMerged.append(NotMerged(unit: name, raw: v.raw,
                    reason: Localized(vi: "không phải lựa chọn của biểu mẫu", en: "not one of the form's choices")))
            }
        }
        result.choiceCounts = row.choices.compactMap { c in counts[c].map { (c, $0) } }
        var vi: [String] = [], en: [String] = []
        if let l = left.note(allBlankIsSilent: true, total: units.count) {
            vi.append(l.vi)
            en.append(l.en)
        }
        result.note = vi.isEmpty ? nil : Localized(vi: vi.joined(separator: "; "), en: en.joined(separator: "; "))
        let text = ChoiceCounts.text(result.choiceCounts)
        result.merged = RowValue(raw: text, value: text.isEmpty ? .empty : .text(text), note: result.note?.vi ?? "")
    }

    static func mergeRatio(_ row: FormRow, units: [UnitInput], facts: [UnitFacts], form: FormDefinition,
                           merged: [String: RowMerge]) -> RowMerge {
        let values = rowValues(row.id, in: units)
        var result = RowMerge(row: row, rule: .ratio, merged: .empty, units: values, notMerged: [], note: nil,
                              choiceCounts: [])
        let places = row.decimals ?? 2
        guard let numID = row.numerator, let denID = row.denominator,
              let num = merged[numID], let den = merged[denID] else {
            result.note = Localized(vi: "Biểu mẫu không nêu tử số/mẫu số của dòng này",
                                    en: "The form names no numerator/denominator for this row")
            result.merged = RowValue(raw: "", value: .empty, note: result.note!.vi)
            return result
        }
        // Units that gave only one of the two parts distort the quotient: name them.
        var partial: [String] = []
        for i in units.indices {
            let hasNum = num.units[i].value.number != nil, hasDen = den.units[i].value.number != nil
            if hasNum != hasDen {
                partial.append(facts[i].name)
                result.notMerged.append(NotMerged(unit: facts[i].name, raw: values[i].raw, reason: Localized(
                    vi: hasNum ? "có tử số, thiếu mẫu số" : "có mẫu số, thiếu tử số",
                    en: hasNum ? "numerator without denominator" : "denominator without numerator")))
            }
        }
        var vi = ["Tính lại từ tổng tử số / tổng mẫu số × 100"]
        var en = ["Recomputed as Σ numerator / Σ denominator × 100"]
        if !partial.isEmpty {
            vi.append("Thiếu tử số hoặc mẫu số: \(names(partial, .vi))")
            en.append("Missing numerator or denominator: \(names(partial, .en))")
        }
        if let n = num.merged.value.number, let d = den.merged.value.number {
            if let q = n.multiplied(by: ExactDecimal(100))?.divided(by: d, places: places) {
                result.note = Localized(vi: vi.joined(separator: "; "), en: en.joined(separator: "; "))
                result.merged = RowValue(raw: q.formatted(.vi, places: places) + "%", value: .number(q), decimals: places,
                                         percentSign: true, note: partial.isEmpty ? "" : result.note!.vi)
            } else {
                vi.append("Tổng mẫu số bằng 0, không tính được tỷ lệ")
                en.append("The summed denominator is 0; no ratio")
                result.note = Localized(vi: vi.joined(separator: "; "), en: en.joined(separator: "; "))
                result.merged = RowValue(raw: "", value: .empty, note: result.note!.vi)
            }
        } else {
            vi.append("Không đủ số liệu tử số và mẫu số để tính")
            en.append("No summed numerator and denominator to compute it from")
            result.note = Localized(vi: vi.joined(separator: "; "), en: en.joined(separator: "; "))
            result.merged = RowValue(raw: "", value: .empty, note: result.note!.vi)
        }
        return result
    }
}
