import AppendixMerge
import AppendixModel
import AppendixValidation
import FormImport
import FormSchema
import Foundation
import Support
import TableLocator
import Testing
import TestSupport

/// `replaces:` and the row map: files on last year's form compared and merged with this year's.
@Suite("forms: replaces and the row map")
struct RowMapTests {
    /// The revised form as a reviewer leaves it: imported from the blank CSV, the map from
    /// `diff --write-map` appended, and 1.1 marked cumulative (the label does not say so).
    static func revisedForm(withMap: Bool = true) throws -> FormDefinition {
        let imported = try importFile(Fixture.path("revised-blank.csv"), id: "cchc-2025")
        var yaml = imported.yaml
        let reviewed = "    kind: count   # guessed: count, unit \"Văn bản\"\n"
        let r11 = try #require(yaml.range(of: reviewed))
        yaml.replaceSubrange(r11, with: reviewed + "    cumulative: true\n")
        if withMap { yaml += FormDiff.compare(try cchc(), imported.form).rowMapYAML() }
        return try FormLoader.parse(yaml: yaml, file: "cchc-2025/form.yaml")
    }

    static func read(_ file: String, _ library: FormLibrary, formID: String?) throws -> Appendix {
        try TableLocator.locate(grid: try grids(Fixture.path(file))[0], library: library, formID: formID)
    }

    @Test("diff --write-map: the loader reads replaces and row_map back; the library checks the old side")
    func mapLoads() throws {
        let form = try Self.revisedForm()
        #expect(form.replaces == "cchc-2023")
        #expect(form.rowMap["r6_1"] == "r4_1")          // 6.1 is 4.1 now
        #expect(form.rowMap["r1_6"] == "r1_4")          // the yes/no row moved up
        #expect(form.rowMap["r4_1"] == nil)              // Số phòng chuyên môn is gone
        // "Số TTHC cấp huyện" → "Số TTHC cấp tỉnh" is paired as a rename (similar labels): the map
        // flags it for the reviewer, who deletes the line if the rows are not the same thing.
        #expect(form.rowMap["r3_1_4_huyen"] == "r3_1_2_a")
        let mapYAML = FormDiff.compare(try cchc(), try importFile(Fixture.path("revised-blank.csv"), id: "cchc-2025").form).rowMapYAML()
        #expect(mapYAML.contains("  r3_1_4_huyen: r3_1_2_a   # 3.1.2 (renamed)"))
        let library = FormLibrary(forms: [try cchc(), form])
        try library.checkRowMaps()
        #expect(library.newest(of: ["cchc-2023", "cchc-2025", "cchc-2023"])?.id == "cchc-2025")
        #expect(library.formIDForReading(current: "cchc-2025") == nil)
        #expect(library.formIDForReading(current: "cchc-2023") == "cchc-2023")
    }

    @Test("a row map naming rows that are not there is refused at its line")
    func badMaps() throws {
        let base = try importFile(Fixture.path("revised-blank.csv"), id: "cchc-2025").yaml
        let unknownNew = base + "replaces: cchc-2023\nrow_map:\n  r1_1: r9_9\n"
        #expect { try FormLoader.parse(yaml: unknownNew, file: "f.yaml") } throws: { e in
            (e as? BieuMauError)?.message.vi.contains("dòng 'r9_9' (cho dòng cũ 'r1_1') không có trong biểu mẫu này") == true
        }
        #expect { try FormLoader.parse(yaml: base + "row_map:\n  r1_1: r1_1\n", file: "f.yaml") } throws: { e in
            (e as? BieuMauError)?.message.vi.contains("'row_map' cần 'replaces: MÃ-BIỂU-CŨ'") == true
        }
        let unknownOld = try FormLoader.parse(yaml: base + "replaces: cchc-2023\nrow_map:\n  r99: r1_1\n", file: "f.yaml")
        #expect { try FormLibrary(forms: [try cchc(), unknownOld]).checkRowMaps() } throws: { e in
            (e as? BieuMauError)?.message.vi.contains("biểu mẫu cũ cchc-2023 không có dòng này") == true
        }
    }

    @Test("validate --previous on last year's form: rows in both compared, the others listed")
    func previousOnOldForm() throws {
        let form = try Self.revisedForm()
        let library = FormLibrary(forms: [try cchc(), form])
        let previous = try Self.read("old-form-ngan-son-q1-2023.csv", library, formID: library.formIDForReading(current: form.id))
        #expect(previous.form.id == "cchc-2023")
        let current = try Self.read("revised-ngan-son-6-thang-2023.csv", library, formID: form.id)
        let options = ValidationOptions(previous: previous)
        let findings = Validator.validate(current, options: options)
        // 1.1 went from 13 (Q1, old form) to 12 (6 months, new form).
        #expect(findings.map { "\($0.rule.rawValue) \($0.code) \($0.found ?? "") \($0.expected ?? "")" }
                == ["cumulative-decrease 1.1 12 ≥ 13"])
        let report = ValidationReport(appendix: current, options: options)
        let note = try #require(report.notes.first?.vi)
        #expect(note.contains("Tệp dùng biểu mẫu cũ cchc-2023"))
        #expect(note.contains("3.1.3 «Số TTHC bãi bỏ, thay thế»"))              // only in the old form
        #expect(note.contains("1.5 «Ban hành Kế hoạch chuyển đổi số năm»"))      // only in the new form

        // Without the map the two versions are not compared, and the report says why.
        let noMap = try Self.revisedForm(withMap: false)
        let lib2 = FormLibrary(forms: [try cchc(), noMap])
        let current2 = try Self.read("revised-ngan-son-6-thang-2023.csv", lib2, formID: noMap.id)
        #expect(Validator.validate(current2, options: options).isEmpty)
        #expect(ValidationReport(appendix: current2, options: options).notes.first?.vi
                    .contains("kỳ trước dùng biểu mẫu cchc-2023, kỳ này dùng cchc-2025") == true)
    }

    @Test("merge of files on both versions: rows in both merged, the others listed")
    func mergeAcrossVersions() throws {
        let form = try Self.revisedForm()
        let library = FormLibrary(forms: [try cchc(), form])
        let old = try Self.read("old-form-ngan-son-q1-2023.csv", library, formID: nil)
        let new = try Self.read("revised-bang-van-q1-2023.csv", library, formID: form.id)
        let units = [UnitInput(file: "ngan-son.csv", sha256: "a", appendix: old),
                     UnitInput(file: "bang-van.csv", sha256: "b", appendix: new)]
        let result = try Merger.merge(units, unreadable: [], form: form,
                                      options: MergeOptions(parentUnit: "UBND tỉnh Bắc Kạn"))
        #expect(result.rejected.isEmpty)
        #expect(result.accepted.count == 2)
        // 1.1: 13 (Ngân Sơn, old form) + 12 (Bằng Vân, new form).
        #expect(result.row("r1_1")?.merged.value == .number(ExactDecimal(25)))
        // 4.1.2 (was 6.1.2): Ngân Sơn's old 6.1.2 plus Bằng Vân's 5000.
        let oldDisbursed = try #require(old.number("r6_1_2"))
        let expectedDisbursed = try #require(oldDisbursed.adding(ExactDecimal(5000)))
        #expect(result.row("r4_1_2")?.merged.value == .number(expectedDisbursed))
        // The new yes/no row: Bằng Vân's answer only; Ngân Sơn listed with why.
        let yes = try #require(result.row("r1_5"))
        #expect(yes.notMerged.map(\.reason.vi) == ["biểu mẫu cũ cchc-2023 không có dòng này"])
        #expect(yes.notMerged.map(\.unit) == [units[0].unitName])
        let carried = try #require(result.carried.first)
        #expect(result.carried.count == 1 && carried.file == "ngan-son.csv")
        #expect(carried.carried.dropped.contains { $0.id == "r3_1_3" })
        #expect(carried.carried.absent.contains { $0.id == "r1_6" })   // the new money row
    }
}
