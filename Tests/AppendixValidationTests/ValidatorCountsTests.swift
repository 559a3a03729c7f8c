import AppendixModel
import AppendixValidation
import FormSchema
import Foundation
import Support
import Testing
import TestSupport

/// `Validator.counts` (what a merge keeps of each unit) runs the checks without writing the
/// findings' texts: on every appendix it must give the errors and warnings of the full run.
@Suite("Validator: counts without texts equal the full run's")
struct ValidatorCountsTests {
    /// What people type in value cells: numbers in both conventions, percentages, words, status texts,
    /// yes/no, choices, numbers beyond the exact range, markup, long text, blanks.
    static let typed = [
        "", "", "", "0", "1", "2", "7", "13", "25", "100", "1000000", "12,5", "0,5", "3,7", "1.234", "1.234,5", "12.5",
        "12 345", "-3", "−4", "150%", "101%", "50%", "33,33%", "0,97", "25%", "abc", "x", "mười ba", "Có", "Không",
        "không có", "Chưa thực hiện", "Đang thực hiện", "Trực tuyến", "Trực tuyến; Phát phiếu", "Qua mạng",
        "Trực tuyến (3); Kết hợp (2)", "Khác", "99999999999999999999999", "<b>5</b>", "  12  ", "1e5",
        String(repeating: "Lorem ipsum dolor ", count: 20),
    ]
    static let notes = ["", "12", "5,5", "ghi chú", "Chưa thực hiện"]
    static let dates = ["ngày /3/2022", "ngày 15/3/2023", "ngày 31/2/2023", "ngày 15/8/2023", "ngày 20/12/2023",
                        "ngày 15/1/2024", "ngày 15/6/2023"]
    static let periods: [Period?] = [nil, Period(kind: .q1, year: 2023), Period(kind: .sixMonths, year: 2023),
                                     Period(kind: .q3, year: 2023), Period(kind: .year, year: 2023)]

    /// The `n`-th generated appendix: the seed or the clean appendix with cells retyped, notes
    /// filled, rows or whole sections left out, another report date, period or unit, or a merged workbook's properties.
    static func generated(_ n: Int) -> Appendix {
        var seq = SplitMix64(state: UInt64(n) &* 7919 &+ 17)
        let form = Build.form
        var values = seq.chance(50) ? Build.seedValues : Build.cleanValues
        var omit: Set<String> = []
        let valueRows = form.rows.filter { $0.kind.holdsValue }.map(\.id)
        for _ in 0..<seq.pick([0, 1, 2, 3, 5, 8, 15, 30]) {
            let id = seq.pick(form.rows).id
            switch seq.below(10) {
            case 0: omit.insert(id)
            default: values[id] = seq.pick(typed)
            }
        }
        if seq.chance(8) {
            // A whole section cut off.
            let sections = form.rows.indices.filter { form.rows[$0].kind == .section }
            let s = seq.pick(sections)
            var i = s
            repeat { omit.insert(form.rows[i].id); i += 1 } while i < form.rows.count && form.rows[i].kind != .section
        }
        if seq.chance(3) { for id in valueRows { values[id] = "" } }
        var md = Build.metadata(date: seq.pick(dates), period: seq.pick(periods),
                                unit: seq.pick(["UBND huyện Ngân Sơn", "UBND xã Thượng Quan", nil]))
        if seq.chance(10) {
            md.workbookKind = "merged"
            md.mergedUnits = seq.pick([3, 8, 40])
        }
        var a = Build.appendix(values, metadata: md, omit: omit)
        for _ in 0..<seq.pick([0, 0, 1, 3]) {
            // Numbers typed in the Ghi chú column.
            let id = seq.pick(valueRows)
            guard var rv = a.values[id] else { continue }
            rv.note = seq.pick(notes)
            if seq.chance(70) { rv = RowValue(raw: "", value: .empty, note: rv.note, location: rv.location) }
            a.values[id] = rv
        }
        return a
    }

    static func options(_ n: Int) -> [ValidationOptions] {
        var seq = SplitMix64(state: UInt64(n) &+ 1_000_003)
        let q1 = Period(kind: .q1, year: 2023)
        return [
            .init(),
            .init(expectedPeriod: q1, expectedUnit: "Ủy ban nhân dân huyện Ngân Sơn"),
            .init(expectedPeriod: seq.pick(periods.compactMap { $0 }), expectedUnit: "UBND xã Bằng Vân", strict: true),
            .init(expectedPeriod: q1, previous: generated(n + 100_000), strict: seq.chance(50)),
        ]
    }

    static func fullCounts(_ findings: [Finding]) -> ValidationReport.Summary {
        ValidationReport.Summary(errors: findings.filter { $0.severity == .error }.count,
                                 warnings: findings.filter { $0.severity == .warning }.count)
    }

    @Test func countsEqualTheFullRunOnGeneratedAppendices() {
        var rulesSeen: Set<Rule> = []
        var findingsSeen = 0
        for n in 0..<400 {
            let a = Self.generated(n)
            for (k, o) in Self.options(n).enumerated() {
                let full = Validator.validate(a, options: o)
                rulesSeen.formUnion(full.map(\.rule))
                findingsSeen += full.count
                #expect(Validator.counts(a, options: o) == Self.fullCounts(full), "appendix \(n), options \(k)")
            }
        }
        // The generated appendices reach (nearly) every rule the validator has, so the equality above means something.
        let validatorRules: Set<Rule> = [
            .ratioMismatch, .partExceedsWhole, .sumMismatch, .outOfRange, .typeError, .invalidChoice, .missingRow,
            .ambiguousNumber, .valueOnGroupRow, .zeroDenominator, .periodMismatch, .cumulativeDecrease, .unitMismatch,
            .valueInNoteColumn, .emptyAppendix, .missingSection,
        ]
        #expect(validatorRules.subtracting(rulesSeen).isEmpty, "never found: \(validatorRules.subtracting(rulesSeen))")
        #expect(findingsSeen > 5_000)
    }

    /// The same problem found twice (a ratio's part ≤ whole and a `rules:` entry on the same rows) is
    /// counted once, as in the full report.
    @Test func aProblemFoundTwiceIsCountedOnce() {
        // 1.3.3 > 1.3.2 breaks the ratio 1.3.4's part ≤ whole, and the form's rule 1.3.3 ≤ 1.3.2.
        let a = Build.with(["r1_3_2": "4", "r1_3_3": "6"])
        let full = Validator.validate(a)
        #expect(full.with(.partExceedsWhole).map(\.code) == ["1.3.3"])
        #expect(Validator.counts(a) == Self.fullCounts(full))
        #expect(Validator.counts(a).errors >= 1)
    }
}
