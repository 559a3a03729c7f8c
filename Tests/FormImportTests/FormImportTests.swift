import AppendixModel
import AppendixValidation
import BieuMau
import FormImport
import FormSchema
import Foundation
import OfficialWorkbook
import SheetGrid
import Support
import TableLocator
import Testing
import TestSupport

// Fixtures of the revised form: built by scripts/make-forms-fixtures.py (see its header).
enum Fixture {
    static var folder: URL { TestPaths.packageRoot.appendingPathComponent("Tests/FormImportTests/Fixtures") }
    static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
}

func vocabulary() throws -> ImportVocabulary {
    try ImportVocabulary.load(file: TestPaths.templates.appendingPathComponent("vocabulary.yaml").path)
}

func cchc() throws -> FormDefinition {
    try FormLoader.load(file: TestPaths.templates.appendingPathComponent("cchc-2023/form.yaml").path)
}

/// The file's sheets through the library's one reader entry point.
func grids(_ path: String) throws -> [Grid] {
    try AppendixReader.grids(path: path).grids
}

func importFile(_ path: String, id: String) throws -> ImportedForm {
    try FormImporter.importForm(grids: try grids(path), id: id, file: path, vocabulary: try vocabulary())
}

/// The kinds of change that would matter to a unit filling the form.
let structuralChanges: [FormChange.Kind] = [.added, .removed, .renamed, .moved, .rekinded, .ratioParts, .unit, .choices]

/// How many of the hand-written rules of `original` the imported form has: the same rule, or (for
/// part ≤ whole) implied by a ratio whose numerator and denominator the import found.
func inferredRules(original: FormDefinition, imported: FormDefinition, diff: FormDiff) -> (exact: Int, implied: Int, missed: [String]) {
    let removed = Set(diff.rulesRemoved.map { "\($0.kind)" })
    var exact = 0, implied = 0
    var missed: [String] = []
    for rule in original.rules {
        if !removed.contains("\(rule.kind)") { exact += 1; continue }
        if case .partNotAboveWhole(let p, let w) = rule.kind, let np = diff.rowMap[p], let nw = diff.rowMap[w],
           imported.rows.contains(where: { $0.numerator == np && $0.denominator == nw }) {
            implied += 1
            continue
        }
        missed.append("\(rule.kind)")
    }
    return (exact, implied, missed)
}

@Suite("forms import: round trips of cchc-2023")
struct RoundTripTests {
    func check(_ imported: ImportedForm, from what: String) throws {
        let original = try cchc()
        let diff = FormDiff.compare(original, imported.form)
        for kind in structuralChanges {
            #expect(diff.changes(kind).isEmpty, "\(what): \(kind.rawValue): \(diff.changes(kind).map { $0.message.en })")
        }
        #expect(diff.rowMap.count == original.rows.count)
        // Codes, kinds and ratio parts, row by row, through the pairing.
        for row in original.rows {
            let new = try #require(diff.rowMap[row.id].flatMap { imported.form.row($0) })
            #expect(new.code == row.code && new.kind == row.kind, "\(what): \(row.id)")
            #expect(new.numerator == row.numerator.flatMap { diff.rowMap[$0] }, "\(what): numerator of \(row.id)")
            #expect(new.denominator == row.denominator.flatMap { diff.rowMap[$0] }, "\(what): denominator of \(row.id)")
            #expect(new.choices == row.choices, "\(what): choices of \(row.id)")
        }
        let (exact, implied, missed) = inferredRules(original: original, imported: imported.form, diff: diff)
        print("""
            [forms import] \(what): \(imported.form.rows.count) rows, \(imported.summary.guesses) guesses; \
            hand-written rules of cchc-2023 inferred: \(exact + implied) of \(original.rules.count) \
            (\(exact) as written, \(implied) implied by inferred ratio parts); \
            extra rules guessed: \(diff.rulesAdded.count); missed: \(missed.joined(separator: "; "))
            """)
        #expect(exact + implied >= 8, "\(what): only \(exact + implied) of \(original.rules.count) rules inferred")
        // Every guess carries its evidence.
        #expect(imported.yaml.contains("kind: ratio   # guessed: ratio, unit \"%\" and label \"Tỷ lệ…\""))
    }

    @Test("template --form cchc-2023 → import → diff: no change in rows, codes, kinds, ratio parts")
    func fromTemplate() throws {
        let dir = TestPaths.temporaryFolder("forms-template")
        defer { try? FileManager.default.removeItem(at: dir) }
        let blank = dir.appendingPathComponent("blank.xlsx").path
        try OfficialWorkbookWriter.writeAppendix(Appendix(form: try cchc()), to: blank, force: true, mode: .template)
        let imported = try importFile(blank, id: "cchc-template")
        #expect(!imported.summary.filled)
        try check(imported, from: "template")
        // The template's live ratio formulas are the evidence for the parts.
        #expect(imported.yaml.contains("# guessed: the value cell's formula =IF(N("))
    }

    @Test("Examples/ngan-son-q1-2023.csv (filled) → import → diff: no change in rows, codes, kinds, ratio parts")
    func fromFilledSeed() throws {
        let imported = try importFile(TestPaths.examples.appendingPathComponent("ngan-son-q1-2023.csv").path, id: "seed")
        #expect(imported.summary.filled)
        try check(imported, from: "filled seed CSV")
        // Labels printed across a page break are joined (3.3.2 in the seed).
        let r = try #require(imported.form.rows(withCode: "3.3.2").first)
        #expect(r.label == "Tỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận được giải quyết đúng hạn")
        // From a filled file, the printed ratios are checked against their parts.
        #expect(imported.yaml.contains("the filled values agree (14 / 56 × 100 = 25"))
    }

    @Test("the seed saved by LibreOffice as .ods and .xls (the readers' fixtures) → import → diff: no change",
          arguments: ["Tests/ODSInputTests/Fixtures/seed.ods", "Tests/XLSInputTests/Fixtures/seed.xls"])
    func fromOtherFormats(_ file: String) throws {
        let path = TestPaths.packageRoot.appendingPathComponent(file).path
        let imported = try importFile(path, id: "seed-other")
        let diff = FormDiff.compare(try cchc(), imported.form)
        for kind in structuralChanges {
            #expect(diff.changes(kind).isEmpty, "\(file): \(kind.rawValue): \(diff.changes(kind).map { $0.message.en })")
        }
        #expect(diff.rowMap.count == 121)
    }

    @Test("the imported YAML loads with the loader and is written atomically as DIR/ID/form.yaml")
    func writesAndChecks() throws {
        let dir = TestPaths.temporaryFolder("forms-write")
        defer { try? FileManager.default.removeItem(at: dir) }
        let imported = try importFile(Fixture.path("revised-blank.csv"), id: "cchc-2025")
        // The summary groups the guesses a reviewer goes through: one kind per row, and they add up.
        #expect(imported.summary.guessesByTopic.reduce(0) { $0 + $1.count } == imported.summary.guesses)
        #expect(imported.summary.guessesByTopic.first { $0.topic == "kind" }?.count == imported.form.rows.count)
        let path = try FormImporter.write(imported, toFolder: dir.path, force: false)
        #expect(path == dir.appendingPathComponent("cchc-2025/form.yaml").path)
        let loaded = try FormLoader.load(file: path)
        #expect(loaded.rows.map(\.id) == imported.form.rows.map(\.id))
        // Not overwritten without force.
        #expect(throws: BieuMauError.self) { try FormImporter.write(imported, toFolder: dir.path, force: false) }
        let library = try FormLibrary.load(extraFolders: [dir.path])
        #expect(library.form("cchc-2025") != nil)
    }
}

@Suite("forms import: a revised form")
struct RevisedFormTests {
    /// What the revised form is (scripts/make-forms-fixtures.py), as a collector would check it.
    func checkShape(_ form: FormDefinition) throws {
        #expect(form.rows.count == 35)
        func row(_ label: String) throws -> FormRow {
            try #require(form.rows.first { $0.label == label }, "no row «\(label)»")
        }
        #expect(try row("Ban hành Kế hoạch chuyển đổi số năm").kind == .yesno)
        #expect(try row("Kinh phí bố trí cho công tác CCHC trong năm").kind == .money)
        let ratio = try row("Tỷ lệ hồ sơ TTHC được số hóa kết quả giải quyết")
        #expect(ratio.kind == .ratio && ratio.code == "3.3")
        #expect(ratio.denominator == (try row("Tổng số hồ sơ TTHC đã giải quyết xong trong kỳ")).id)
        #expect(ratio.numerator == (try row("Số hồ sơ TTHC được số hóa kết quả giải quyết")).id)
        #expect(try row("Công tác chỉ đạo, điều hành cải cách hành chính").kind == .section)
        // "Trong đó": each part ≤ the total above it.
        let total = try row("Tổng số TTHC thuộc thẩm quyền giải quyết tại cơ quan, đơn vị")
        let parts = form.rules.compactMap { r -> String? in
            if case .partNotAboveWhole(let p, let w) = r.kind, w == total.id { return p } else { return nil }
        }
        #expect(Set(parts) == Set([try row("Số TTHC cấp tỉnh").id, try row("Số TTHC cấp xã").id]))
        // The ratio 1.3.4 printed after its parts (no sub-rows).
        let r134 = try #require(form.rows(withCode: "1.3.4").first)
        #expect(r134.numerator == "r1_3_3" && r134.denominator == "r1_3_2")
    }

    @Test("imported from a blank workbook (openpyxl) and from a blank CSV: the same form")
    func blankWorkbookAndCSV() throws {
        let fromXLSX = try importFile(Fixture.path("revised-blank.xlsx"), id: "cchc-2025")
        let fromCSV = try importFile(Fixture.path("revised-blank.csv"), id: "cchc-2025")
        try checkShape(fromXLSX.form)
        try checkShape(fromCSV.form)
        #expect(FormDiff.compare(fromXLSX.form, fromCSV.form).isEmpty)
        #expect(fromXLSX.form.sheetName == "Biểu 2025")
    }

    @Test("diff against cchc-2023 names what changed", arguments: ["revised-blank.xlsx", "revised-blank.csv"])
    func diffAgainstLastYear(_ file: String) throws {
        let diff = FormDiff.compare(try cchc(), try importFile(Fixture.path(file), id: "cchc-2025").form)
        let renamed = diff.changes(.renamed).map { $0.message.vi }
        #expect(renamed.contains("đổi tên 1: «Công tác chỉ đạo điều hành CCHC» → «Công tác chỉ đạo, điều hành cải cách hành chính»"))
        #expect(renamed.contains("đổi tên 2: «Cải cách thể chế» → «Cải cách thể chế và pháp luật»"))
        let added = diff.changes(.added).map { $0.message.vi }
        #expect(added.contains("thêm dòng 1.5 «Ban hành Kế hoạch chuyển đổi số năm» (có/không, Có/không)"))
        #expect(added.contains("thêm dòng 1.6 «Kinh phí bố trí cho công tác CCHC trong năm» (số tiền, Triệu đồng)"))
        #expect(added.contains("thêm dòng 3.3 «Tỷ lệ hồ sơ TTHC được số hóa kết quả giải quyết» (tỷ lệ, %)"))
        #expect(diff.changes(.removed).contains { $0.message.vi == "bỏ dòng 4.1 «Số phòng chuyên môn»" })
        #expect(diff.changes(.moved).contains { $0.message.vi.hasPrefix("chuyển chỗ 1.6 → 1.4:") })
        #expect(diff.changes(.moved).contains { $0.message.vi.hasPrefix("chuyển chỗ 6.1 → 4.1:") })
        #expect(diff.rowMap["r6_1"] == "r4_1" && diff.rowMap["r1_6"] == "r1_4")
        #expect(diff.rowMap["r4_1"] == nil)
    }

    /// The filled file read with the imported form: every value as printed.
    func filled(_ imported: ImportedForm, _ file: String) throws -> Appendix {
        let library = FormLibrary(forms: [imported.form])
        return try TableLocator.locate(grid: try grids(Fixture.path(file))[0], library: library, formID: imported.form.id)
    }

    @Test("a filled file converts exactly, and an official workbook of it reads back the same",
          arguments: ["revised-blank.xlsx", "revised-blank.csv"])
    func filledConverts(_ blank: String) throws {
        let imported = try importFile(Fixture.path(blank), id: "cchc-2025")
        let appendix = try filled(imported, "revised-filled.csv")
        #expect(appendix.unmatched.isEmpty)
        #expect(Validator.validate(appendix).isEmpty, "\(Validator.validate(appendix).map { $0.message.en })")
        let form = imported.form
        func value(_ label: String) -> Value? {
            form.rows.first { $0.label == label }.flatMap { appendix.values[$0.id]?.value }
        }
        // As printed in scripts/make-forms-fixtures.py.
        #expect(value("Kinh phí bố trí cho công tác CCHC trong năm") == .number(ExactDecimal("1250.5")!))
        #expect(value("Tỷ lệ thực hiện kế hoạch giải ngân vốn đầu tư công") == .number(ExactDecimal("62.5")!))
        #expect(value("Ban hành Kế hoạch chuyển đổi số năm") == .yesNo(false))
        #expect(value("Tổ chức đối thoại của lãnh đạo với người dân, cộng đồng doanh nghiệp") == .yesNo(true))
        #expect(value("Số hồ sơ TTHC được số hóa kết quả giải quyết") == .number(ExactDecimal(200)))
        #expect(value("Số TTHC cấp tỉnh") == .number(ExactDecimal(265)))
        #expect(form.rows.filter { $0.kind.holdsValue }.allSatisfy { appendix.values[$0.id].map { !$0.value.isEmpty } ?? false })

        let dir = TestPaths.temporaryFolder("forms-convert")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out.xlsx").path
        try OfficialWorkbookWriter.writeAppendix(appendix, to: out, force: true)
        let back = try TableLocator.locate(grid: try grids(out)[0], library: FormLibrary(forms: [form]), formID: form.id)
        for row in form.rows where row.kind.holdsValue {
            #expect(back.values[row.id]?.value == appendix.values[row.id]?.value, "\(row.id)")
        }
    }

    @Test("planted errors get exactly those findings", arguments: ["revised-blank.xlsx", "revised-blank.csv"])
    func plantedErrors(_ blank: String) throws {
        let imported = try importFile(Fixture.path(blank), id: "cchc-2025")
        let findings = Validator.validate(try filled(imported, "revised-errors.csv"))
        let got = findings.map { "\($0.rule.rawValue) \($0.code) \($0.label)" }.sorted()
        #expect(got == [
            "part-exceeds-whole 3.1.2 Số TTHC cấp xã",
            "ratio-mismatch 1.3.4 Tỷ lệ xử lý các vấn đề phát hiện qua kiểm tra",
            "type-error 1.5 Ban hành Kế hoạch chuyển đổi số năm",
        ], "\(findings.map { $0.message.en })")
    }
}

@Suite("forms import: files that are not forms")
struct RefusalTests {
    func refusal(_ file: String) -> String {
        do {
            _ = try importFile(Fixture.path(file), id: "x")
            return "accepted"
        } catch let e as BieuMauError {
            #expect(e.status == .dataError)
            return e.message.vi
        } catch {
            return "\(error)"
        }
    }

    @Test("a random sheet: no header row with STT and Chỉ tiêu thống kê")
    func randomSheet() {
        let m = refusal("not-a-form-random.csv")
        #expect(m.contains("không tìm thấy bảng phụ lục") && m.contains("'STT'") && m.contains("'Chỉ tiêu thống kê'"), "\(m)")
    }

    @Test("an empty table: a header and no rows")
    func emptyTable() {
        let m = refusal("not-a-form-empty-table.csv")
        #expect(m.contains("không có dòng chỉ tiêu nào"), "\(m)")
    }

    @Test("a table with no codes: nothing says which rows are headings")
    func noCodes() {
        let m = refusal("not-a-form-no-codes.csv")
        #expect(m.contains("không dòng nào của bảng có số thứ tự"), "\(m)")
    }

    @Test("a bad id is a usage error")
    func badID() {
        #expect(throws: BieuMauError.self) { _ = try importFile(Fixture.path("revised-blank.csv"), id: "Biểu 2025") }
    }
}
