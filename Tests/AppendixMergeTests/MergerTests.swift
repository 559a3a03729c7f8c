import AppendixMerge
import AppendixModel
import FormSchema
import Foundation
import Support
import TestSupport
import Testing

/// The shipped form, loaded once.
let cchc: FormDefinition = {
    try! FormLoader.load(file: TestPaths.templates.appendingPathComponent("cchc-2023/form.yaml").path)
}()

let q1 = Period(kind: .q1, year: 2023)

/// A unit's appendix built from value texts as a person types them (interpreted like the readers do).
func unit(_ name: String, period: Period? = q1, file: String? = nil, kind: String? = nil, mergedUnits: Int? = nil,
          modified: Date? = nil, errors: Int = 0, _ texts: [String: String]) -> UnitInput {
    var values: [String: RowValue] = [:]
    for (id, text) in texts {
        let row = cchc.row(id)!
        values[id] = ValueInterpreter.interpret(.text(text), row: row, form: cchc, locale: .vi)
    }
    var md = Metadata(unit: name, period: period)
    md.workbookKind = kind
    md.mergedUnits = mergedUnits
    let appendix = Appendix(form: cchc, metadata: md, values: values)
    let findings = (0..<errors).map { _ in
        Finding(severity: .error, rule: .typeError, message: Localized(vi: "lỗi", en: "error"))
    }
    return UnitInput(file: file ?? "\(name).csv", sha256: String(repeating: "0", count: 64), appendix: appendix,
                     findings: findings, modified: modified)
}

func dec(_ s: String) -> ExactDecimal { ExactDecimal(s)! }

let partial = MergeOptions(parentUnit: "UBND HUYỆN NGÂN SƠN", period: q1, allowPartial: true)

@Suite("Merge rules")
struct MergeRuleTests {
    @Test("money sums exactly: 0,1 + 0,2 = 0,3")
    func moneyExact() throws {
        let a = unit("Xã A", ["r6_1_1": "0,1", "r6_1_2": "0,1"])
        let b = unit("Xã B", ["r6_1_1": "0,2", "r6_1_2": "2.304,717"])
        let r = try Merger.merge([a, b], unreadable: [], form: cchc, options: partial)
        #expect(r.merged.number("r6_1_1") == dec("0.3"))
        #expect(r.merged.number("r6_1_2") == dec("2304.817"))
        #expect(r.merged.value("r6_1_1").raw == "0,3")
    }

    @Test("ratios are recomputed from summed parts, never averaged")
    func ratioFromParts() throws {
        // Xã A: 99/100 = 99 %; Xã B: 1/10 = 10 %. Average of rates 54,5 %; right answer 100/110 = 90,909… %.
        let a = unit("Xã A", ["r3_3_1": "99%", "r3_3_1_tong": "100", "r3_3_1_dunghan": "99"])
        let b = unit("Xã B", ["r3_3_1": "10%", "r3_3_1_tong": "10", "r3_3_1_dunghan": "1"])
        let r = try Merger.merge([a, b], unreadable: [], form: cchc, options: partial)
        #expect(r.merged.number("r3_3_1_tong") == ExactDecimal(110))
        #expect(r.merged.number("r3_3_1_dunghan") == ExactDecimal(100))
        #expect(r.merged.number("r3_3_1") == dec("90.91"))
        #expect(r.merged.value("r3_3_1").raw == "90,91%")
    }

    @Test("a zero summed denominator leaves the ratio blank with a note")
    func zeroDenominator() throws {
        let a = unit("Xã A", ["r1_3_2": "0", "r1_3_3": "0", "r1_3_4": "0"])
        let b = unit("Xã B", ["r1_3_2": "0", "r1_3_3": "0"])
        let r = try Merger.merge([a, b], unreadable: [], form: cchc, options: partial)
        #expect(r.merged.value("r1_3_4").value == .empty)
        #expect(r.merged.value("r1_3_4").note.contains("mẫu số bằng 0"))
    }

    @Test("status texts and blanks are kept per unit, never counted as 0")
    func statusKept() throws {
        let a = unit("Xã A", ["r1_5_1": "Chưa thực hiện", "r3_1_1": "5"])
        let b = unit("Xã B", ["r1_5_1": "120", "r3_1_1": "Chưa có đánh giá kết quả"])
        let c = unit("Xã C", ["r1_5_1": "Chưa thực hiện", "r3_1_1": ""])
        let r = try Merger.merge([a, b, c], unreadable: [], form: cchc, options: partial)
        #expect(r.merged.number("r1_5_1") == ExactDecimal(120))
        let note = r.merged.value("r1_5_1").note
        #expect(note.contains("Chưa thực hiện: Xã A, Xã C"))
        let row = try #require(r.row("r1_5_1"))
        #expect(row.units.map(\.value) == [.status("Chưa thực hiện"), .number(ExactDecimal(120)), .status("Chưa thực hiện")])
        #expect(row.notMerged.map(\.unit) == ["Xã A", "Xã C"])
        let note2 = r.merged.value("r3_1_1").note
        #expect(note2.contains("Chưa có đánh giá kết quả: Xã B"))
        #expect(note2.contains("Để trống: Xã C"))
        #expect(r.merged.number("r3_1_1") == ExactDecimal(5))
    }

    @Test("every unit with the same status: the parent row says it too")
    func allStatus() throws {
        let a = unit("Xã A", ["r1_5_1": "Chưa thực hiện"])
        let b = unit("Xã B", ["r1_5_1": "chưa thực hiện"])
        let r = try Merger.merge([a, b], unreadable: [], form: cchc, options: partial)
        #expect(r.merged.value("r1_5_1").value == .status("Chưa thực hiện"))
    }

    @Test("yes/no rows count the units answering Có and name those answering Không")
    func countYes() throws {
        let a = unit("Xã A", ["r1_6": "Có"])
        let b = unit("Xã B", ["r1_6": "Không"])
        let c = unit("Xã C", ["r1_6": "x"])
        let d = unit("Xã D", ["r1_6": "0"])
        let r = try Merger.merge([a, b, c, d], unreadable: [], form: cchc, options: partial)
        #expect(r.merged.number("r1_6") == ExactDecimal(2))
        #expect(r.merged.value("r1_6").note.contains("Không: Xã B, Xã D"))
    }

    @Test("choices: the set used, with counts")
    func choices() throws {
        let a = unit("Xã A", ["r1_5_2": "Trực tuyến"])
        let b = unit("Xã B", ["r1_5_2": "Phát phiếu; Trực tuyến"])
        let c = unit("Xã C", ["r1_5_2": "trực tuyến"])
        let r = try Merger.merge([a, b, c], unreadable: [], form: cchc, options: partial)
        #expect(r.merged.value("r1_5_2").raw == "Trực tuyến (3); Phát phiếu (1)")
    }

    @Test("ratios without parts are not merged, shown per unit")
    func perUnit() throws {
        let a = unit("Xã A", ["r4_4": "10%"])
        let b = unit("Xã B", ["r4_4": "20%"])
        let r = try Merger.merge([a, b], unreadable: [], form: cchc, options: partial)
        #expect(r.merged.value("r4_4").value == .empty)
        #expect(r.merged.value("r4_4").note.contains("Không tổng hợp được"))
        #expect(r.row("r4_4")?.units.map { $0.value.number } == [ExactDecimal(10), ExactDecimal(20)])
        #expect(r.row("r4_4")?.rule == .perUnit)
    }

    @Test("headings carry nothing, even a stray 0")
    func headings() throws {
        let a = unit("Xã A", ["r2_3": "0"])
        let r = try Merger.merge([a], unreadable: [], form: cchc, options: partial)
        #expect(r.merged.values["r2_3"] == nil)
        #expect(r.merged.metadata.workbookKind == "merged")
        #expect(r.merged.metadata.mergedUnits == 1)
        #expect(r.merged.metadata.unit == "UBND HUYỆN NGÂN SƠN")
    }

    @Test("the rule of a row comes from the form definition")
    func ruleFromForm() throws {
        var form = cchc
        var rows = form.rows
        let i = rows.firstIndex { $0.id == "r4_1" }!
        rows[i].merge = .perUnit
        form = FormDefinition(id: form.id, version: form.version, title: form.title, statusTexts: form.statusTexts,
                              keyRatios: form.keyRatios, rows: rows, rules: form.rules)
        var a = unit("Xã A", ["r4_1": "3"]); a.appendix.form = form
        var b = unit("Xã B", ["r4_1": "4"]); b.appendix.form = form
        let r = try Merger.merge([a, b], unreadable: [], form: form, options: partial)
        #expect(r.merged.value("r4_1").value == .empty)
        let normal = try Merger.merge([unit("Xã A", ["r4_1": "3"]), unit("Xã B", ["r4_1": "4"])], unreadable: [],
                                      form: cchc, options: partial)
        #expect(normal.merged.number("r4_1") == ExactDecimal(7))
    }
}

@Suite("Merge inputs: rejections, missing units, re-merging")
struct MergeInputTests {
    @Test("unit names match across spellings of UBND and tone placement")
    func identity() {
        #expect(UnitIdentity.same("ỦY BAN NHÂN DÂN XÃ HÒA BÌNH", "UBND xã Hoà Bình"))
        #expect(UnitIdentity.same("Uỷ ban nhân dân xã Hòa Bình", "Xã Hoà  Bình"))
        #expect(!UnitIdentity.same("Xã Hòa Bình", "Xã Hòa Bình Tây"))
    }

    @Test("two files of one unit with different values: both set aside, the rows named, the unit missing")
    func conflictingSubmissions() throws {
        let a = unit("UBND xã A", file: "a.csv", ["r4_1": "1", "r4_3": "7", "r1_1": "2"])
        let a2 = unit("ỦY BAN NHÂN DÂN XÃ A", file: "a-v2.csv", ["r4_1": "2", "r4_3": "7"])
        let b = unit("Xã B", ["r4_1": "5"])
        let r = try Merger.merge([a, a2, b], unreadable: [], form: cchc, options: partial)
        // Neither file is picked by argument order.
        #expect(r.accepted.map(\.file) == ["Xã B.csv"])
        #expect(r.rejected.map(\.file) == ["a.csv", "a-v2.csv"])
        #expect(r.rejected.map(\.kind) == [.conflictingSubmission, .conflictingSubmission])
        #expect(r.merged.number("r4_1") == ExactDecimal(5))
        #expect(r.missingUnits == ["UBND xã A"])
        #expect(r.conflicts.count == 1)
        #expect(r.conflicts.first?.files == ["a.csv", "a-v2.csv"])
        // The rows where they differ, in form order, with each file's text.
        #expect(r.conflicts.first?.rows.map(\.code) == ["1.1", "4.1"])
        #expect(r.conflicts.first?.rows.map(\.raws) == [["2", ""], ["1", "2"]])
        #expect(r.rejected.first?.reason.vi.contains("a-v2.csv") == true)
        #expect(r.rejected.first?.reason.vi.contains("4.1") == true)
        var strict = partial
        strict.allowPartial = false
        let refusal = #expect(throws: MergeRefusal.self) {
            try Merger.merge([a, a2, b], unreadable: [], form: cchc, options: strict)
        }
        #expect(refusal?.error.status == .dataError)
        #expect(refusal?.error.message.vi.contains("a-v2.csv") == true)
        #expect(refusal?.error.message.en.contains("--allow-partial") == true)
        #expect(refusal?.conflicts.first?.unit == "UBND xã A")
    }

    @Test("two files of one unit with the same values are one submission, merged once, not an error")
    func identicalSubmissions() throws {
        let a = unit("UBND xã A", file: "a.csv", ["r4_1": "1", "r4_3": "7"])
        // The same numbers written another way (a workbook converted from the CSV) read the same.
        let copy = unit("Xã A", file: "a-copy.csv", ["r4_1": "1", "r4_3": "7,0"])
        let b = unit("Xã B", ["r4_1": "5"])
        var strict = partial
        strict.allowPartial = false
        let r = try Merger.merge([a, copy, b], unreadable: [], form: cchc, options: strict)
        #expect(r.accepted.map(\.file) == ["a.csv", "Xã B.csv"])
        #expect(r.rejected.map(\.kind) == [.sameSubmission])
        #expect(r.merged.number("r4_1") == ExactDecimal(6))
        #expect(r.unitCount == 2)
        #expect(r.conflicts.isEmpty && r.missingUnits.isEmpty)
    }

    @Test("--latest takes the newest file of a unit and names the other")
    func latest() throws {
        let old = unit("Xã A", file: "a-old.csv", modified: Date(timeIntervalSince1970: 1000), ["r4_1": "1"])
        let new = unit("xã a", file: "a-new.csv", modified: Date(timeIntervalSince1970: 2000), ["r4_1": "2"])
        var o = partial
        o.latestWins = true
        o.allowPartial = false
        // Asking for the newest file is not a partial merge: no error, the older file still listed.
        let r = try Merger.merge([new, old], unreadable: [], form: cchc, options: o)
        #expect(r.accepted.map(\.file) == ["a-new.csv"])
        #expect(r.rejected.map(\.file) == ["a-old.csv"])
        o.allowPartial = true
        let r2 = try Merger.merge([old, new], unreadable: [], form: cchc, options: o)
        #expect(r2.accepted.map(\.file) == ["a-new.csv"])
        #expect(r2.rejected.map(\.file) == ["a-old.csv"])
        #expect(r2.rejected.first?.kind == .superseded)
        #expect(r2.merged.number("r4_1") == ExactDecimal(2))
    }

    @Test("another period is rejected (against --period, else the majority)")
    func otherPeriod() throws {
        let a = unit("Xã A", ["r4_1": "1"])
        let b = unit("Xã B", ["r4_1": "2"])
        let c = unit("Xã C", period: Period(kind: .sixMonths, year: 2023), ["r4_1": "40"])
        var o = partial
        o.period = nil
        let r = try Merger.merge([a, b, c], unreadable: [], form: cchc, options: o)
        #expect(r.period == q1)
        #expect(r.rejected.map(\.file) == ["Xã C.csv"])
        #expect(r.rejected.first?.kind == .otherPeriod)
        #expect(r.merged.number("r4_1") == ExactDecimal(3))
        o.period = Period(kind: .sixMonths, year: 2023)
        let r6 = try Merger.merge([a, b, c], unreadable: [], form: cchc, options: o)
        #expect(r6.accepted.map(\.unitName) == ["Xã C"])
        #expect(r6.rejected.count == 2)
        o.allowPartial = false
        #expect(throws: MergeRefusal.self) { try Merger.merge([a, b, c], unreadable: [], form: cchc, options: o) }
    }

    @Test("another form is rejected")
    func otherForm() throws {
        var other = unit("Xã Z", ["r4_1": "1"])
        other.appendix.form = FormDefinition(id: "khac-2024", version: 1, title: "X", rows: cchc.rows)
        let r = try Merger.merge([unit("Xã A", ["r4_1": "1"]), other], unreadable: [], form: cchc, options: partial)
        #expect(r.rejected.map(\.kind) == [.otherForm])
        #expect(r.rejected.first?.reason.vi.contains("khac-2024") == true)
    }

    @Test("missing units are named; without --allow-partial they are an error")
    func missing() throws {
        var o = partial
        o.expectedUnits = ["UBND xã A", "Xã B", "Xã Hòa Bình"]
        let r = try Merger.merge([unit("Xã A", ["r4_1": "1"]), unit("Xã B", ["r4_1": "1"]), unit("Xã Lạ", ["r4_1": "1"])],
                                 unreadable: [], form: cchc, options: o)
        #expect(r.missingUnits == ["Xã Hòa Bình"])
        #expect(r.unexpectedUnits == ["Xã Lạ"])
        o.allowPartial = false
        let e = #expect(throws: MergeRefusal.self) {
            try Merger.merge([unit("Xã A", [:]), unit("Xã B", [:])], unreadable: [], form: cchc, options: o)
        }
        #expect(e?.error.message.vi.contains("Xã Hòa Bình") == true)
        #expect(e?.missing == ["Xã Hòa Bình"])
    }

    @Test("unreadable files are rejections; every input is accepted or rejected")
    func unreadable() throws {
        let bad = Rejection(file: "hong.xlsx", reason: Localized(vi: "tệp hỏng", en: "corrupt file"))
        let inputs = [unit("Xã A", ["r4_1": "1"]), unit("Xã A", file: "dup.csv", ["r4_1": "1"]),
                      unit("Xã B", period: Period(kind: .year, year: 2022), ["r4_1": "1"])]
        let r = try Merger.merge(inputs, unreadable: [bad], form: cchc, options: partial)
        #expect(r.accepted.count + r.rejected.count == inputs.count + 1)
        #expect(Set(r.rejected.map(\.file)) == ["hong.xlsx", "dup.csv", "Xã B.csv"])
        var strict = partial
        strict.allowPartial = false
        let refusal = #expect(throws: MergeRefusal.self) {
            try Merger.merge([unit("Xã A", [:])], unreadable: [bad], form: cchc, options: strict)
        }
        #expect(refusal?.rejected.map(\.file) == ["hong.xlsx"])
    }

    @Test("files with validation errors are merged, their error count kept")
    func validationErrors() throws {
        let r = try Merger.merge([unit("Xã A", errors: 3, ["r4_1": "1"])], unreadable: [], form: cchc, options: partial)
        #expect(r.accepted.first?.errorCount == 3)
        #expect(r.rejected.isEmpty)
    }

    @Test("merging merged workbooks again: two provinces into the nation")
    func remerge() throws {
        let communes1 = [unit("Xã A", ["r1_6": "Có", "r4_1": "1", "r1_5_2": "Trực tuyến", "r3_3_1_tong": "10", "r3_3_1_dunghan": "9"]),
                         unit("Xã B", ["r1_6": "Không", "r4_1": "2", "r1_5_2": "Phát phiếu", "r3_3_1_tong": "10", "r3_3_1_dunghan": "10"])]
        let communes2 = [unit("Xã C", ["r1_6": "Có", "r4_1": "3", "r1_5_2": "Trực tuyến", "r3_3_1_tong": "20", "r3_3_1_dunghan": "1"]),
                         unit("Xã D", ["r1_6": "Có", "r4_1": "4", "r1_5_2": "Kết hợp", "r3_3_1_tong": "0", "r3_3_1_dunghan": "0"]),
                         unit("Xã E", ["r1_6": "Có", "r4_1": "5", "r1_5_2": "Trực tuyến", "r3_3_1_tong": "0", "r3_3_1_dunghan": "0"])]
        let p1 = try Merger.merge(communes1, unreadable: [], form: cchc,
                                  options: MergeOptions(parentUnit: "UBND TỈNH MỘT", period: q1))
        let p2 = try Merger.merge(communes2, unreadable: [], form: cchc,
                                  options: MergeOptions(parentUnit: "UBND TỈNH HAI", period: q1))
        // As a reader would give them back: the merged appendix, read from its workbook.
        func asInput(_ r: MergeResult, _ file: String) -> UnitInput {
            var values: [String: RowValue] = [:]
            for (id, v) in r.merged.values {
                values[id] = ValueInterpreter.interpret(.text(v.raw), row: cchc.row(id)!, form: cchc, locale: .vi)
                values[id]?.note = v.note
            }
            var a = r.merged
            a.values = values
            return UnitInput(file: file, sha256: "", appendix: a)
        }
        let nation = try Merger.merge([asInput(p1, "tinh-mot.xlsx"), asInput(p2, "tinh-hai.xlsx")], unreadable: [],
                                      form: cchc, options: MergeOptions(parentUnit: "BỘ NỘI VỤ", period: q1))
        #expect(nation.merged.number("r1_6") == ExactDecimal(4))         // 1 + 3 units answered Có
        #expect(nation.merged.number("r4_1") == ExactDecimal(15))
        #expect(nation.merged.value("r1_5_2").raw == "Trực tuyến (3); Phát phiếu (1); Kết hợp (1)")
        #expect(nation.merged.number("r3_3_1") == dec("50"))              // 20 / 40
        #expect(nation.unitCount == 5)
        #expect(nation.merged.metadata.mergedUnits == 5)
    }
}

@Suite("Exact division")
struct DivisionTests {
    @Test("dividing numbers with 17 digits, as doubles from workbooks carry, does not overflow")
    func longDecimals() {
        let a = dec("0.42631578947368420"), b = dec("1234.5670000000001")
        // 0.4263157894736842 / 1234.567 = 0.000345316… (Python: Decimal division)
        #expect(a.divided(by: b, places: 6) == dec("0.000345"))
        #expect(a.multiplied(by: ExactDecimal(100))!.divided(by: dec("0.9999999999999999"), places: 2) == dec("42.63"))
        #expect(dec("1").divided(by: dec("3"), places: 4) == dec("0.3333"))
        #expect(dec("2").divided(by: dec("3"), places: 2) == dec("0.67"))
        #expect(dec("-2").divided(by: dec("3"), places: 2) == dec("-0.67"))
        #expect(dec("5").divided(by: .zero, places: 2) == nil)
    }
}

@Suite("Text normalisation fast paths")
struct TextFastPathTests {
    @Test("fast paths give what the full normalisation gives")
    func samples() {
        let samples = ["", " ", "a", " a", "a ", "a  b", "a b", "Số hồ sơ TTHC", "Hòa\u{00A0}Bình", "x\u{2003}y",
                       "tab\there", "line\nbreak", "\u{FEFF}bom", "Ngân Sơn", "Nga\u{0300}n", "Hoa\u{0300}", "e\u{0301}",
                       "Chưa thực hiện", "ỦY BAN NHÂN DÂN", "a\u{3000}b", "a\u{1680}b", "a\u{200B}b", "Ω", "ﬁ", "\u{2000}"]
        for s in samples {
            var slow = ""
            var pending = false
            for ch in s {
                if ch.isWhitespace || ch == "\u{00A0}" || ch == "\u{200B}" || ch == "\u{FEFF}" {
                    pending = !slow.isEmpty
                } else {
                    if pending { slow.append(" "); pending = false }
                    slow.append(ch)
                }
            }
            #expect(TextNormalization.collapseWhitespace(s) == slow, "\(s.unicodeScalars.map { String($0.value, radix: 16) })")
            let nfc = TextNormalization.nfc(s)
            #expect(Array(nfc.unicodeScalars) == Array(s.precomposedStringWithCanonicalMapping.unicodeScalars))
        }
    }
}

/// Issue #10.1: merging numbers whose sum is beyond 128 bits does not trap; the row is set aside
/// with the reason and every other row is still merged.
@Suite("Merge beyond the supported range")
struct MergeBeyondRangeTests {
    @Test("200 units each at the top of the range: that row is not summed (with the reason), the others are")
    func sumOverflowSetsTheRowAside() throws {
        let top = "999999999999999999,999999999999999999"
        let units = (1...200).map { unit("Xã \($0)", ["r6_1_1": top, "r6_1_2": "1"]) }
        let r = try Merger.merge(units, unreadable: [], form: cchc, options: partial)
        #expect(r.merged.value("r6_1_1").value == .empty)
        #expect(r.merged.number("r6_1_2") == ExactDecimal(200))
        let row = try #require(r.rows.first { $0.row.id == "r6_1_1" })
        #expect(row.note?.vi.contains("vượt quá phạm vi") == true)
        #expect(!row.notMerged.isEmpty)
    }

    @Test("a unit's number beyond the range (Int128.max) is set aside as not a number; the other units are summed")
    func int128MaxUnitIsSetAside() throws {
        let a = unit("Xã A", ["r6_1_1": "170141183460469231731687303715884105727"])
        let b = unit("Xã B", ["r6_1_1": "1"])
        let r = try Merger.merge([a, b], unreadable: [], form: cchc, options: partial)
        #expect(r.merged.number("r6_1_1") == ExactDecimal(1))
    }
}
