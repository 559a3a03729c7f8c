import AppendixModel
import AppendixValidation
import FormSchema
import Foundation
import Support
import Testing
import TestSupport

@Suite("Validator: the seed and a clean appendix")
struct SeedTests {
    @Test func cleanAppendixHasNoFinding() {
        let findings = Validator.validate(Build.clean, options: .init(expectedPeriod: Build.q1_2023,
                                                                      expectedUnit: "Ủy ban nhân dân huyện Ngân Sơn"))
        #expect(findings.isEmpty, "\(findings.map { $0.message.en })")
    }

    @Test func seedGivesExactlyItsGenuineProblems() throws {
        let findings = Validator.validate(Build.seed, options: .init(expectedPeriod: Build.q1_2023))
        #expect(findings.ruleCodes == [
            "period-mismatch ",
            "sum-mismatch 3.1.4",
            "sum-mismatch 4.3",
            "type-error 1.6",
            "value-on-group-row 2.3",
            "zero-denominator 1.3.4",
            "zero-denominator 3.4",
        ])
        // 3.1.4: 265 + 110 = 375, an error; 4.3: 0 + 1 + 0 + 0 + 0 + 33 = 34, a warning by the form's rule level.
        let total = try #require(findings.first { $0.code == "3.1.4" })
        #expect(total.expected == "375" && total.found == "" && total.severity == .error)
        #expect(total.location?.cellText(.vi) == "dòng \(Build.line(of: "r3_1_4")), cột 4")
        let units = try #require(findings.first { $0.code == "4.3" })
        #expect(units.expected == "34" && units.found == "33" && units.severity == .warning)
        let yesNo = try #require(findings.first { $0.rule == .typeError })
        #expect(yesNo.found == "0" && yesNo.expected == "Có/Không" && yesNo.severity == .error)
        let period = try #require(findings.first { $0.rule == .periodMismatch })
        #expect(period.severity == .error && period.found?.contains("2022") == true && period.expected?.contains("2023") == true)
        #expect(period.message.vi.contains("2023") && period.message.en.contains("Q1 2023"))
        #expect(findings.with(.zeroDenominator).allSatisfy { $0.severity == .warning && $0.found == "0" })
        #expect(findings.with(.valueOnGroupRow).first?.severity == .warning)
    }

    @Test func everyFindingSaysWhatToDoInBothLanguages() {
        for f in Validator.validate(Build.seed, options: .init(expectedPeriod: Build.q1_2023)) {
            #expect(!f.message.vi.isEmpty && !f.message.en.isEmpty && f.message.vi != f.message.en)
            #expect(f.location != nil, "\(f.rule) \(f.code) has no cell")
        }
    }

    @Test func severalProblemsAreAllReported() {
        let a = Build.with(["r1_1": "mười ba", "r1_2": "30%", "r1_5_2": "Qua mạng", "r4_5_4": "-2", "s1": "1",
                            "r1_4_1": "5", "r1_4_2": "7"])
        #expect(Validator.validate(a).ruleCodes == [
            "invalid-choice 1.5.2", "out-of-range 4.5.4", "part-exceeds-whole 1.4.2", "ratio-mismatch 1.2",
            "type-error 1.1", "value-on-group-row 1",
        ])
    }

    @Test func strictTurnsWarningsIntoErrors() {
        let normal = Validator.validate(Build.seed, options: .init(expectedPeriod: Build.q1_2023))
        let strict = Validator.validate(Build.seed, options: .init(expectedPeriod: Build.q1_2023, strict: true))
        #expect(normal.contains { $0.severity == .warning })
        #expect(strict.count == normal.count && strict.allSatisfy { $0.severity == .error })
    }

    @Test func readingFindingsAreIncluded() {
        let reading = Finding(severity: .warning, rule: .unknownRow, code: "9.9", label: "Dòng lạ",
                              location: SourceLocation(file: "test.csv", line: 200, column: 2),
                              message: Localized(vi: "Dòng không có trong biểu.", en: "Row not in the form."))
        let a = Build.appendix(Build.cleanValues, metadata: Build.metadata(date: "ngày 15/3/2023"), readingFindings: [reading])
        #expect(Validator.validate(a) == [reading])
    }
}

@Suite("Validator: one rule at a time")
struct RuleTests {
    @Test func typeError() throws {
        // Words in a number cell, a % on a count row, a number on a yes/no row.
        let bad = Validator.validate(Build.with(["r1_1": "mười ba", "r2_3_1": "21%", "r1_6": "1"]))
        #expect(bad.ruleCodes == ["type-error 1.1", "type-error 1.6", "type-error 2.3.1"])
        #expect(bad.allSatisfy { $0.severity == .error })
        #expect(bad.first { $0.code == "1.1" }?.found == "mười ba")
        // Status texts are allowed in number rows; Có/Không on yes/no rows; money with decimals.
        let good = Validator.validate(Build.with(["r1_1": "Chưa thực hiện", "r1_6": "Có", "r2_3_1": "Không phát sinh",
                                                  "r6_1_1": "136.284,5", "r6_1": "2,30"]))
        #expect(good.isEmpty, "\(good.map(\.message.en))")
    }

    @Test func invalidChoice() {
        let bad = Validator.validate(Build.with(["r1_5_2": "Qua điện thoại"]))
        #expect(bad.ruleCodes == ["invalid-choice 1.5.2"])
        #expect(bad.first?.expected == "Trực tuyến; Phát phiếu; Kết hợp")
        #expect(Validator.validate(Build.with(["r1_5_2": "Trực tuyến; Phát phiếu"])).isEmpty)
        #expect(Validator.validate(Build.with(["r1_5_2": "kết hợp"])).isEmpty)
    }

    @Test func outOfRange() {
        // A negative count, a ratio over 100 %, a fraction of a person.
        let bad = Validator.validate(Build.with(["r4_5_4": "-1", "r5_1_1": "120%", "r4_5_3": "6,5"]))
        #expect(bad.ruleCodes == ["out-of-range 4.5.3", "out-of-range 4.5.4", "out-of-range 5.1.1"])
        #expect(bad.first { $0.code == "5.1.1" }?.expected == "≤ 100%")
        #expect(bad.first { $0.code == "4.5.4" }?.expected == "≥ 0")
        #expect(Validator.validate(Build.with(["r5_1_1": "100%", "r4_5_4": "0", "r4_5_3": "6"])).isEmpty)
    }

    @Test func valueOnGroupRow() {
        let bad = Validator.validate(Build.with(["r1_3": "5", "s4": "Chưa thực hiện"]))
        #expect(bad.ruleCodes == ["value-on-group-row 1.3", "value-on-group-row 4"])
        #expect(bad.first { $0.code == "1.3" }?.found == "5")
        #expect(Validator.validate(Build.with(["r1_3": ""])).isEmpty)
    }

    @Test func missingRow() throws {
        // Absent from the input: a warning naming the row; a present but empty row is not missing.
        let absent = Build.appendix(Build.cleanValues, metadata: Build.metadata(date: "ngày 15/3/2023"), omit: ["r4_1", "r4_5"])
        let f = Validator.validate(absent)
        #expect(f.ruleCodes == ["missing-row 4.1"])  // 4.5 is a heading: nothing to miss
        #expect(f.first?.severity == .warning)
        #expect(Validator.validate(Build.with(["r4_1": ""])).isEmpty)
        // A required row left empty is an error.
        var form = Build.form
        let i = try #require(form.index(of: "r4_1"))
        form.rows[i].required = true
        let required = Build.appendix(Build.cleanValues.merging(["r4_1": ""]) { $1 }, form: form,
                                      metadata: Build.metadata(date: "ngày 15/3/2023"))
        let g = Validator.validate(required)
        #expect(g.ruleCodes == ["missing-row 4.1"] && g.first?.severity == .error)
        let filled = Build.appendix(Build.cleanValues, form: form, metadata: Build.metadata(date: "ngày 15/3/2023"))
        #expect(Validator.validate(filled).isEmpty)
    }

    @Test func ratioMismatch() throws {
        // 14 / 56 = 25 % exactly: 30 % is wrong, 25,0 % is right.
        let bad = Validator.validate(Build.with(["r1_2": "30%"]))
        #expect(bad.ruleCodes == ["ratio-mismatch 1.2"])
        #expect(bad.first?.expected == "25%" && bad.first?.found == "30%")
        #expect(Validator.validate(Build.with(["r1_2": "25,0%"])).isEmpty)
        // 3.135 / 136.284 × 100 = 2,3003…: printed with two decimals 2,30 (2,31 is off by more than 0,005).
        let money = Validator.validate(Build.with(["r6_1": "2,31"]))
        #expect(money.ruleCodes == ["ratio-mismatch 6.1"] && money.first?.expected == "2,30")
        #expect(Validator.validate(Build.with(["r6_1": "2,3"])).isEmpty)
        #expect(Validator.validate(Build.with(["r6_1": "2"])).isEmpty)
        // 1 / 3 = 33,33…%: 33 % and 33,3 % are right to their printed digits, 33,4 % and 34 % are not.
        for (printed, ok) in [("33%", true), ("33,3%", true), ("33,33%", true), ("33,4%", false), ("34%", false)] {
            let f = Validator.validate(Build.with(["r3_3_1": printed, "r3_3_1_tong": "3", "r3_3_1_dunghan": "1"]))
            #expect(f.isEmpty == ok, "\(printed)")
        }
        let third = Validator.validate(Build.with(["r3_3_1": "34%", "r3_3_1_tong": "3", "r3_3_1_dunghan": "1"]))
        #expect(third.first?.expected == "33%")
        // A status text or a blank part: nothing to compare.
        #expect(Validator.validate(Build.with(["r1_2": "30%", "r1_2_2": "Chưa đánh giá"])).isEmpty)
        #expect(Validator.validate(Build.with(["r1_2": "30%", "r1_2_2": ""])).isEmpty)
    }

    @Test func zeroDenominator() {
        let bad = Validator.validate(Build.with(["r3_4": "0%", "r3_4_1": "0", "r3_4_2": "0"]))
        #expect(bad.ruleCodes == ["zero-denominator 3.4"] && bad.first?.severity == .warning)
        #expect(bad.first?.message.vi.contains("Để trống") == true)
        #expect(Validator.validate(Build.with(["r3_4": "", "r3_4_1": "0", "r3_4_2": "0"])).isEmpty)
        #expect(Validator.validate(Build.with(["r3_4": "Không phát sinh", "r3_4_1": "0", "r3_4_2": "0"])).isEmpty)
    }

    @Test func partExceedsWhole() throws {
        // A ratio's numerator above its denominator (sub-rows get the ratio's code).
        let ratio = Validator.validate(Build.with(["r3_3_1": "", "r3_3_1_tong": "199", "r3_3_1_dunghan": "200"]))
        #expect(ratio.ruleCodes == ["part-exceeds-whole 3.3.1"])
        #expect(ratio.first?.rowID == "r3_3_1_dunghan" && ratio.first?.expected == "≤ 199")
        #expect(ratio.first?.location?.line == Build.line(of: "r3_3_1_dunghan"))
        // A rule of the form: 1.4.2 ≤ 1.4.1.
        let rule = Validator.validate(Build.with(["r1_4_1": "5", "r1_4_2": "6"]))
        #expect(rule.ruleCodes == ["part-exceeds-whole 1.4.2"])
        // 1.3.3 ≤ 1.3.2 is both a ratio's parts and a rule of the form: reported once.
        let both = Validator.validate(Build.with(["r1_3_2": "2", "r1_3_3": "3"]))
        #expect(both.ruleCodes == ["part-exceeds-whole 1.3.3"])
        #expect(Validator.validate(Build.with(["r1_4_1": "5", "r1_4_2": "5", "r1_4_3": "0"])).isEmpty)
    }

    @Test func sumMismatch() throws {
        // 265 + 110 = 375.
        let wrong = Validator.validate(Build.with(["r3_1_4": "370"]))
        #expect(wrong.ruleCodes == ["sum-mismatch 3.1.4"])
        #expect(wrong.first?.expected == "375" && wrong.first?.found == "370" && wrong.first?.severity == .error)
        let blank = Validator.validate(Build.with(["r3_1_4": ""]))
        #expect(blank.first?.expected == "375")
        // One part a status text: nothing to compare. One part blank: only "parts above total" is certain.
        #expect(Validator.validate(Build.with(["r3_1_4": "370", "r3_1_4_xa": "Chưa đánh giá"])).isEmpty)
        #expect(Validator.validate(Build.with(["r3_1_4": "300", "r3_1_4_xa": ""])).isEmpty)
        #expect(Validator.validate(Build.with(["r3_1_4": "200", "r3_1_4_xa": ""])).ruleCodes == ["sum-mismatch 3.1.4"])
        // The form's level: 4.3 vs the autonomy groups is a warning.
        let level = Validator.validate(Build.with(["r4_3": "40"]))
        #expect(level.ruleCodes == ["sum-mismatch 4.3"] && level.first?.severity == .warning && level.first?.expected == "33")
    }

    @Test func periodMismatch() throws {
        // The file says 6 months, Q1 was expected.
        let six = Period(kind: .sixMonths, year: 2023)
        let other = Build.appendix(Build.cleanValues, metadata: Build.metadata(date: "ngày 15/6/2023", period: six))
        let f = Validator.validate(other, options: .init(expectedPeriod: Build.q1_2023))
        #expect(f.ruleCodes == ["period-mismatch "] && f.first?.severity == .error)
        #expect(f.first?.found == six.vietnamese && f.first?.expected == Build.q1_2023.vietnamese)
        #expect(Validator.validate(other, options: .init(expectedPeriod: six)).isEmpty)
        // Dated in August for Q1: a warning.
        let late = Build.appendix(Build.cleanValues, metadata: Build.metadata(date: "ngày 20/8/2023"))
        let g = Validator.validate(late, options: .init(expectedPeriod: Build.q1_2023))
        #expect(g.ruleCodes == ["period-mismatch "] && g.first?.severity == .warning)
        // A year report may be dated January of the next year; April is fine for Q1.
        let year = Period(kind: .year, year: 2023)
        let jan = Build.appendix(Build.cleanValues, metadata: Build.metadata(date: "ngày 5/1/2024", period: year))
        #expect(Validator.validate(jan).isEmpty)
        let april = Build.appendix(Build.cleanValues, metadata: Build.metadata(date: "ngày 2/4/2023"))
        #expect(Validator.validate(april, options: .init(expectedPeriod: Build.q1_2023)).isEmpty)
        // The file's own period is used when none is expected.
        let own = Build.appendix(Build.cleanValues, metadata: Build.metadata(date: "ngày /3/2022", period: Build.q1_2023))
        #expect(Validator.validate(own).ruleCodes == ["period-mismatch "])
        // No period anywhere: nothing to check the date against.
        #expect(Validator.validate(Build.appendix(Build.cleanValues)).isEmpty)
    }

    @Test func unitMismatch() {
        let a = Build.clean
        for same in ["UBND huyện Ngân Sơn", "Ủy ban nhân dân huyện Ngân Sơn", "UỶ BAN NHÂN DÂN HUYỆN NGÂN SƠN", "huyện Ngân Sơn"] {
            #expect(Validator.validate(a, options: .init(expectedUnit: same)).isEmpty, "\(same)")
        }
        let f = Validator.validate(a, options: .init(expectedUnit: "UBND huyện Ba Bể"))
        #expect(f.ruleCodes == ["unit-mismatch "] && f.first?.severity == .error)
        #expect(f.first?.found == "UBND huyện Ngân Sơn" && f.first?.expected == "UBND huyện Ba Bể")
        let unnamed = Build.appendix(Build.cleanValues, metadata: Build.metadata(date: "ngày 15/3/2023", unit: nil))
        #expect(Validator.validate(unnamed, options: .init(expectedUnit: "UBND huyện Ba Bể")).first?.severity == .warning)
        #expect(Validator.validate(unnamed, options: .init(expectedUnit: "UBND huyện Ba Bể")).ruleCodes == ["unit-mismatch "])
        // A commune is not the district it is named after.
        #expect(Validator.validate(a, options: .init(expectedUnit: "UBND xã Vân Tùng, huyện Ngân Sơn")).ruleCodes == ["unit-mismatch "])
    }

    @Test func cumulativeDecrease() throws {
        let q1 = Build.appendix(Build.cleanValues, metadata: Build.metadata(date: "ngày 15/3/2023", period: Build.q1_2023))
        let six = Period(kind: .sixMonths, year: 2023)
        // 1.1 is cumulative: 13 in Q1, 10 at six months went down; 4.1 (not cumulative) may go down.
        let down = Build.appendix(Build.cleanValues.merging(["r1_1": "10", "r4_1": "9"]) { $1 },
                                  metadata: Build.metadata(date: "ngày 15/6/2023", period: six))
        let f = Validator.validate(down, options: .init(previous: q1))
        #expect(f.ruleCodes == ["cumulative-decrease 1.1"])
        #expect(f.first?.found == "10" && f.first?.expected == "≥ 13" && f.first?.severity == .warning)
        let up = Build.appendix(Build.cleanValues.merging(["r1_1": "15"]) { $1 },
                                metadata: Build.metadata(date: "ngày 15/6/2023", period: six))
        #expect(Validator.validate(up, options: .init(previous: q1)).isEmpty)
        if case .compared? = Validator.previousComparison(down, options: .init(previous: q1)) {} else {
            Issue.record("Q1 → 6 months should be compared")
        }
        // Q3 is not cumulative: no comparison, and the reason is given.
        let q3 = Build.appendix(Build.cleanValues.merging(["r1_1": "2"]) { $1 },
                                metadata: Build.metadata(date: "ngày 15/9/2023", period: Period(kind: .q3, year: 2023)))
        #expect(Validator.validate(q3, options: .init(previous: q1)).isEmpty)
        guard case .notComparable(let why)? = Validator.previousComparison(q3, options: .init(previous: q1)) else {
            Issue.record("Q3 must not be compared"); return
        }
        #expect(why.vi.contains("Quý III") && why.en.contains("Q3"))
        // Another year, or a later "previous" period: not compared either.
        let nextYear = Build.appendix(Build.cleanValues.merging(["r1_1": "1"]) { $1 },
                                      metadata: Build.metadata(date: "ngày 15/6/2024", period: Period(kind: .sixMonths, year: 2024)))
        #expect(Validator.validate(nextYear, options: .init(previous: q1)).isEmpty)
        #expect(Validator.validate(q1, options: .init(previous: down)).isEmpty)
    }

    @Test func workbookDoublesDoNotUpsetRatios() throws {
        // Numbers from workbooks arrive as IEEE doubles with up to 17 digits.
        var a = Build.clean
        let form = Build.form
        func put(_ id: String, _ input: CellInput) {
            a.values[id] = ValueInterpreter.interpret(input, row: form.row(id)!, form: form, locale: .vi)
        }
        // 14 / 56 = 0,25 shown as 25 % (a percent format with no decimals), stored a hair off.
        put("r1_2", .number(ExactDecimal("0.25000000000000006")!, percentFormat: true, decimals: 0))
        // 3.135 / 136.284 = 2,3003…; the cell holds Excel's quotient, shown with two decimals.
        put("r6_1", .number(ExactDecimal("2.3003433418450296")!, percentFormat: false, decimals: 2))
        put("r6_1_2", .number(ExactDecimal("3135.0000000000005")!, percentFormat: false, decimals: nil))
        #expect(Validator.validate(a).isEmpty)
        put("r1_2", .number(ExactDecimal("0.30000000000000004")!, percentFormat: true, decimals: 0))
        let f = Validator.validate(a)
        #expect(f.ruleCodes == ["ratio-mismatch 1.2"] && f.first?.expected == "25%")
    }

    @Test func mergedChoiceRowsHoldCounts() {
        var md = Build.metadata(date: "ngày 15/3/2023")
        md.mergedUnits = 8
        md.workbookKind = "merged"
        let ok = Build.appendix(Build.cleanValues.merging(["r1_5_2": "Trực tuyến (3); Kết hợp (2)"]) { $1 }, metadata: md)
        #expect(Validator.validate(ok).isEmpty)
        let bad = Build.appendix(Build.cleanValues.merging(["r1_5_2": "Qua mạng (3)"]) { $1 }, metadata: md)
        #expect(Validator.validate(bad).ruleCodes == ["invalid-choice 1.5.2"])
        // Outside a merged workbook, counts are not choices.
        #expect(Validator.validate(Build.with(["r1_5_2": "Trực tuyến (3)"])).ruleCodes == ["invalid-choice 1.5.2"])
    }

    @Test func mergedYesNoRowsHoldCounts() {
        var md = Build.metadata(date: "ngày 15/3/2023")
        md.mergedUnits = 8
        md.workbookKind = "merged"
        let ok = Build.appendix(Build.cleanValues.merging(["r1_6": "5"]) { $1 }, metadata: md)
        #expect(Validator.validate(ok).isEmpty)
        let tooMany = Build.appendix(Build.cleanValues.merging(["r1_6": "9"]) { $1 }, metadata: md)
        #expect(Validator.validate(tooMany).ruleCodes == ["out-of-range 1.6"])
    }
}

/// Issue #10.1: numbers beyond the supported range are findings at their cell; the rest is checked.
@Suite("Validation of numbers beyond the supported range")
struct NumbersBeyondRangeTests {
    @Test("200000000 with 0,000…01 on the parts of 3.1.4: a finding at the tiny number's cell, the sum rule still runs elsewhere")
    func hugeAndTinyPartsAreAFindingNotATrap() {
        let a = Build.with(["r3_1_4_huyen": "200000000", "r3_1_4_xa": "0,000000000000000000000000000001",
                            "r1_2_2": "15"])
        let findings = Validator.validate(a)
        let range = findings.filter { $0.rule == .outOfRange && $0.rowID == "r3_1_4_xa" }
        #expect(range.count == 1)
        #expect(range.first?.severity == .error)
        #expect(range.first?.location?.line == Build.line(of: "r3_1_4_xa"))
        // Another row's problem is still found.
        #expect(findings.contains { $0.rule == .ratioMismatch && $0.rowID == "r1_2" })
    }

    @Test("Int128.max with 1 on the parts of a total: a finding, no trap")
    func int128MaxPartIsAFinding() {
        let a = Build.with(["r3_1_4_huyen": "170141183460469231731687303715884105727", "r3_1_4_xa": "1"])
        let findings = Validator.validate(a)
        #expect(findings.contains { $0.rule == .outOfRange && $0.rowID == "r3_1_4_huyen" && $0.severity == .error })
    }

    @Test("two parts at the top of the supported range are added exactly and compared with their total")
    func partsAtTheTopOfTheRangeAddExactly() {
        let v = "999999999999999999,999999999999999999"
        let a = Build.with(["r3_1_4_huyen": v, "r3_1_4_xa": v, "r3_1_4": "1"])
        let findings = Validator.validate(a)
        let sum = findings.first { $0.rule == .sumMismatch && $0.rowID == "r3_1_4" }
        #expect(sum?.expected == "1.999.999.999.999.999.999,999999999999999998")
    }
}

/// Issue #10.7: problems that used to pass as warnings only. The rules come from the form's data
/// (row kinds, headers), so they are tested on the real form and on a form whose sections are
/// renamed — nothing about CCHC's codes is in the validator.
@Suite("Validator: cut-off, blank and misplaced appendices (#10.7)")
struct ObviousProblemRuleTests {
    @Test("a whole section absent: one missing-section error at the last row read, its rows not listed one by one")
    func missingSection() throws {
        let section7 = Build.form.rows.drop { $0.id != "s7" }.map(\.id)
        let cut = Build.appendix(Build.cleanValues, metadata: Build.metadata(date: "ngày 15/3/2023"), omit: Set(section7))
        let f = Validator.validate(cut)
        #expect(f.ruleCodes == ["missing-section 7"])
        #expect(f.first?.severity == .error)
        // The last row read is the form's last row before section 7.
        let last = try #require(Build.form.rows.last { !section7.contains($0.id) })
        #expect(f.first?.location?.line == Build.line(of: last.id))
        // Some rows of a section missing is not a missing section.
        let some = Build.appendix(Build.cleanValues, metadata: Build.metadata(date: "ngày 15/3/2023"), omit: Set(section7.dropFirst(3)))
        #expect(!Validator.validate(some).contains { $0.rule == .missingSection })
    }

    @Test("the sections are the form's: renamed sections are reported under their own codes")
    func missingSectionFollowsTheForm() throws {
        var form = Build.form
        for i in form.rows.indices where form.rows[i].kind == .section { form.rows[i].code = "P" + form.rows[i].code }
        let ids = Set(form.rows.drop { $0.id != "s5" }.map(\.id))
        let a = Build.appendix(Build.cleanValues, form: form, metadata: Build.metadata(date: "ngày 15/3/2023"), omit: ids)
        #expect(Validator.validate(a).filter { $0.rule == .missingSection }.map(\.code) == ["P5", "P6", "P7"])
    }

    @Test("no value anywhere: one empty-appendix error")
    func emptyAppendix() {
        let f = Validator.validate(Build.appendix([:], metadata: Build.metadata(date: "ngày 15/3/2023")))
        #expect(f.ruleCodes == ["empty-appendix "])
        #expect(f.first?.severity == .error)
    }

    @Test("a number in the note of an empty number row is an error at the note cell; a text note is not")
    func valueInNoteColumn() throws {
        var a = Build.with(["r4_1": ""])
        a.values["r4_1"]?.note = "11"
        a.values["r4_1"]?.noteLocation = SourceLocation(file: "test.csv", line: Build.line(of: "r4_1"), column: 5)
        let f = Validator.validate(a)
        #expect(f.ruleCodes == ["value-in-note-column 4.1"])
        #expect(f.first?.severity == .error && f.first?.location?.column == 5 && f.first?.found == "11")
        a.values["r4_1"]?.note = "Chưa tổng hợp"
        #expect(Validator.validate(a).isEmpty)
    }

    @Test("0,97 without % on a percent row without parts: ambiguous; 0,97% or 97 is not; rows with parts use ratio-mismatch")
    func fractionOnAPercentRow() {
        let f = Validator.validate(Build.with(["r4_5_5": "0,97"]))
        #expect(f.ruleCodes == ["ambiguous-number 4.5.5"])
        #expect(f.first?.severity == .warning && f.first?.expected == "0,97% / 97%")
        #expect(Validator.validate(Build.with(["r4_5_5": "0,97%"])).isEmpty)
        #expect(Validator.validate(Build.with(["r4_5_5": "97"])).isEmpty)
        #expect(Validator.validate(Build.with(["r4_5_5": "1"])).ruleCodes == ["ambiguous-number 4.5.5"])
    }
}
